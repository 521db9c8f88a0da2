import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventInvalidatedCache } from '../../common/cache/event-invalidated-cache';
import { BusEvent } from '../../common/events/domain-events';
import { EventBus } from '../../common/events/event-bus';
import { Env } from '../../config/env.validation';

/** Far more sessions than are active at once on one instance; bounds memory against requests naming many ids. */
export const GUEST_ACCESS_CACHE_MAX_ENTRIES = 50_000;

/**
 * Sessions' guest secrets by session id, so a guest request is checked without reading its session
 * (the message path's first round trip). A secret never changes while its session exists; it goes
 * with the session (`session.deleted`), and a session created again under the same id gets a new
 * one (`session.created`): both events, from any instance, drop the entry here at once, and
 * `GUEST_ACCESS_CACHE_TTL_MS` (0 turns the cache off) bounds only an event that was lost. A read
 * that was under way when its entry was dropped is not stored. Unknown sessions are not cached.
 */
@Injectable()
export class GuestAccessCache extends EventInvalidatedCache<string> {
  constructor(config: ConfigService<Env, true>, bus: EventBus) {
    super(config.get('GUEST_ACCESS_CACHE_TTL_MS', { infer: true }), GUEST_ACCESS_CACHE_MAX_ENTRIES, bus);
  }

  protected staleKeyOf(event: BusEvent): string | undefined {
    return event.name === 'session.deleted' || event.name === 'session.created' ? event.payload.sessionId : undefined;
  }

  /** The session's guest secret, or `read(sessionId)`'s answer (null: no such session). */
  guestSecretOf(sessionId: string, read: (sessionId: string) => Promise<string | null>): Promise<string | null> {
    return this.cache.get(sessionId, read);
  }
}
