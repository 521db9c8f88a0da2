import { Injectable } from '@nestjs/common';

/**
 * Lets a scheduled job run once across the fleet: every instance's timer calls
 * `jobLock.runOnce('close-idle-sessions', ttlMs, () => ...)` and only the first to claim the job
 * for the next `ttlMs` runs it; the claim is not released early, so pick `ttlMs` a little shorter
 * than the job's interval (e.g. 50 s for a job run every minute). Returns whether it ran here.
 */
export abstract class JobLock {
  abstract runOnce(jobName: string, ttlMs: number, job: () => Promise<void>): Promise<boolean>;
}

/** One instance: a claim is just a time in memory. */
@Injectable()
export class InProcessJobLock extends JobLock {
  private readonly claimedUntil = new Map<string, number>();

  async runOnce(jobName: string, ttlMs: number, job: () => Promise<void>): Promise<boolean> {
    const now = Date.now();
    if ((this.claimedUntil.get(jobName) ?? 0) > now) return false;
    this.claimedUntil.set(jobName, now + ttlMs);
    await job();
    return true;
  }
}
