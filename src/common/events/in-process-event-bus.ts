import { Injectable, Logger } from '@nestjs/common';
import { DomainEvents, EventName, BusEvent } from './domain-events';
import { BusHandler, EventBus } from './event-bus';

/** Delivers each event to this process's subscribers, synchronously and in publish order. */
@Injectable()
export class InProcessEventBus extends EventBus {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly handlers = new Set<BusHandler>();

  async publish<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    this.deliver({ name, payload } as BusEvent);
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  protected deliver(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (err) {
        this.logger.error({ err, event: event.name }, 'Event handler failed');
      }
    }
  }
}
