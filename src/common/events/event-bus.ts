import { BusEvent, DomainEvents, EventName } from './domain-events';

export type BusHandler = (event: BusEvent) => void;

/**
 * The internal event bus: services publish domain events, the realtime gateway (and anything
 * else) subscribes. Inject `EventBus`; the implementation is chosen in `EventsModule`.
 */
export abstract class EventBus {
  abstract publish<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void>;

  /** Returns the unsubscribe function. */
  abstract subscribe(handler: BusHandler): () => void;
}
