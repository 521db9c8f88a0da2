import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleMetadata } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { ExpressHttpAdapter } from '../../src/common/http/express-http.adapter';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port>/ws/live-chat */
  wsUrl: string;
  http: TestAgent;
  dbName: string;
  dataDir: string;
  connection: Connection;
  /** Closes the app; the database is kept so a new app can be started on it (restart tests). */
  close(): Promise<void>;
  /** Closes the app and drops its database and data folder. */
  destroy(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse the database (and data folder) of an earlier app: a restart. */
  reuse?: Pick<TestApp, 'dbName' | 'dataDir'>;
  /** Extra modules, e.g. a test-only controller. */
  imports?: ModuleMetadata['imports'];
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-production-use-0123';

function restoreEnv(saved: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}

/** Boots the real application on a fresh database of the run's embedded FerretDB. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const baseUri = process.env.TEST_MONGODB_BASE_URI;
  if (!baseUri) throw new Error('TEST_MONGODB_BASE_URI is not set: run the tests through jest (globalSetup starts the database)');
  const dbName = options.reuse?.dbName ?? `t_${process.env.JEST_WORKER_ID ?? 0}_${randomBytes(6).toString('hex')}`;
  const dataDir = options.reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), 'live-chat-test-')));
  const env = {
    NODE_ENV: 'test',
    MONGODB_URI: `${baseUri}${dbName}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_ENABLED: 'false',
    ...options.env,
  };
  // @nestjs/config copies validated values into process.env; restore it so the next app in this
  // file starts from the same environment instead of inheriting this one's settings.
  const savedEnv = { ...process.env };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ env }), ...(options.imports ?? [])],
  })
    .compile()
    .finally(() => restoreEnv(savedEnv));
  const app = moduleRef.createNestApplication<NestExpressApplication>(new ExpressHttpAdapter(), { bodyParser: false, bufferLogs: true });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const connection = app.get<Connection>(getConnectionToken());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws/live-chat`,
    http: request(app.getHttpServer()),
    dbName,
    dataDir,
    connection,
    close,
    destroy: async () => {
      if (!closed) await connection.dropDatabase().catch(() => undefined);
      await close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
