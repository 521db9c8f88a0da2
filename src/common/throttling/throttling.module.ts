import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { Env } from '../../config/env.validation';

/**
 * The spec's general limit (100 requests per 15 minutes per IP by default). The client IP is
 * `req.ip`, which honours TRUST_PROXY hops only. Routes raise or lower it with `@Throttle`.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        throttlers: [{ name: 'default', ttl: config.get('RATE_LIMIT_WINDOW_MS', { infer: true }), limit: config.get('RATE_LIMIT_MAX', { infer: true }) }],
        skipIf: () => !config.get('RATE_LIMIT_ENABLED', { infer: true }),
        errorMessage: 'Too many requests, please try again later.',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
