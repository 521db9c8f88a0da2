import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { closeRedisClients, TestRedisServer } from '../../../test/utils/redis-server';
import { RedisSharedGauge } from './redis-shared-gauge';
import { InProcessSharedGauge } from './shared-gauge';

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisSharedGauge (real redis-server)', () => {
  let server: TestRedisServer;
  let clients: Redis[];
  let gauges: RedisSharedGauge[];

  async function instance(id: string): Promise<{ gauge: RedisSharedGauge; client: Redis }> {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    clients.push(client);
    const gauge = new RedisSharedGauge(client, id, { heartbeatMs: 100, expiryMs: 1_000 });
    gauges.push(gauge);
    await gauge.onApplicationBootstrap();
    return { gauge, client };
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await TestRedisServer.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    clients = [];
    gauges = [];
  });
  afterEach(async () => {
    for (const gauge of gauges) await gauge.beforeApplicationShutdown();
    await closeRedisClients(clients);
    const cleaner = server.client();
    await cleaner.flushall();
    await cleaner.quit();
  });

  it('counts across instances and refuses past the maximum wherever the slot is asked for', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    expect(await a.gauge.increment('ip:1', 3)).toBe(1);
    expect(await b.gauge.increment('ip:1', 3)).toBe(2);
    expect(await a.gauge.increment('ip:1', 3)).toBe(3);
    expect(await b.gauge.increment('ip:1', 3)).toBeNull();
    expect(await a.gauge.increment('ip:1', 3)).toBeNull();
    expect(await b.gauge.decrement('ip:1')).toBe(2);
    expect(await b.gauge.increment('ip:1', 3)).toBe(3);
    expect(await a.gauge.total('ip:1')).toBe(3);
    expect(await a.gauge.increment('ip:2', 3)).toBe(1);
  });

  it('stops counting a dead instance and reports each key it leaves at zero once', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    const orphanedOnA: string[] = [];
    a.gauge.onOrphaned((key) => void orphanedOnA.push(key));
    await b.gauge.increment('presence:x');
    await b.gauge.increment('presence:y');
    await a.gauge.increment('presence:y');
    b.client.disconnect(); // b's process "crashes": no more heartbeats
    await until(async () => (await a.gauge.total('presence:x')) === 0, 'b to expire');
    await until(() => orphanedOnA.length > 0, 'the reaper');
    expect(orphanedOnA).toEqual(['presence:x']);
    expect(await a.gauge.total('presence:y')).toBe(1);
  });

  it('leaves the fleet on shutdown: its shares stop counting at once and are reported', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    const orphaned: string[] = [];
    a.gauge.onOrphaned((key) => void orphaned.push(key));
    b.gauge.onOrphaned((key) => void orphaned.push(key));
    await b.gauge.increment('presence:z');
    await b.gauge.beforeApplicationShutdown();
    expect(await a.gauge.total('presence:z')).toBe(0);
    expect(orphaned).toEqual(['presence:z']);
    // Its sockets closing afterwards report no second transition, and it takes no new ones.
    expect(await b.gauge.decrement('presence:z')).toBeNull();
    expect(await b.gauge.increment('presence:z')).toBeNull();
    expect(await b.gauge.total('presence:z')).toBe(0);
  });

  it('counts locally while Redis is away and writes its shares back when it returns', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    await a.gauge.increment('ip:9');
    await server.stop();
    expect(await a.gauge.increment('ip:9', 5)).toBe(2);
    await server.start(); // empty: Redis lost everything
    await until(async () => (await b.gauge.total('ip:9').catch(() => 0)) === 2, 'a to rewrite its shares');
  });
});

describe('InProcessSharedGauge', () => {
  it('counts up to a maximum and back down to zero', async () => {
    const gauge = new InProcessSharedGauge();
    expect(await gauge.increment('k', 2)).toBe(1);
    expect(await gauge.increment('k', 2)).toBe(2);
    expect(await gauge.increment('k', 2)).toBeNull();
    expect(await gauge.decrement('k')).toBe(1);
    expect(await gauge.decrement('k')).toBe(0);
    expect(await gauge.decrement('k')).toBe(0);
    expect(await gauge.total('k')).toBe(0);
  });
});
