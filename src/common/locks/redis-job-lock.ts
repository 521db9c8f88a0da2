import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_PREFIX } from '../redis/redis-connection';
import { JobLock } from './job-lock';

/** The claim is a `SET job:<name> <instance> NX PX ttl` key: the first instance to set it runs the job. */
export class RedisJobLock extends JobLock {
  private readonly logger = new Logger(RedisJobLock.name);

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
  ) {
    super();
  }

  async runOnce(jobName: string, ttlMs: number, job: () => Promise<void>): Promise<boolean> {
    let claimed: string | null;
    try {
      claimed = await this.redis.set(`${REDIS_PREFIX}job:${jobName}`, this.instanceId, 'PX', ttlMs, 'NX');
    } catch (err) {
      // A skipped run of a periodic job is harmless: the next tick does the work.
      this.logger.warn({ err, job: jobName }, 'Job skipped: Redis unavailable');
      return false;
    }
    if (claimed !== 'OK') return false;
    await job();
    return true;
  }
}
