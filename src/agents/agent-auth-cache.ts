import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventInvalidatedCache } from '../common/cache/event-invalidated-cache';
import { BusEvent } from '../common/events/domain-events';
import { EventBus } from '../common/events/event-bus';
import { Env } from '../config/env.validation';
import { AgentProfile } from './agent-profile';

/** Far more agents than a deployment has; only bounds memory against tokens naming many ids. */
export const AGENT_AUTH_CACHE_MAX_ENTRIES = 5_000;

/** Tokens may spell an ObjectId in upper case; invalidations always use the stored lower-case id. */
const cacheKey = (agentId: string) => agentId.toLowerCase();

/**
 * Agent profiles for checking tokens (`AgentsService.findForAuthentication`), so an authenticated
 * request does not read the agent from the database each time. Nothing else reads through it.
 *
 * An entry lives `AGENT_AUTH_CACHE_TTL_MS` (0 turns the cache off) counted from the start of the
 * read that filled it. Every write of an agent drops its entry here at once (`invalidate`) and,
 * through `agent.changed` on the bus, on every other instance; the TTL bounds staleness only if
 * that event is lost. A read that was under way when its entry was dropped is not stored, so it
 * cannot put the pre-change profile back. Unknown agents are not cached: a newly created agent
 * needs no invalidation.
 */
@Injectable()
export class AgentAuthCache extends EventInvalidatedCache<AgentProfile> {
  constructor(config: ConfigService<Env, true>, bus: EventBus) {
    super(config.get('AGENT_AUTH_CACHE_TTL_MS', { infer: true }), AGENT_AUTH_CACHE_MAX_ENTRIES, bus);
  }

  protected staleKeyOf(event: BusEvent): string | undefined {
    return event.name === 'agent.changed' ? cacheKey(event.payload.agentId) : undefined;
  }

  /** The cached agent, or `load(id)`'s answer (remembered unless null). */
  get(id: string, load: (id: string) => Promise<AgentProfile | null>): Promise<AgentProfile | null> {
    return this.cache.get(cacheKey(id), load);
  }

  /** Forgets the agent (it was written); a read of it under way will not be stored. */
  invalidate(id: string): void {
    this.cache.invalidate(cacheKey(id));
  }
}
