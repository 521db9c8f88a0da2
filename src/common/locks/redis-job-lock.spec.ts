import { unreachableRedisClient, useRedisServer } from '../../../test/utils/redis-server';
import { InProcessJobLock } from './job-lock';
import { RedisJobLock } from './redis-job-lock';

describe('job locks', () => {
  const redis = useRedisServer();
  const client = () => redis.connect({ maxRetriesPerRequest: 0 });

  it('runs a job on one instance of the fleet per ttl', async () => {
    const fleet = ['a', 'b', 'c'].map((id) => new RedisJobLock(client(), id));
    const ran: string[] = [];
    const results = await Promise.all(fleet.map((lock, i) => lock.runOnce('cleanup', 200, async () => void ran.push(`instance ${i}`))));
    expect(ran).toHaveLength(1);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await fleet[0].runOnce('other-job', 200, async () => undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(await fleet[1].runOnce('cleanup', 200, async () => void ran.push('next tick'))).toBe(true);
    expect(ran).toHaveLength(2);
  });

  it('skips the run when Redis is unreachable', async () => {
    const job = jest.fn(async () => undefined);
    expect(await new RedisJobLock(await unreachableRedisClient(), 'a').runOnce('cleanup', 1000, job)).toBe(false);
    expect(job).not.toHaveBeenCalled();
  });

  it('in process: runs once per ttl', async () => {
    const lock = new InProcessJobLock();
    const job = jest.fn(async () => undefined);
    expect(await lock.runOnce('j', 100, job)).toBe(true);
    expect(await lock.runOnce('j', 100, job)).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(await lock.runOnce('j', 100, job)).toBe(true);
    expect(job).toHaveBeenCalledTimes(2);
  });
});
