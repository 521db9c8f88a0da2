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

/**
 * Read receipts per second: the server takes WS_MESSAGES_PER_SECOND frames (20 by default) and
 * drops the rest, and opening a chat with many unread messages would send them all at once.
 */
const RECEIPTS_PER_SECOND = 8;

/** The agent's socket: follows the open conversation (again after a reconnect) and resumes it. */
export class AdminSocket {
  private readonly socket: LiveSocket;
  private followed?: string;
  private wasOnline = false;
  private readonly receipts = new Map<string, string>();
  private readonly queued = new Set<string>();
  private receiptTimer?: ReturnType<typeof setInterval>;
  private sentThisSecond = 0;
  private secondStartedAt = 0;

  constructor(options: Options) {
    const url = new URL('/ws/live-chat', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ admin: 'true', userId: options.agentId }).toString();
    this.socket = new LiveSocket({
      url: () => url.toString(),
      protocols: () => ['bearer', options.token],
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

  /** Queues a read receipt for a guest message (each once), sent at a pace the server accepts. */
  markRead(sessionId: string, messageId: string): void {
    if (this.queued.has(messageId)) return;
    this.queued.add(messageId);
    this.receipts.set(messageId, sessionId);
    this.receiptTimer ??= setInterval(() => this.sendReceipts(), 1000);
    this.sendReceipts();
  }

  close(): void {
    clearInterval(this.receiptTimer);
    this.socket.stop();
  }

  private sendReceipts(): void {
    const now = Date.now();
    if (now - this.secondStartedAt >= 1000) {
      this.secondStartedAt = now;
      this.sentThisSecond = 0;
    }
    for (const [messageId, sessionId] of this.receipts) {
      if (this.sentThisSecond >= RECEIPTS_PER_SECOND || !this.send({ type: 'read_receipt', messageId, sessionId })) break;
      this.sentThisSecond += 1;
      this.receipts.delete(messageId);
    }
    if (this.receipts.size === 0) {
      clearInterval(this.receiptTimer);
      this.receiptTimer = undefined;
    }
  }
}
