import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AgentAvailability } from '../agents/agent-attributes';
import { AgentsService } from '../agents/agents.service';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { PresenceStore } from '../common/fleet/presence-store';
import { KeyedLock } from '../common/locks/keyed-lock';

/**
 * Agent presence follows sockets across the fleet (`PresenceStore`): an agent's first open socket
 * makes it online, its last closed (or heartbeat-terminated) socket offline. The availability is
 * stored through AgentsService, which publishes `agent.presence` (delivered as `agent_presence`).
 * One agent's changes run one at a time so an online can never overtake the offline after it.
 * An agent whose sockets were all on an instance that died is marked offline by a survivor.
 */
@Injectable()
export class AgentPresenceService implements OnModuleInit {
  private readonly logger = new Logger(AgentPresenceService.name);

  constructor(
    private readonly store: PresenceStore,
    private readonly agents: AgentsService,
    private readonly lock: KeyedLock,
  ) {}

  onModuleInit(): void {
    this.store.onAgentGone((agentId) =>
      this.change({ id: agentId } as AuthenticatedAgent, async () => ((await this.store.isOnline(agentId)) ? null : AgentAvailability.Offline)),
    );
  }

  connected(agent: AuthenticatedAgent): Promise<void> {
    return this.change(agent, async () => ((await this.store.connected(agent.id)) ? AgentAvailability.Online : null));
  }

  disconnected(agent: AuthenticatedAgent): Promise<void> {
    return this.change(agent, async () => ((await this.store.disconnected(agent.id)) ? AgentAvailability.Offline : null));
  }

  private async change(agent: AuthenticatedAgent, transition: () => Promise<AgentAvailability | null>): Promise<void> {
    try {
      await this.lock.run(`agent-presence:${agent.id}`, async () => {
        const availability = await transition();
        if (availability) await this.agents.setAvailability(agent, availability);
      });
    } catch (err) {
      this.logger.warn({ err, agentId: agent.id }, 'Could not update agent presence');
    }
  }
}
