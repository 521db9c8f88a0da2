import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KeyedLock } from '../common/locks/keyed-lock';
import { Env } from '../config/env.validation';
import { SessionChangeFeed } from '../chat/sessions/session-change-feed';
import { SessionFacts } from '../chat/sessions/session-facts';
import { AnalyticsRepository } from './analytics.repository';
import { MergedDayDelta, mergeDelta, rollupDeltas, SessionAnalyticsFacts } from './analytics-rollup';

/** The lock key of a day's rollup. */
export const rollupLockKey = (day: string) => `rollup:${day}`;

/**
 * Keeps the daily rollups (`analyticsdays`) equal to what the sessions say. It hears every session
 * write on the chat's `SessionChangeFeed`, inside the session's lock, with the session as it was and
 * as it is now (`null` before a create and after a delete).
 * Only the analytics fields are compared (dayKey, assignedAgent, messageCount, closed, rated,
 * ratingScore, firstResponseMs); a write that changes none of them costs nothing.
 *
 * `record` only adds the change to an in-memory buffer (one merged delta per day). `flush()` writes
 * the buffer, one `applyDelta` per day; it runs ANALYTICS_FLUSH_INTERVAL_MS after the first change
 * it has not written, before every report (`AnalyticsService`) and at shutdown. A day whose write
 * fails stays buffered for the next flush. So this instance's reports are exact, other instances
 * see its changes up to one interval later, and a crash loses the unwritten changes to the rollups
 * (`npm run analytics:rebuild` recounts them).
 */
@Injectable()
export class AnalyticsRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AnalyticsRecorder.name);
  private readonly intervalMs: number;
  private pending = new Map<string, MergedDayDelta>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The latest flush: the next one starts after it, so flushes never overlap. */
  private lastFlush: Promise<void> = Promise.resolve();
  /** A flush requested but not started yet: later requests share it. */
  private queuedFlush: Promise<void> | null = null;

  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly sessions: SessionFacts,
    private readonly changes: SessionChangeFeed,
    private readonly lock: KeyedLock,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('ANALYTICS_FLUSH_INTERVAL_MS', { infer: true });
  }

  onModuleInit(): void {
    this.changes.subscribe((before, after) => this.record(before, after));
  }

  async record(before: SessionAnalyticsFacts | null, after: SessionAnalyticsFacts | null): Promise<void> {
    for (const [day, delta] of rollupDeltas(before, after)) mergeDelta(this.pending, day, delta);
    this.schedule();
  }

  /** Writes every change recorded before the call (after the flush already running, if any). */
  flush(): Promise<void> {
    if (!this.queuedFlush) {
      this.queuedFlush = this.lastFlush.then(() => {
        this.queuedFlush = null;
        return this.writePending();
      });
      this.lastFlush = this.queuedFlush;
    }
    return this.queuedFlush;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flush();
    if (this.pending.size > 0) this.logger.error({ days: [...this.pending.keys()] }, 'Analytics changes of these days could not be written before shutdown');
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Never rejects: a day that fails goes back into the buffer. */
  private async writePending(): Promise<void> {
    const days = this.pending;
    this.pending = new Map();
    for (const [day, delta] of days) {
      const unwritten = await this.writeDay(day, delta);
      if (unwritten) mergeDelta(this.pending, day, unwritten);
    }
    this.schedule();
  }

  /** What is left of `delta` when the lock or the database failed. */
  private async writeDay(day: string, delta: MergedDayDelta): Promise<MergedDayDelta | undefined> {
    let applied = false;
    try {
      // The embedded database loses concurrent $inc's on one document: one writer per day, fleet-wide.
      await this.lock.run(rollupLockKey(day), async () => {
        if (Object.keys(delta.inc).length > 0 || delta.addedResponseMs !== undefined) await this.repository.applyDelta(day, delta);
        applied = true;
        // After applying, from the sessions: a time that left the day may have been its min or max.
        if (delta.responseRemoved) await this.repository.setResponseExtremes(day, await this.sessions.responseTimeExtremes(day));
      });
      return undefined;
    } catch (err) {
      this.logger.warn({ err, day }, 'Writing the analytics rollup failed; kept for the next flush');
      if (!applied) return delta;
      return delta.responseRemoved ? { inc: {}, responseRemoved: true } : undefined;
    }
  }
}
