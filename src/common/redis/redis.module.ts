import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** The shared Redis connections (`REDIS_URL`); see docs/architecture.md, "Several instances". */
@Global()
@Module({
  providers: [RedisConnection],
  exports: [RedisConnection],
})
export class RedisModule {}
