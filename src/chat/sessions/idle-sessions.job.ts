import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobLock } from '../../common/locks/job-lock';
import { Env } from '../../config/env.validation';
import { AdminSessionsService } from './admin-sessions.service';
import { SessionsRepository } from './sessions.repository';

const MIN_INTERVAL_MS = 60_000;
const MAX_INTERVAL_MS = 5 * 60_000;
/** Sessions closed per query; a sweep queries again while a full batch closed something. */
const BATCH_SIZE = 100;

/**
 * Closes pending/active sessions unchanged for SESSION_IDLE_CLOSE_MINUTES (0 = off), checking every
 * quarter of that time (between one and five minutes), once across the fleet. `sweep()` is the whole
 * job, callable directly.
 */
@Injectable()
export class IdleSessionsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdleSessionsJob.name);
  private readonly idleMs: number;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly admin: AdminSessionsService,
    private readonly jobLock: JobLock,
    config: ConfigService<Env, true>,
  ) {
    this.idleMs = config.get('SESSION_IDLE_CLOSE_MINUTES', { infer: true }) * 60_000;
    this.intervalMs = Math.min(Math.max(this.idleMs / 4, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    if (this.idleMs === 0) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Closes every session idle for SESSION_IDLE_CLOSE_MINUTES now; returns how many (0 when the feature is off). */
  async sweep(now = new Date()): Promise<number> {
    if (this.idleMs === 0) return 0;
    const idleBefore = new Date(now.getTime() - this.idleMs);
    let total = 0;
    for (;;) {
      const sessionIds = await this.sessions.findIdleOpen(idleBefore, BATCH_SIZE);
      let closed = 0;
      for (const sessionId of sessionIds) {
        try {
          if (await this.admin.closeIdle(sessionId, idleBefore)) closed += 1;
        } catch (err) {
          this.logger.error({ err, sessionId }, 'Closing an idle session failed');
        }
      }
      total += closed;
      if (sessionIds.length < BATCH_SIZE || closed === 0) return total;
    }
  }

  private async run(): Promise<void> {
    try {
      await this.jobLock.runOnce('close-idle-sessions', this.intervalMs - 5_000, async () => {
        const closed = await this.sweep();
        if (closed > 0) this.logger.log(`Closed ${closed} idle sessions`);
      });
    } catch (err) {
      this.logger.error({ err }, 'Closing idle sessions failed');
    }
  }
}
