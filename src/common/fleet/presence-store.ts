import { Injectable } from '@nestjs/common';
import { SharedGauge } from './shared-gauge';

const PRESENCE = 'presence:';

/**
 * Which agents have a socket open anywhere in the fleet. The gateway calls `connected` and
 * `disconnected` per agent socket and acts on the transitions they report. When an instance dies,
 * its sockets stop counting after the heartbeat expiry, and `onAgentGone` listeners hear of each
 * agent left with no socket anywhere (on one surviving instance), so it can be marked offline.
 */
@Injectable()
export class PresenceStore {
  constructor(private readonly gauge: SharedGauge) {}

  /** True when this is the agent's first open socket (it just came online). */
  async connected(agentId: string): Promise<boolean> {
    return (await this.gauge.increment(`${PRESENCE}${agentId}`)) === 1;
  }

  /** True when that was the agent's last open socket (it just went offline); false once this instance has left the fleet. */
  async disconnected(agentId: string): Promise<boolean> {
    return (await this.gauge.decrement(`${PRESENCE}${agentId}`)) === 0;
  }

  async isOnline(agentId: string): Promise<boolean> {
    return (await this.gauge.total(`${PRESENCE}${agentId}`)) > 0;
  }

  /** `listener(agentId)` for each agent whose last sockets were on an instance that died or shut down (awaited). */
  onAgentGone(listener: (agentId: string) => Promise<void> | void): void {
    this.gauge.onOrphaned((key) => {
      if (key.startsWith(PRESENCE)) return listener(key.slice(PRESENCE.length));
    });
  }
}
