import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ReadThroughCache } from '../common/cache/read-through-cache';
import { EventBus } from '../common/events/event-bus';
import { Env } from '../config/env.validation';
import { AgentProfile } from './agent-profile';

/** Far more agents than a deployment has; only bounds memory against tokens naming many ids. */
export const AGENT_AUTH_CACHE_MAX_ENTRIES = 5_000;

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
export class AgentAuthCache implements OnModuleInit, OnModuleDestroy {
  private readonly agents: ReadThroughCache<AgentProfile>;
  private unsubscribe?: () => void;

  constructor(
    config: ConfigService<Env, true>,
    private readonly bus: EventBus,
  ) {
    this.agents = new ReadThroughCache(config.get('AGENT_AUTH_CACHE_TTL_MS', { infer: true }), AGENT_AUTH_CACHE_MAX_ENTRIES);
  }

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.name === 'agent.changed') this.invalidate(event.payload.agentId);
    }, 'fleet');
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The cached agent, or `load(id)`'s answer (remembered unless null). */
  get(id: string, load: (id: string) => Promise<AgentProfile | null>): Promise<AgentProfile | null> {
    // Tokens may spell an ObjectId in upper case; invalidations always use the stored lower-case id.
    return this.agents.get(id.toLowerCase(), load);
  }

  /** Forgets the agent (it was written); a read of it under way will not be stored. */
  invalidate(id: string): void {
    this.agents.invalidate(id.toLowerCase());
  }
}
