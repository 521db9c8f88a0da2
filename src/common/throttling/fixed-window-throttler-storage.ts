import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface WindowRecord {
  hits: number;
  expiresAt: number;
  blockExpiresAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;
const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * Rate-limit counters in this process: a fixed window per key, with the same rules as the Redis
 * storage's script (count the hit; past `limit`, blocked for `blockDuration`; when the block ends
 * the count starts again at this hit). One hit costs O(1). @nestjs/throttler's own in-memory
 * storage keeps one timestamp per hit and filters and copies that list on every request, so its
 * time and memory grow with the hits in the window (one busy NAT address: thousands).
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, WindowRecord>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.evictExpired(), SWEEP_INTERVAL_MS).unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const id = `${throttlerName}\u0000${key}`;
    let record = this.records.get(id);
    if (!record) {
      record = { hits: 0, expiresAt: 0, blockExpiresAt: 0 };
      this.records.set(id, record);
    }
    // A block that is over starts a new window with this hit.
    if (record.blockExpiresAt !== 0 && record.blockExpiresAt <= now) record.blockExpiresAt = record.expiresAt = 0;
    if (record.expiresAt <= now) Object.assign(record, { hits: 0, expiresAt: now + ttl });
    record.hits++;
    if (record.blockExpiresAt === 0 && record.hits > limit) record.blockExpiresAt = now + blockDuration;
    const isBlocked = record.blockExpiresAt > now;
    return {
      totalHits: record.hits,
      timeToExpire: seconds(record.expiresAt - now),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(record.blockExpiresAt - now) : 0,
    };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Drops windows that have ended and are not blocking, so idle clients cost no memory. */
  evictExpired(): void {
    const now = this.now();
    for (const [id, record] of this.records) {
      if (record.expiresAt <= now && record.blockExpiresAt <= now) this.records.delete(id);
    }
  }

  get size(): number {
    return this.records.size;
  }
}
