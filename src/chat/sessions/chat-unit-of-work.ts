import { Injectable } from '@nestjs/common';
import type { BusEvent } from '../../common/events/domain-events';
import { AppException } from '../../common/errors/app.exception';
import { KeyedLock } from '../../common/locks/keyed-lock';
import { SessionEventQueue } from './session-event-queue';
import type { Decision } from './session-transitions';
import { SessionWriter } from './session-writer';
import { SessionRecord, SessionsRepository } from './sessions.repository';

/** What a unit of work's critical section hands back: its result and the events to publish. */
export interface Outcome<R> {
  value: R;
  events: BusEvent[];
}

/**
 * The one way a chat is written: lock the session → load it → decide (session-transitions) →
 * write the typed change (the writer also hands it to analytics) → unlock → publish the events, in
 * the session's write order (`SessionEventQueue`).
 */
@Injectable()
export class ChatUnitOfWork {
  constructor(
    private readonly lock: KeyedLock,
    private readonly sessions: SessionsRepository,
    private readonly writer: SessionWriter,
    private readonly queue: SessionEventQueue,
  ) {}

  /** Runs `work` inside the session's lock and publishes the events it returns after the lock is released. */
  async run<R>(sessionId: string, work: () => Promise<Outcome<R>>): Promise<R> {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let published: Promise<void> = Promise.resolve();
    try {
      const value = await this.lock.run(sessionId, async () => {
        const outcome = await work();
        published = this.queue.enqueue(sessionId, outcome.events, gate);
        return outcome.value;
      });
      open();
      await published;
      return value;
    } finally {
      open();
    }
  }

  /** Loads the session (404 when there is none), writes what `decide` decided and returns `result(after, before)`. */
  transition<R>(sessionId: string, decide: (session: SessionRecord) => Decision, result: (after: SessionRecord, before: SessionRecord) => R): Promise<R> {
    return this.run(sessionId, async () => {
      const before = await this.load(sessionId);
      const decision = decide(before);
      const after = decision.change ? await this.writer.update(before, decision.change) : before;
      return { value: result(after, before), events: decision.events(after) };
    });
  }

  /** Publishes events that follow earlier writes of the session, in order after them. */
  publish(sessionId: string, events: BusEvent[]): Promise<void> {
    return this.queue.enqueue(sessionId, events);
  }

  async load(sessionId: string): Promise<SessionRecord> {
    const session = await this.sessions.findBySessionId(sessionId);
    if (!session) throw AppException.notFound('Session not found');
    return session;
  }
}
