import { Global, Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { RedisEventBus } from './redis-event-bus';

/** One instance: the in-process bus. With `REDIS_URL`: the bus shared by every instance. */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisEventBus(redis) : new InProcessEventBus()),
    },
  ],
  exports: [EventBus],
})
export class EventsModule {}
