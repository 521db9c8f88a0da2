import { Injectable } from '@nestjs/common';
import { AnalyticsRecorder } from '../analytics/analytics.recorder';
import { NewSession, SessionChange, SessionRecord, SessionsRepository } from './sessions.repository';

/**
 * Every write of a session goes through here, inside the session's lock: it writes, then hands the
 * session as it was and as it is to the analytics rollups, so they never drift from the sessions.
 */
@Injectable()
export class SessionWriter {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /** null when the sessionId is taken. */
  async insert(session: NewSession): Promise<SessionRecord | null> {
    const created = await this.sessions.insertIfAbsent(session);
    if (created) await this.analytics.record(null, created);
    return created;
  }

  /** The session after the change (`before` when it vanished meanwhile). */
  async update(before: SessionRecord, change: SessionChange): Promise<SessionRecord> {
    const after = await this.sessions.update(before.sessionId, change);
    await this.analytics.record(before, after);
    return after ?? before;
  }

  async delete(before: SessionRecord): Promise<boolean> {
    const deleted = await this.sessions.delete(before.sessionId);
    if (deleted) await this.analytics.record(before, null);
    return deleted;
  }
}
