import { Injectable } from '@nestjs/common';
import { KeyedLock } from './keyed-lock';

/** A promise chain per key; entries are dropped once their queue drains. */
@Injectable()
export class InProcessKeyedLock extends KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, criticalSection: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(criticalSection);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
