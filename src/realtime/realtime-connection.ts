import WebSocket from 'ws';
import { RealtimePrincipal } from './realtime-principal';

interface HeldMessage {
  seq: number;
  frame: Buffer;
}

/**
 * One open socket: who it is, which sessions it follows, and the live message events held back
 * while a `resume` of that session is being answered.
 */
export class RealtimeConnection {
  /** Sessions an agent subscribed to (always empty for guests). */
  readonly subscriptions = new Set<string>();
  private readonly resuming = new Map<string, HeldMessage[]>();

  constructor(
    readonly socket: WebSocket,
    readonly principal: RealtimePrincipal,
    private readonly maxBufferedBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get agentId(): string | undefined {
    return this.principal.kind === 'agent' ? this.principal.agent.id : undefined;
  }

  /**
   * Writes an encoded frame. A socket whose unsent data passes WS_MAX_BUFFERED_BYTES is a consumer
   * that cannot keep up: it is terminated rather than allowed to grow memory.
   */
  send(frame: Buffer): void {
    if (!this.isOpen) return;
    this.socket.send(frame, { binary: false });
    if (this.socket.bufferedAmount > this.maxBufferedBytes) this.socket.terminate();
  }

  /** A message event: sent now, or held while this session's backlog is being resent. */
  sendMessage(sessionId: string, seq: number, frame: Buffer): void {
    const held = this.resuming.get(sessionId);
    if (held) held.push({ seq, frame });
    else this.send(frame);
  }

  isResuming(sessionId: string): boolean {
    return this.resuming.has(sessionId);
  }

  /** From now on live messages of this session are held until `endResume`. */
  beginResume(sessionId: string): void {
    this.resuming.set(sessionId, []);
  }

  /** Sends the held messages the backlog did not contain (seq above `lastSentSeq`), in seq order. */
  endResume(sessionId: string, lastSentSeq: number): number {
    const held = this.resuming.get(sessionId) ?? [];
    this.resuming.delete(sessionId);
    let last = lastSentSeq;
    for (const { seq, frame } of held.sort((a, b) => a.seq - b.seq)) {
      if (seq <= last) continue;
      this.send(frame);
      last = seq;
    }
    return last;
  }
}
