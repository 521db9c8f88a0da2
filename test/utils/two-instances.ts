import { createTestApp, TestApp } from './create-test-app';
import { TestRedisServer } from './redis-server';

export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  redis: TestRedisServer;
}

/**
 * Jest set-up for a describe block: instances A and B of the app on one database and one
 * throw-away redis-server (`REDIS_URL`), both with `env`. The fields are set in `beforeAll`; B is
 * closed first, then A drops the database, then Redis stops.
 */
export function useTwoInstances(env: Record<string, string> = {}): TwoInstances {
  const fleet = {} as TwoInstances;
  beforeAll(async () => {
    fleet.redis = await TestRedisServer.start();
    const shared = { ...env, REDIS_URL: fleet.redis.url };
    fleet.a = await createTestApp({ env: shared });
    fleet.b = await createTestApp({ env: shared, reuse: fleet.a });
  });
  afterAll(async () => {
    await fleet.b?.close();
    await fleet.a?.destroy();
    await fleet.redis?.stop();
  });
  return fleet;
}
