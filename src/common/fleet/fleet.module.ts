import { Global, Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { ConnectionLimiter } from './connection-limiter';
import { PresenceStore } from './presence-store';
import { RedisSharedGauge } from './redis-shared-gauge';
import { RedisWindowCounter } from './redis-window-counter';
import { InProcessSharedGauge, SharedGauge } from './shared-gauge';
import { InProcessWindowCounter, WindowCounter } from './window-counter';

/**
 * State every instance must agree on: agent presence, WebSocket connections per IP and windowed
 * counters (login attempts). In memory for one instance; in Redis with `REDIS_URL`.
 */
@Global()
@Module({
  providers: [
    {
      provide: SharedGauge,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSharedGauge(redis.client, redis.instanceId) : new InProcessSharedGauge()),
    },
    {
      provide: WindowCounter,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisWindowCounter(redis.client) : new InProcessWindowCounter()),
    },
    PresenceStore,
    ConnectionLimiter,
  ],
  exports: [SharedGauge, WindowCounter, PresenceStore, ConnectionLimiter],
})
export class FleetModule {}
