import { ChildProcess, spawn } from 'node:child_process';
import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { freePort } from '../../src/database/embedded-database';

/**
 * A throw-away redis-server on a free loopback port, without persistence. `stop()` and `start()`
 * again keep the port, which is how tests restart Redis under running apps.
 */
export class TestRedisServer {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (is it installed?)`);
      if (await this.ping()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer PING on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** A client for assertions and set-up; the caller disconnects it. */
  client(): Redis {
    return new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  private async ping(): Promise<boolean> {
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      await closeRedisClients([probe]);
    }
  }
}

/** Quits what is connected and drops the rest (a client already ended is left alone). */
export async function closeRedisClients(clients: Redis[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else if (client.status !== 'end') client.disconnect();
    }),
  );
}

/** A client of a Redis that was started and stopped again: every command fails at once. */
export async function unreachableRedisClient(): Promise<Redis> {
  const server = await TestRedisServer.start();
  const client = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  await client.ping();
  await server.stop();
  while (client.status !== 'end') await new Promise((r) => setTimeout(r, 10));
  return client;
}

/**
 * Jest set-up for a describe block: one redis-server for the block, and `connect()` for clients
 * that are closed after each test.
 */
export function useRedisServer(): { server: () => TestRedisServer; connect: (options?: RedisOptions) => Redis } {
  let server: TestRedisServer;
  let clients: Redis[] = [];
  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await TestRedisServer.start();
  });
  afterEach(async () => {
    await closeRedisClients(clients);
    clients = [];
  });
  afterAll(() => server.stop());
  return {
    server: () => server,
    connect: (options = {}) => {
      const client = new Redis(server.url, { maxRetriesPerRequest: 1, ...options });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
  };
}
