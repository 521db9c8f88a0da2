/**
 * Every event published on the internal bus, with its payload. Payloads are plain JSON (they may
 * cross instances through Redis) and already shaped for clients: the gateway only routes them.
 */
export interface AgentSummary {
  id: string;
  name: string;
  avatar?: string;
}

export type JsonObject = Record<string, unknown>;

export interface DomainEvents {
  /** A guest opened a chat. `session` is the admin list view of it. */
  'session.created': { sessionId: string; session: JsonObject };
  /** Status, priority, department or tags changed (also closing by an agent or by the guest). */
  'session.status_changed': { sessionId: string; status: string; priority?: string; department?: string; tags?: string[] };
  /** Assignment or transfer; `previousAgentId` is set on transfers. */
  'session.assigned': { sessionId: string; agent: AgentSummary; previousAgentId?: string };
  'session.rated': { sessionId: string; rating: { score: number; feedback?: string; ratedAt: string } };
  'session.deleted': { sessionId: string };
  /** A stored message (user, agent or system) in its public shape, with its per-session `seq`. */
  'message.created': { sessionId: string; message: JsonObject & { type: string; seq: number } };
  'message.read': { sessionId: string; messageId: string; readBy: string };
  'typing.changed': { sessionId: string; isTyping: boolean; from: 'user' | 'agent'; agentId?: string };
  'agent.presence': { agentId: string; availability: string };
  /** The agent was deactivated: its tokens and open sockets stop working. */
  'agent.deactivated': { agentId: string };
  /** The agent was written (profile, role, active, password, token revocation, presence...): drop cached copies. */
  'agent.changed': { agentId: string };
}

export type EventName = keyof DomainEvents;

export type BusEvent = { [E in EventName]: { name: E; payload: DomainEvents[E] } }[EventName];
