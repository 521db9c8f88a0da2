import { Global, Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { ConnectionLimiter } from './connection-limiter';
import { PresenceStore } from './presence-store';
import { RedisSharedGauge } from './redis-shared-gauge';
import { InProcessSharedGauge, SharedGauge } from './shared-gauge';

/**
 * State every instance must agree on: agent presence and WebSocket connections per IP. In memory
 * for one instance; in Redis with `REDIS_URL`.
 */
@Global()
@Module({
  providers: [
    {
      provide: SharedGauge,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSharedGauge(redis.client, redis.instanceId) : new InProcessSharedGauge()),
    },
    PresenceStore,
    ConnectionLimiter,
  ],
  exports: [SharedGauge, PresenceStore, ConnectionLimiter],
})
export class FleetModule {}
