import { BusEvent, DomainEvents, EventName } from './domain-events';

export type BusHandler = (event: BusEvent) => void;

/**
 * Which events a subscriber gets when several instances share the bus (`REDIS_URL`):
 * - `fleet`: every event of every instance (delivering to this instance's sockets);
 * - `own`: only the events this instance published (side effects that must happen once, such as
 *   deleting a session's files). With one instance both are the same.
 */
export type BusScope = 'fleet' | 'own';

/**
 * The internal event bus: services publish domain events, the realtime gateway (and anything
 * else) subscribes. Inject `EventBus`; the implementation is chosen in `EventsModule`.
 */
export abstract class EventBus {
  abstract publish<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void>;

  /** Returns the unsubscribe function. */
  abstract subscribe(handler: BusHandler, scope?: BusScope): () => void;
}
