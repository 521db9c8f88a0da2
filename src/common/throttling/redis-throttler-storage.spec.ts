import { unreachableRedisClient, useRedisServer } from '../../../test/utils/redis-server';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const hit = (storage: RedisThrottlerStorage, key = 'ip-1') => storage.increment(key, 60_000, 3, 60_000, 'default');

describe('RedisThrottlerStorage', () => {
  const redis = useRedisServer();

  it('counts one client across instances and blocks past the limit on all of them', async () => {
    const [a, b] = [0, 1].map(() => new RedisThrottlerStorage(redis.connect()));
    expect((await hit(a)).totalHits).toBe(1);
    expect((await hit(b)).totalHits).toBe(2);
    expect(await hit(a)).toMatchObject({ totalHits: 3, isBlocked: false });
    expect(await hit(b)).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(await hit(a, 'ip-2')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts on the instance while Redis is unreachable instead of failing the request', async () => {
    const storage = new RedisThrottlerStorage(await unreachableRedisClient());
    for (let i = 1; i <= 3; i++) expect(await hit(storage)).toMatchObject({ totalHits: i, isBlocked: false });
    expect(await hit(storage)).toMatchObject({ isBlocked: true });
    storage.onApplicationShutdown();
  });
});
