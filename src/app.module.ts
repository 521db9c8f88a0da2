import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventsModule } from './common/events/events.module';
import { LocksModule } from './common/locks/locks.module';
import { LoggingModule } from './common/logging/logging.module';
import { ThrottlingModule } from './common/throttling/throttling.module';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';

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
        EventsModule,
        LocksModule,
        DatabaseModule,
        ThrottlingModule,
        HealthModule,
      ],
    };
  }
}
