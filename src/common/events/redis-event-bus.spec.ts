import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TestRedisServer } from '../../../test/utils/redis-server';
import { Env } from '../../config/env.validation';
import { RedisConnection } from '../redis/redis-connection';
import { BusEvent } from './domain-events';
import { RedisEventBus } from './redis-event-bus';

interface Instance {
  connection: RedisConnection;
  bus: RedisEventBus;
  received: BusEvent[];
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const typing = (sessionId: string, isTyping = true) => ({ sessionId, isTyping, from: 'user' as const });

describe('RedisEventBus (real redis-server)', () => {
  let server: TestRedisServer;
  let instances: Instance[];

  async function start(): Promise<Instance> {
    const config = { get: () => server.url } as unknown as ConfigService<Env, true>;
    const connection = new RedisConnection(config);
    const bus = new RedisEventBus(connection);
    const received: BusEvent[] = [];
    bus.subscribe((event) => {
      if (!(event.payload as { sessionId?: string }).sessionId?.startsWith('probe')) received.push(event);
    });
    bus.onApplicationBootstrap();
    // The reader starts after whatever the stream holds: wait until it is reading.
    await until(() => connection.client?.status === 'ready', 'Redis');
    const probe = `probe-${instances.length}`;
    const ready: BusEvent[] = [];
    const stop = bus.subscribe((event) => ready.push(event));
    await until(() => {
      void connection.client?.xadd('livechat:events', '*', 'origin', 'probe', 'event', JSON.stringify({ name: 'typing.changed', payload: typing(probe) }));
      return ready.length > 0;
    }, 'the stream reader');
    stop();
    const instance = { connection, bus, received };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await TestRedisServer.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => (instances = []));
  afterEach(async () => {
    for (const { bus, connection } of instances) {
      await bus.onModuleDestroy();
      await connection.onApplicationShutdown();
    }
  });

  it('delivers every event once on every instance, the publisher included, in each publisher order', async () => {
    const [a, b] = [await start(), await start()];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => Promise.all([a.bus.publish('typing.changed', typing(`a${i}`)), b.bus.publish('typing.changed', typing(`b${i}`))])),
    );
    for (const instance of [a, b]) {
      await until(() => instance.received.length >= 100, 'all events');
      await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show up
      const ids = instance.received.map((e) => (e.payload as { sessionId: string }).sessionId);
      expect(ids).toHaveLength(100);
      expect(ids.filter((id) => id.startsWith('a'))).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
      expect(ids.filter((id) => id.startsWith('b'))).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`));
    }
  });

  it("gives 'own' subscribers only the events their instance published", async () => {
    const [a, b] = [await start(), await start()];
    const ownOnB: string[] = [];
    b.bus.subscribe((event) => void ownOnB.push((event.payload as { sessionId: string }).sessionId), 'own');
    await a.bus.publish('session.deleted', { sessionId: 'from-a' });
    await b.bus.publish('session.deleted', { sessionId: 'from-b' });
    await until(() => b.received.length === 2, 'both events on B');
    expect(ownOnB).toEqual(['from-b']);
  });

  it('delivers to local subscribers at once, before Redis has seen the event', async () => {
    const a = await start();
    const published = a.bus.publish('session.deleted', { sessionId: 's1' });
    expect(a.received).toEqual([{ name: 'session.deleted', payload: { sessionId: 's1' } }]);
    await published;
  });

  it('survives a Redis restart: publishing never throws and events flow again', async () => {
    const [a, b] = [await start(), await start()];
    await server.stop();
    await expect(a.bus.publish('session.deleted', { sessionId: 'while-down' })).resolves.toBeUndefined();
    expect(a.received.map((e) => e.payload)).toEqual([{ sessionId: 'while-down' }]);
    await server.start();
    await until(() => a.connection.client?.status === 'ready', 'reconnection');
    await until(() => {
      void a.bus.publish('session.deleted', { sessionId: 'after' });
      return b.received.some((e) => (e.payload as { sessionId: string }).sessionId === 'after');
    }, 'events after the restart');
  });
});
