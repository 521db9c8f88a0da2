import { Injectable } from '@nestjs/common';
import { SessionChangeFeed } from './session-change-feed';
import { isClosedStatus } from './session-status';
import { NewSession, SessionChange, SessionRecord, SessionsRepository } from './sessions.repository';

/** A change of top-level fields only, so its result can be worked out without reading it back. */
export type FieldChange = Pick<SessionChange, 'set' | 'inc'>;

export interface AppliedFieldChange {
  before: SessionRecord;
  /** Worked out from `before` and `change`, not read back. */
  after: SessionRecord;
  change: FieldChange;
}

/** The session as `change` leaves it. */
function withChange(session: SessionRecord, change: FieldChange): SessionRecord {
  const counters = session as unknown as Record<string, number | undefined>;
  const incremented = Object.entries(change.inc ?? {}).map(([field, by]) => [field, (counters[field] ?? 0) + by]);
  return { ...session, ...change.set, ...Object.fromEntries(incremented) };
}

/**
 * Every write of a session goes through here, inside the session's lock: it writes, then hands the
 * session as it was and as it is to the `SessionChangeFeed` (the analytics rollups), so they never drift from the sessions.
 * Other modules (messages) keep a session's counters through it rather than through the repository.
 */
@Injectable()
export class SessionWriter {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly changes: SessionChangeFeed,
  ) {}

  /** null when the sessionId is taken. */
  async insert(session: NewSession): Promise<SessionRecord | null> {
    const created = await this.sessions.insertIfAbsent(session);
    if (created) await this.changes.emit(null, created);
    return created;
  }

  /** The session after the change (`before` when it vanished meanwhile). */
  async update(before: SessionRecord, change: SessionChange): Promise<SessionRecord> {
    const after = await this.sessions.update(before.sessionId, change);
    await this.changes.emit(before, after);
    return after ?? before;
  }

  /**
   * A change of plain fields and counters applied without reading the session first (see
   * `SessionsRepository.updateReturningBefore`); null when no session matched, or (with `openOnly`)
   * it was closed: the change is then put back. Undo it with `revert` inside the same lock.
   */
  async changeFields(sessionId: string, change: FieldChange, options: { openOnly: boolean }): Promise<AppliedFieldChange | null> {
    const before = await this.sessions.updateReturningBefore(sessionId, change);
    if (!before) return null;
    const applied = { before, after: withChange(before, change), change };
    await this.changes.emit(applied.before, applied.after);
    if (!options.openOnly || !isClosedStatus(before.status)) return applied;
    await this.revert(applied);
    return null;
  }

  /** Gives the fields a `changeFields` changed (but those in `keep`) and `updatedAt` their earlier values back. */
  async revert({ before, after, change }: AppliedFieldChange, keep: string[] = []): Promise<void> {
    const restored: Record<string, unknown> = {};
    const fields = [...Object.keys(change.set ?? {}), ...Object.keys(change.inc ?? {}), 'updatedAt'].filter((field) => !keep.includes(field));
    for (const field of fields) restored[field] = (before as Record<string, unknown>)[field];
    await this.sessions.restoreFields(before.sessionId, restored);
    await this.changes.emit(after, { ...after, ...restored });
  }

  /** An agent read one guest message: the unread count goes down by one, never below zero. */
  async countOneRead(sessionId: string): Promise<void> {
    const session = await this.sessions.findBySessionId(sessionId);
    if (session && session.unreadCount > 0) await this.update(session, { inc: { unreadCount: -1 } });
  }

  /** Whether the session exists: tells a missing session from a closed one after `changeFields` returned null. */
  exists(sessionId: string): Promise<boolean> {
    return this.sessions.exists(sessionId);
  }

  async delete(before: SessionRecord): Promise<boolean> {
    const deleted = await this.sessions.delete(before.sessionId);
    if (deleted) await this.changes.emit(before, null);
    return deleted;
  }
}
