import type { ServerFrame } from './types';

export type SocketStatus = 'connecting' | 'online' | 'offline';

export interface ResumePoint {
  /** The last `seq` held for the session. */
  afterSeq: number;
  /** Agents name the session; a guest's socket has only its own. */
  sessionId?: string;
}

export interface LiveSocketOptions {
  /** The ws(s):// URL with its query (token…); asked again before every attempt. */
  url: () => string;
  /** Subprotocols to offer, e.g. `['bearer', jwt]`: an agent's token kept out of the URL. */
  protocols?: () => string[];
  onFrame: (frame: ServerFrame) => void;
  onStatus?: (status: SocketStatus) => void;
  /** Sessions to `resume` after each (re)connect, so nothing published while away is missed. */
  resume?: () => ResumePoint[];
  /** Frames to send after each (re)connect, after the resumes (e.g. `subscribe_session`). */
  onConnected?: (send: (frame: object) => boolean) => void;
  /** First retry delay; doubles on every failed attempt up to `maxDelayMs` (with jitter). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How often to `ping`; a socket silent for two intervals is dropped and reopened. */
  pingIntervalMs?: number;
  /** Close codes after which retrying is pointless (4401 agent deactivated, 4404 session deleted). */
  stopOnCodes?: number[];
}

/**
 * A WebSocket to /ws/live-chat that stays connected: reconnects with exponential backoff (at once
 * when the browser comes back online), watches for a dead connection with `ping`, and sends
 * `resume {afterSeq}` after every reconnect so the server replays what was missed.
 */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  private stopped = true;
  private current: SocketStatus = 'offline';

  constructor(private readonly options: LiveSocketOptions) {}

  get status(): SocketStatus {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.reconnectNow);
    addEventListener('offline', this.dropNow);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.reconnectNow);
    removeEventListener('offline', this.dropNow);
    clearTimeout(this.retryTimer);
    this.teardown();
    this.setStatus('offline');
  }

  /** Sends a frame if connected; false when it could not be sent (REST is the fallback). */
  send(frame: object): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN || this.current !== 'online') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private open(): void {
    this.setStatus('connecting');
    const socket = new WebSocket(this.options.url(), this.options.protocols?.());
    this.socket = socket;
    socket.onmessage = (event) => {
      this.lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'connection_established') this.connected();
      this.options.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.teardown();
      if (this.stopped) return;
      if (this.options.stopOnCodes?.includes(event.code)) return this.stop();
      this.scheduleRetry();
    };
  }

  private connected(): void {
    this.attempts = 0;
    this.setStatus('online');
    for (const point of this.options.resume?.() ?? []) this.send({ type: 'resume', ...point });
    this.options.onConnected?.((frame) => this.send(frame));
    clearInterval(this.pingTimer);
    const interval = this.options.pingIntervalMs ?? 20_000;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * interval) return this.dropNow();
      this.send({ type: 'ping' });
    }, interval);
  }

  private scheduleRetry(): void {
    this.setStatus('offline');
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.attempts = 0;
    this.open();
  };

  /** A socket the browser still thinks open after the network went away: close it and retry. */
  private readonly dropNow = (): void => {
    if (this.stopped || !this.socket) return;
    this.teardown();
    this.scheduleRetry();
  };

  private teardown(): void {
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close();
  }

  private setStatus(status: SocketStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.options.onStatus?.(status);
  }
}
