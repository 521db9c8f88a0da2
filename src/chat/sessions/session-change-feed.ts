import { Injectable } from '@nestjs/common';
import type { SessionRecord } from './sessions.repository';

/** Called inside the session's lock right after each write, with the session as it was and as it is (null: created / deleted). */
export type SessionChangeListener = (before: SessionRecord | null, after: SessionRecord | null) => Promise<void>;

/**
 * Every session write, in the process that made it, exactly once: for listeners that must never
 * miss or double-count one (the analytics rollups). Unlike the event bus it is awaited and local.
 */
@Injectable()
export class SessionChangeFeed {
  private readonly listeners: SessionChangeListener[] = [];

  subscribe(listener: SessionChangeListener): void {
    this.listeners.push(listener);
  }

  async emit(before: SessionRecord | null, after: SessionRecord | null): Promise<void> {
    for (const listener of this.listeners) await listener(before, after);
  }
}
