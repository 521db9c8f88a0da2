import { Injectable } from '@nestjs/common';
import type { BusEvent } from '../../common/events/domain-events';
import { EventBus } from '../../common/events/event-bus';

/**
 * Publishes each session's events in the order its writes were made, without holding the session
 * lock while publishing: a write enqueues its events inside the lock (so the queue order is the
 * write order) together with a gate it opens once the lock is released.
 */
@Injectable()
export class SessionEventQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly bus: EventBus) {}

  /** Resolves when these events are published (rejects when publishing one failed; later ones still go). */
  enqueue(sessionId: string, events: BusEvent[], gate: Promise<void> = Promise.resolve()): Promise<void> {
    const previous = this.tails.get(sessionId) ?? Promise.resolve();
    const published = previous.then(() => gate).then(() => this.publishAll(events));
    const tail = published.catch(() => undefined);
    this.tails.set(sessionId, tail);
    void tail.then(() => {
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId);
    });
    return published;
  }

  private async publishAll(events: BusEvent[]): Promise<void> {
    for (const event of events) await this.bus.publish(event.name, event.payload as never);
  }
}
