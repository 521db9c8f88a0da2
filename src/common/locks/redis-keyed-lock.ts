import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code';
import { REDIS_PREFIX } from '../redis/redis-connection';
import { InProcessKeyedLock } from './in-process-keyed-lock';
import { KeyedLock } from './keyed-lock';

/** Deletes or extends the lock only while it still holds our token (it may have expired and moved on). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisKeyedLockOptions {
  /** Lifetime of a lock key; renewed every third of it while the section runs, so a crash frees it. */
  ttlMs: number;
  /** How long to wait for another instance's section before giving up with 503. */
  waitMs: number;
}

export const BUSY_MESSAGE = 'Service temporarily unavailable, please try again';

/**
 * Per-key mutual exclusion across every instance sharing the Redis: `SET key token NX PX ttl`,
 * retried with capped exponential backoff and jitter, renewed while the section runs and released
 * with a compare-and-delete script. An in-process queue sits in front, so one instance asks Redis
 * for a key only once at a time. Redis unreachable or the key busy past `waitMs` → 503.
 */
export class RedisKeyedLock extends KeyedLock {
  private readonly logger = new Logger(RedisKeyedLock.name);
  private readonly local = new InProcessKeyedLock();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisKeyedLockOptions = { ttlMs: 15_000, waitMs: 10_000 },
  ) {
    super();
  }

  run<T>(key: string, criticalSection: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const name = `${REDIS_PREFIX}lock:${key}`;
      const token = randomBytes(16).toString('hex');
      await this.acquire(name, token);
      const renewal = setInterval(() => void this.extend(name, token), Math.floor(this.options.ttlMs / 3));
      renewal.unref();
      try {
        return await criticalSection();
      } finally {
        clearInterval(renewal);
        await this.release(name, token);
      }
    });
  }

  private async acquire(name: string, token: string): Promise<void> {
    const deadline = Date.now() + this.options.waitMs;
    let backoff = 5;
    for (;;) {
      let acquired: string | null;
      try {
        acquired = await this.redis.set(name, token, 'PX', this.options.ttlMs, 'NX');
      } catch (err) {
        this.logger.error({ err, lock: name }, 'Cannot take a lock: Redis unavailable');
        throw new AppException(ErrorCode.ServiceUnavailable, BUSY_MESSAGE);
      }
      if (acquired === 'OK') return;
      if (Date.now() >= deadline) {
        this.logger.warn({ lock: name }, `Lock still busy after ${this.options.waitMs} ms`);
        throw new AppException(ErrorCode.ServiceUnavailable, BUSY_MESSAGE);
      }
      await new Promise((r) => setTimeout(r, backoff / 2 + Math.random() * backoff));
      backoff = Math.min(backoff * 2, 100);
    }
  }

  private async extend(name: string, token: string): Promise<void> {
    try {
      const extended = await this.redis.eval(EXTEND, 1, name, token, this.options.ttlMs);
      if (extended !== 1) this.logger.error({ lock: name }, 'Lock expired while its section was still running');
    } catch (err) {
      this.logger.warn({ err, lock: name }, 'Cannot renew a lock: Redis unavailable');
    }
  }

  private async release(name: string, token: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE, 1, name, token);
    } catch (err) {
      // The key expires on its own after ttlMs.
      this.logger.warn({ err, lock: name }, 'Cannot release a lock: Redis unavailable');
    }
  }
}
