import { Injectable } from '@nestjs/common';

/**
 * Counts things that are open right now (sockets per IP, an agent's sockets) across every
 * instance. Each instance owns its share of a key, so when an instance dies its share stops
 * counting (Redis: within the heartbeat expiry) and `onOrphaned` listeners hear about every key
 * that fell to zero because of it.
 */
export abstract class SharedGauge {
  /** Adds one unless the total is already `max`; returns the new total, or null when refused. */
  abstract increment(key: string, max?: number): Promise<number | null>;
  /**
   * Removes one of this instance's; returns the total left, or null once this instance has left
   * the fleet (shutting down: its shares were handed over and reported through `onOrphaned`).
   */
  abstract decrement(key: string): Promise<number | null>;
  abstract total(key: string): Promise<number>;
  /** Listeners are awaited: a leaving instance finishes its hand-over before it closes. */
  abstract onOrphaned(listener: (key: string) => Promise<void> | void): void;
}

/** One instance: a map. Nothing is ever orphaned. */
@Injectable()
export class InProcessSharedGauge extends SharedGauge {
  private readonly counts = new Map<string, number>();

  async increment(key: string, max?: number): Promise<number | null> {
    const total = this.counts.get(key) ?? 0;
    if (max !== undefined && total >= max) return null;
    this.counts.set(key, total + 1);
    return total + 1;
  }

  async decrement(key: string): Promise<number | null> {
    const total = Math.max((this.counts.get(key) ?? 0) - 1, 0);
    if (total === 0) this.counts.delete(key);
    else this.counts.set(key, total);
    return total;
  }

  async total(key: string): Promise<number> {
    return this.counts.get(key) ?? 0;
  }

  onOrphaned(): void {
    // Single process: when it dies, everything it counted dies with it.
  }
}
