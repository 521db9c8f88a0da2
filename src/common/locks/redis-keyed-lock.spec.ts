import { unreachableRedisClient, useRedisServer } from '../../../test/utils/redis-server';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code';
import { BUSY_MESSAGE, RedisKeyedLock } from './redis-keyed-lock';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('RedisKeyedLock (real redis-server)', () => {
  const redis = useRedisServer();
  const client = () => redis.connect();

  it('serializes one key across two instances, so read-modify-writes lose nothing', async () => {
    const instances = [new RedisKeyedLock(client()), new RedisKeyedLock(client())];
    const store = client();
    await store.set('counter', '0');
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        instances[i % 2].run('session-a', async () => {
          const value = Number(await store.get('counter'));
          await tick();
          await store.set('counter', String(value + 1));
          seen.push(value + 1);
        }),
      ),
    );
    expect(await store.get('counter')).toBe('40');
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await store.keys('livechat:lock:*')).toEqual([]);
  });

  it('keeps different keys independent and returns the section value', async () => {
    const lock = new RedisKeyedLock(client());
    let release!: () => void;
    const blocked = lock.run('a', () => new Promise<string>((r) => (release = () => r('a done'))));
    await expect(lock.run('b', async () => 'free')).resolves.toBe('free');
    release();
    await expect(blocked).resolves.toBe('a done');
  });

  it('releases the key when the section throws', async () => {
    const lock = new RedisKeyedLock(client());
    await expect(lock.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 42)).resolves.toBe(42);
  });

  it('renews the key while a section outlives the ttl', async () => {
    const holder = new RedisKeyedLock(client(), { ttlMs: 900, waitMs: 10_000 });
    const other = new RedisKeyedLock(client(), { ttlMs: 900, waitMs: 10_000 });
    const order: string[] = [];
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const slow = holder.run('k', async () => {
      entered();
      order.push('slow start');
      await new Promise((r) => setTimeout(r, 2_500)); // almost three times the ttl
      order.push('slow end');
    });
    await inside;
    await other.run('k', async () => void order.push('other'));
    await slow;
    expect(order).toEqual(['slow start', 'slow end', 'other']);
  });

  it('gives up with 503 when another instance holds the key too long', async () => {
    const holder = new RedisKeyedLock(client(), { ttlMs: 5_000, waitMs: 5_000 });
    const impatient = new RedisKeyedLock(client(), { ttlMs: 5_000, waitMs: 200 });
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = holder.run('k', () => new Promise<void>((r) => { entered(); release = r; }));
    await inside;
    const error = await impatient.run('k', async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ code: ErrorCode.ServiceUnavailable, message: BUSY_MESSAGE });
    release();
    await held;
  });

  it('never deletes a key another holder took after it expired', async () => {
    const store = client();
    const lock = new RedisKeyedLock(client(), { ttlMs: 100, waitMs: 5_000 });
    await lock.run('k', async () => {
      // Simulate expiry and a new owner in the middle of the section.
      await store.set('livechat:lock:k', 'someone-else');
    });
    expect(await store.get('livechat:lock:k')).toBe('someone-else');
  });

  it('answers 503 without running the section when Redis is unreachable', async () => {
    const section = jest.fn(async () => 'ran');
    await expect(new RedisKeyedLock(await unreachableRedisClient()).run('k', section)).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
    expect(section).not.toHaveBeenCalled();
  });
});
