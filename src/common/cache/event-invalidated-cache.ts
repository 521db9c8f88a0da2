import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BusEvent } from '../events/domain-events';
import { EventBus } from '../events/event-bus';
import { ReadThroughCache } from './read-through-cache';

/**
 * A `ReadThroughCache` kept honest by the bus: every event from any instance (`fleet`) that makes
 * a key stale drops it at once, so the TTL only bounds an event that was lost. Subclasses say which
 * key an event makes stale and how their callers read through the cache.
 */
export abstract class EventInvalidatedCache<V> implements OnModuleInit, OnModuleDestroy {
  protected readonly cache: ReadThroughCache<V>;
  private unsubscribe?: () => void;

  protected constructor(
    ttlMs: number,
    maxEntries: number,
    private readonly bus: EventBus,
  ) {
    this.cache = new ReadThroughCache(ttlMs, maxEntries);
  }

  /** The key this event makes stale, if any. */
  protected abstract staleKeyOf(event: BusEvent): string | undefined;

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => {
      const key = this.staleKeyOf(event);
      if (key !== undefined) this.cache.invalidate(key);
    }, 'fleet');
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
