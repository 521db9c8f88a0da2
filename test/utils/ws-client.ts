import { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/** One JSON frame received from the server. */
export type WsFrame = { type: string } & Record<string, any>;

export interface WsConnectOptions {
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sec-WebSocket-Protocol values offered, e.g. ['bearer', jwt]. */
  protocols?: string[];
  /** Sent as the Origin header. */
  origin?: string;
  /** false: never answer the server's pings (a dead client, for heartbeat tests). Default true. */
  autoPong?: boolean;
}

/** The server answered the upgrade with an HTTP status instead of switching protocols. */
export class WsRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`WebSocket upgrade refused with HTTP ${status}: ${body}`);
  }
}

export interface WsClose {
  code: number;
  reason: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

interface Waiter {
  predicate: (frame: WsFrame) => boolean;
  resolve: (frame: WsFrame) => void;
}

/**
 * A promise-based `ws` client for e2e tests. Every frame is kept in `frames`; `next(type)` and
 * `waitFor(predicate)` each consume the oldest matching frame not consumed yet (waiting for it
 * when needed), so a test can read events in order without racing the socket.
 */
export class WsTestClient {
  /** Every frame received, in order. */
  readonly frames: WsFrame[] = [];
  /** Resolves when the socket closes (either side). */
  readonly closed: Promise<WsClose>;
  private readonly consumed = new Set<number>();
  private readonly waiters = new Set<Waiter>();

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as WsFrame));
    // Errors after the open (e.g. a reset) end in 'close', which `closed` reports.
    socket.on('error', () => undefined);
  }

  /** Opens a socket; rejects with `WsRefusedError` when the server refuses the upgrade. */
  static connect(baseUrl: string, options: WsConnectOptions = {}): Promise<WsTestClient> {
    const url = new URL(baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const socket = new WebSocket(url, options.protocols, {
      headers: options.headers,
      origin: options.origin,
      autoPong: options.autoPong ?? true,
    });
    const client = new WsTestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (req, res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          req.destroy();
          reject(new WsRefusedError(res.statusCode ?? 0, body));
        });
      });
    });
  }

  /** Connects and waits for `connection_established`. */
  static async open(baseUrl: string, options: WsConnectOptions = {}): Promise<WsTestClient> {
    const client = await WsTestClient.connect(baseUrl, options);
    await client.next('connection_established');
    return client;
  }

  /** The refusal of an upgrade the test expects to fail. */
  static async refusal(baseUrl: string, options: WsConnectOptions = {}): Promise<WsRefusedError> {
    const client = await WsTestClient.connect(baseUrl, options).catch((err: unknown) => err);
    if (client instanceof WsRefusedError) return client;
    if (client instanceof WsTestClient) client.terminate();
    throw new Error(`expected the upgrade to be refused, got ${client instanceof WsTestClient ? 'an open socket' : String(client)}`);
  }

  /** Sends an object as JSON, or a string as it is. */
  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The oldest unconsumed frame of this type. */
  next<T extends WsFrame = WsFrame>(type: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return this.waitFor((frame) => frame.type === type, timeoutMs, `a "${type}" frame`) as Promise<T>;
  }

  /** The oldest unconsumed frame matching the predicate. */
  waitFor(predicate: (frame: WsFrame) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'a matching frame'): Promise<WsFrame> {
    const index = this.frames.findIndex((frame, i) => !this.consumed.has(i) && predicate(frame));
    if (index >= 0) {
      this.consumed.add(index);
      return Promise.resolve(this.frames[index]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Collects `count` frames of a type, in order. */
  async take(type: string, count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WsFrame[]> {
    const frames: WsFrame[] = [];
    for (let i = 0; i < count; i++) frames.push(await this.next(type, timeoutMs));
    return frames;
  }

  /** Every frame of this type received so far (consumed or not). */
  received(type: string): WsFrame[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  /** Sends a ping frame and waits for its pong: everything the server sent before it has arrived. */
  async roundTrip(): Promise<void> {
    const from = this.frames.length;
    this.send({ type: 'ping' });
    await this.waitFor((frame) => frame.type === 'pong' && this.frames.indexOf(frame) >= from, DEFAULT_TIMEOUT_MS, 'the pong of a round trip');
  }

  /** Stops reading from the TCP socket: the server's unsent data piles up (a slow consumer). */
  pauseReading(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resumeReading(): void {
    (this.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  close(): Promise<WsClose> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
    return this.closed;
  }

  terminate(): void {
    this.socket.terminate();
  }

  private receive(frame: WsFrame): void {
    const index = this.frames.push(frame) - 1;
    for (const waiter of this.waiters) {
      if (waiter.predicate(frame)) {
        this.waiters.delete(waiter);
        this.consumed.add(index);
        waiter.resolve(frame);
        return;
      }
    }
  }
}
