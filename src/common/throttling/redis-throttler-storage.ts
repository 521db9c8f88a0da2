import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

type Increment = ThrottlerStorage['increment'];

/**
 * Rate-limit counters in Redis, so a client's limit is counted across every instance. While
 * Redis is unreachable each instance counts on its own (logged) rather than failing requests.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly shared: ThrottlerStorageRedisService;
  private readonly fallback = new FixedWindowThrottlerStorage();

  constructor(redis: Redis) {
    this.shared = new ThrottlerStorageRedisService(redis);
  }

  async increment(...args: Parameters<Increment>): ReturnType<Increment> {
    try {
      return await this.shared.increment(...args);
    } catch (err) {
      this.logger.warn({ err }, 'Rate limit counted on this instance only: Redis unavailable');
      return this.fallback.increment(...args);
    }
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown();
  }
}
