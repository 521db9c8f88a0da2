import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AccessModule } from './access/access.module';
import { AgentsModule } from './agents/agents.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { EventsModule } from './common/events/events.module';
import { FleetModule } from './common/fleet/fleet.module';
import { LocksModule } from './common/locks/locks.module';
import { LoggingModule } from './common/logging/logging.module';
import { RedisModule } from './common/redis/redis.module';
import { ThrottlingModule } from './common/throttling/throttling.module';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { RealtimeModule } from './realtime/realtime.module';
import { WebModule } from './web/web.module';

export interface AppModuleOptions {
  /** Values that win over process.env (tests start apps with their own settings). */
  env?: Record<string, string>;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: process.env.NODE_ENV === 'test',
          validate: (raw) => validateEnv({ ...raw, ...options.env }),
        }),
        LoggingModule,
        RedisModule,
        EventsModule,
        LocksModule,
        FleetModule,
        DatabaseModule,
        ThrottlingModule,
        AccessModule,
        HealthModule,
        AgentsModule,
        AnalyticsModule,
        AuthModule,
        ChatModule,
        AttachmentsModule,
        RealtimeModule,
        WebModule,
      ],
    };
  }
}
