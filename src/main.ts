import 'reflect-metadata';
import { ShutdownSignal } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ExpressHttpAdapter } from './common/http/express-http.adapter';
import { setupApp } from './app.setup';
import { existsSync } from 'node:fs';
import { Env, validateEnv } from './config/env.validation';

/**
 * On the signals Nest shuts down on (enableShutdownHooks), ends the process after `timeoutMs`
 * if the shutdown has not: whatever hangs (a request on a frozen database, a stalled stdout), the
 * process does not stay. Unref'd: a shutdown that finishes re-raises the signal first.
 */
function exitAfterShutdownTimeout(timeoutMs: number): void {
  const signals = Object.values(ShutdownSignal);
  const arm = () => {
    for (const signal of signals) process.removeListener(signal, arm);
    setTimeout(() => {
      process.stderr.write(`Shutdown did not finish within ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
  };
  for (const signal of signals) process.on(signal, arm);
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), new ExpressHttpAdapter(), { bufferLogs: true, bodyParser: false, abortOnError: false });
  setupApp(app);
  exitAfterShutdownTimeout(env.SHUTDOWN_TIMEOUT_MS);
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
}

bootstrap().catch((err: Error) => {
  // Configuration and start-up problems are one clear line, not a stack trace.
  console.error(`Failed to start: ${err.message}`);
  process.exit(1);
});
