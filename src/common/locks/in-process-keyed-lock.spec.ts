import { InProcessKeyedLock } from './in-process-keyed-lock';

describe('InProcessKeyedLock', () => {
  it('runs sections for one key one at a time, in order', async () => {
    const lock = new InProcessKeyedLock();
    let counter = 0;
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        lock.run('a', async () => {
          const read = counter;
          await new Promise((r) => setImmediate(r));
          counter = read + 1;
          seen.push(counter);
        }),
      ),
    );
    expect(counter).toBe(20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps going after a failing section and returns values', async () => {
    const lock = new InProcessKeyedLock();
    await expect(lock.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 42)).resolves.toBe(42);
  });

  it('does not serialize different keys', async () => {
    const lock = new InProcessKeyedLock();
    let release!: () => void;
    const blocked = lock.run('a', () => new Promise<void>((r) => (release = r)));
    await expect(lock.run('b', async () => 'free')).resolves.toBe('free');
    release();
    await blocked;
  });
});
