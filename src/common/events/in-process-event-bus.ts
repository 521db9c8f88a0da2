import { Injectable, Logger } from '@nestjs/common';
import { DomainEvents, EventName, BusEvent } from './domain-events';
import { BusHandler, BusScope, EventBus } from './event-bus';

/** Delivers each event to this process's subscribers, synchronously and in publish order. */
@Injectable()
export class InProcessEventBus extends EventBus {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly handlers = new Map<BusHandler, BusScope>();

  async publish<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    this.deliver({ name, payload } as BusEvent);
  }

  subscribe(handler: BusHandler, scope: BusScope = 'fleet'): () => void {
    this.handlers.set(handler, scope);
    return () => this.handlers.delete(handler);
  }

  /** `published` false: the event came from another instance (only `fleet` subscribers get it). */
  protected deliver(event: BusEvent, published = true): void {
    for (const [handler, scope] of this.handlers) {
      if (!published && scope === 'own') continue;
      try {
        handler(event);
      } catch (err) {
        this.logger.error({ err, event: event.name }, 'Event handler failed');
      }
    }
  }
}
