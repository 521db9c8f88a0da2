import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_PREFIX } from '../redis/redis-connection';
import { InProcessWindowCounter, WindowCounter } from './window-counter';

const HIT = `local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits`;

/** `INCR` + `PEXPIRE` on the first hit, in one script. While Redis is away, each instance counts alone (logged). */
export class RedisWindowCounter extends WindowCounter {
  private readonly logger = new Logger(RedisWindowCounter.name);
  private readonly fallback = new InProcessWindowCounter();

  constructor(private readonly redis: Redis) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<number> {
    try {
      return (await this.redis.eval(HIT, 1, this.name(key), windowMs)) as number;
    } catch (err) {
      this.logger.warn({ err }, 'Counted on this instance only: Redis unavailable');
      return this.fallback.hit(key, windowMs);
    }
  }

  async count(key: string): Promise<number> {
    try {
      return Number((await this.redis.get(this.name(key))) ?? 0);
    } catch (err) {
      this.logger.warn({ err }, 'Counted on this instance only: Redis unavailable');
      return this.fallback.count(key);
    }
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    try {
      await this.redis.del(this.name(key));
    } catch (err) {
      this.logger.warn({ err }, 'Could not reset a counter: Redis unavailable');
    }
  }

  private name(key: string): string {
    return `${REDIS_PREFIX}count:${key}`;
  }
}
