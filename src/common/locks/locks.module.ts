import { Global, Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { InProcessJobLock, JobLock } from './job-lock';
import { InProcessKeyedLock } from './in-process-keyed-lock';
import { KeyedLock } from './keyed-lock';
import { RedisJobLock } from './redis-job-lock';
import { RedisKeyedLock } from './redis-keyed-lock';

/** One instance: locks in memory. With `REDIS_URL`: locks every instance respects. */
@Global()
@Module({
  providers: [
    {
      provide: KeyedLock,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisKeyedLock(redis.client) : new InProcessKeyedLock()),
    },
    {
      provide: JobLock,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisJobLock(redis.client, redis.instanceId) : new InProcessJobLock()),
    },
  ],
  exports: [KeyedLock, JobLock],
})
export class LocksModule {}
