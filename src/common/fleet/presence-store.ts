import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '../events/event-bus';
import { SharedGauge } from './shared-gauge';

const PRESENCE = 'presence:';

/**
 * Which agents have a socket open anywhere in the fleet. The gateway calls `connected` and
 * `disconnected` per agent socket and announces the transitions they report. When an instance
 * dies, its sockets stop counting after the heartbeat expiry and this store publishes
 * `agent.presence {availability: 'offline'}` for each agent that had no other socket.
 */
@Injectable()
export class PresenceStore implements OnModuleInit {
  constructor(
    private readonly gauge: SharedGauge,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.gauge.onOrphaned((key) => {
      if (key.startsWith(PRESENCE)) void this.bus.publish('agent.presence', { agentId: key.slice(PRESENCE.length), availability: 'offline' });
    });
  }

  /** True when this is the agent's first open socket (it just came online). */
  async connected(agentId: string): Promise<boolean> {
    return (await this.gauge.increment(`${PRESENCE}${agentId}`)) === 1;
  }

  /** True when that was the agent's last open socket (it just went offline). */
  async disconnected(agentId: string): Promise<boolean> {
    return (await this.gauge.decrement(`${PRESENCE}${agentId}`)) === 0;
  }

  async isOnline(agentId: string): Promise<boolean> {
    return (await this.gauge.total(`${PRESENCE}${agentId}`)) > 0;
  }
}
