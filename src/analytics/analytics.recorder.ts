import { Injectable } from '@nestjs/common';
import { KeyedLock } from '../common/locks/keyed-lock';
import { AnalyticsRepository } from './analytics.repository';
import { rollupDeltas, SessionAnalyticsFacts } from './analytics-rollup';

/** The lock key of a day's rollup. */
export const rollupLockKey = (day: string) => `rollup:${day}`;

/**
 * Keeps the daily rollups (`analyticsdays`) equal to what the sessions say. Whoever writes a session
 * calls `record(before, after)` right after the write, inside the session's lock, with the session
 * as it was and as it is now (lean documents fit; `null` before a create and after a delete).
 * Only the analytics fields are compared (dayKey, assignedAgent, messageCount, closed, rated,
 * ratingScore, firstResponseMs); a write that changes none of them costs nothing.
 */
@Injectable()
export class AnalyticsRecorder {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly lock: KeyedLock,
  ) {}

  async record(before: SessionAnalyticsFacts | null, after: SessionAnalyticsFacts | null): Promise<void> {
    for (const [day, delta] of rollupDeltas(before, after)) {
      // The embedded database loses concurrent $inc's on one document: one writer per day.
      await this.lock.run(rollupLockKey(day), async () => {
        const rollup = await this.repository.applyDelta(day, delta);
        const removed = delta.removedResponseMs;
        if (removed !== undefined && (rollup?.responseMsMin === removed || rollup?.responseMsMax === removed)) {
          await this.repository.recountResponseExtremes(day);
        }
      });
    }
  }
}
