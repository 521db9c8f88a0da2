import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

describe('FixedWindowThrottlerStorage', () => {
  let now: number;
  let storage: FixedWindowThrottlerStorage;
  const hit = (key = 'ip-1', limit = 3, blockDuration = 60_000) => storage.increment(key, 60_000, limit, blockDuration, 'default');

  beforeEach(() => {
    now = 1_000_000;
    storage = new FixedWindowThrottlerStorage(() => now);
  });
  afterEach(() => storage.onApplicationShutdown());

  it('counts hits per key and throttler within one window', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    now += 15_500;
    expect(await hit()).toEqual({ totalHits: 2, timeToExpire: 45, isBlocked: false, timeToBlockExpire: 0 });
    expect((await hit('ip-2')).totalHits).toBe(1);
    expect((await storage.increment('ip-1', 60_000, 3, 60_000, 'messages')).totalHits).toBe(1);
  });

  it('blocks past the limit for blockDuration, then starts a new window with the next hit', async () => {
    for (let i = 0; i < 3; i++) expect((await hit(undefined, 3, 30_000)).isBlocked).toBe(false);
    expect(await hit(undefined, 3, 30_000)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 30 });
    now += 29_000;
    expect(await hit(undefined, 3, 30_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    now += 1_000;
    expect(await hit(undefined, 3, 30_000)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('starts a new window once the old one has ended', async () => {
    await hit();
    await hit();
    now += 60_000;
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('forgets ended windows but keeps running blocks', async () => {
    await hit('idle');
    for (let i = 0; i < 4; i++) await hit('blocked', 3, 120_000);
    now += 60_000;
    storage.evictExpired();
    expect(storage.size).toBe(1);
    expect(await hit('blocked', 3, 120_000)).toMatchObject({ isBlocked: true });
    now += 60_000;
    storage.evictExpired();
    expect(storage.size).toBe(0);
  });
});
