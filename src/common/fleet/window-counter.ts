import { Injectable } from '@nestjs/common';

/**
 * Fixed-window counters shared by every instance (e.g. failed logins per IP and per email):
 * the first hit opens a window of `windowMs`; the count resets when it ends.
 */
export abstract class WindowCounter {
  /** Counts one hit and returns the hits in the current window, this one included. */
  abstract hit(key: string, windowMs: number): Promise<number>;
  /** Hits in the current window (0 when none is open). */
  abstract count(key: string): Promise<number>;
  abstract reset(key: string): Promise<void>;
}

/** One instance: a map, pruned as windows end. */
@Injectable()
export class InProcessWindowCounter extends WindowCounter {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();

  async hit(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const open = this.current(key, now);
    if (open) {
      open.hits += 1;
      return open.hits;
    }
    if (this.windows.size > 10_000) this.prune(now);
    this.windows.set(key, { hits: 1, endsAt: now + windowMs });
    return 1;
  }

  async count(key: string): Promise<number> {
    return this.current(key, Date.now())?.hits ?? 0;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private current(key: string, now: number): { hits: number; endsAt: number } | undefined {
    const window = this.windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
