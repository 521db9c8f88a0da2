import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ExpressHttpAdapter } from './common/http/express-http.adapter';
import { setupApp } from './app.setup';
import { existsSync } from 'node:fs';
import { Env, validateEnv } from './config/env.validation';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  validateEnv(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), new ExpressHttpAdapter(), { bufferLogs: true, bodyParser: false, abortOnError: false });
  setupApp(app);
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
}

bootstrap().catch((err: Error) => {
  // Configuration and start-up problems are one clear line, not a stack trace.
  console.error(`Failed to start: ${err.message}`);
  process.exit(1);
});
