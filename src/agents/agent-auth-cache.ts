import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventBus } from '../common/events/event-bus';
import { Env } from '../config/env.validation';
import { AgentProfile } from './agent-profile';

/** Far more agents than a deployment has; only bounds memory against tokens naming many ids. */
export const AGENT_AUTH_CACHE_MAX_ENTRIES = 5_000;

interface Entry {
  agent: AgentProfile;
  expiresAt: number;
}

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
  private readonly ttlMs: number;
  /** In least-recently-used order: a hit moves its entry to the end, the first one is evicted. */
  private readonly entries = new Map<string, Entry>();
  /** Reads under way, shared by the requests that arrive meanwhile. */
  private readonly loading = new Map<string, Promise<AgentProfile | null>>();
  private unsubscribe?: () => void;

  constructor(
    config: ConfigService<Env, true>,
    private readonly bus: EventBus,
  ) {
    this.ttlMs = config.get('AGENT_AUTH_CACHE_TTL_MS', { infer: true });
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
    if (this.ttlMs === 0) return load(id);
    // Tokens may spell an ObjectId in upper case; invalidations always use the stored lower-case id.
    const key = id.toLowerCase();
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAt > Date.now()) {
        this.entries.set(key, entry);
        return Promise.resolve(entry.agent);
      }
    }
    return this.loading.get(key) ?? this.load(key, load);
  }

  /** Forgets the agent (it was written); a read of it under way will not be stored. */
  invalidate(id: string): void {
    const key = id.toLowerCase();
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private load(key: string, load: (id: string) => Promise<AgentProfile | null>): Promise<AgentProfile | null> {
    const expiresAt = Date.now() + this.ttlMs;
    const pending: Promise<AgentProfile | null> = load(key)
      .then((agent) => {
        if (agent && this.loading.get(key) === pending) this.remember(key, { agent, expiresAt });
        return agent;
      })
      .finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      });
    this.loading.set(key, pending);
    return pending;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (this.entries.size > AGENT_AUTH_CACHE_MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
