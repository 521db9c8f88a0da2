import { ExecutionContext, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Env } from '../../config/env.validation';
import { RedisConnection } from '../redis/redis-connection';
import { AppThrottlerGuard } from './app-throttler.guard';
import { RATE_LIMIT_GROUP, RateLimitGroup } from './rate-limit.decorator';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const HOUR_MS = 3600_000;

/**
 * Per-IP HTTP limits (docs/security.md). The client IP is `req.ip`, which honours exactly
 * TRUST_PROXY hops of `X-Forwarded-For`, so a forged header never buys a fresh bucket. Routes
 * choose a bucket with `@RateLimit('messages' | 'sessions')`, may change a number with `@Throttle`,
 * and opt out with `@SkipThrottle()`. With `REDIS_URL` the counters live in Redis, shared by
 * every instance; without it, in this process (a fixed window per key, the same rules).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, Reflector, RedisConnection],
      useFactory: (config: ConfigService<Env, true>, reflector: Reflector, redis: RedisConnection) => {
        const enabled = config.get('RATE_LIMIT_ENABLED', { infer: true });
        const window = config.get('RATE_LIMIT_WINDOW_MS', { infer: true });
        const groupOf = (context: ExecutionContext): RateLimitGroup =>
          reflector.getAllAndOverride<RateLimitGroup>(RATE_LIMIT_GROUP, [context.getHandler(), context.getClass()]) ?? 'general';
        const skipUnless = (...groups: RateLimitGroup[]) => (context: ExecutionContext) => !enabled || !groups.includes(groupOf(context));
        return {
          throttlers: [
            { name: 'default', ttl: window, limit: config.get('RATE_LIMIT_MAX', { infer: true }), skipIf: skipUnless('general', 'sessions') },
            { name: 'messages', ttl: window, limit: config.get('RATE_LIMIT_MESSAGES_MAX', { infer: true }), skipIf: skipUnless('messages') },
            { name: 'sessions', ttl: HOUR_MS, limit: config.get('SESSIONS_PER_IP_PER_HOUR', { infer: true }), skipIf: skipUnless('sessions') },
          ],
          storage: redis.client ? new RedisThrottlerStorage(redis.client) : new FixedWindowThrottlerStorage(),
        };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AppThrottlerGuard }],
})
export class ThrottlingModule {}
