import { LiveSocket, SocketStatus } from '../../shared/socket';
import type { AdminEvent } from './types';

interface Options {
  token: string;
  agentId: string;
  onEvent(event: AdminEvent): void;
  /** `reconnected`: online again after a drop, so events may have been missed. */
  onStatus(status: SocketStatus, reconnected: boolean): void;
  /** The conversation on screen and the last seq it holds, resumed after every (re)connect. */
  resumePoint(): { sessionId: string; afterSeq: number } | null;
}

/** The agent's socket: follows the open conversation (again after a reconnect) and resumes it. */
export class AdminSocket {
  private readonly socket: LiveSocket;
  private followed?: string;
  private wasOnline = false;

  constructor(options: Options) {
    const url = new URL('/ws/live-chat', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ admin: 'true', userId: options.agentId, token: options.token }).toString();
    this.socket = new LiveSocket({
      url: () => url.toString(),
      onFrame: (frame) => options.onEvent(frame as AdminEvent),
      onStatus: (status) => {
        options.onStatus(status, status === 'online' && this.wasOnline);
        if (status === 'online') this.wasOnline = true;
      },
      resume: () => {
        const point = options.resumePoint();
        return point ? [point] : [];
      },
      onConnected: (send) => {
        if (this.followed) send({ type: 'subscribe_session', sessionId: this.followed });
      },
      stopOnCodes: [4401],
    });
    this.socket.start();
  }

  /** Follow one session (its agent messages, typing and receipts); unfollows the previous one. */
  follow(sessionId: string | undefined): void {
    if (this.followed === sessionId) return;
    if (this.followed) this.send({ type: 'unsubscribe_session', sessionId: this.followed });
    this.followed = sessionId;
    if (sessionId) this.send({ type: 'subscribe_session', sessionId });
  }

  send(frame: Record<string, unknown>): boolean {
    return this.socket.send(frame);
  }

  close(): void {
    this.socket.stop();
  }
}
