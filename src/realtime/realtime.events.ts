import { AgentSummary, JsonObject } from '../common/events/domain-events';

/**
 * Every frame the server sends on /ws/live-chat, by `type`. The first nine are the spec's table;
 * `agent_presence`, `pong`, `subscribed`, `unsubscribed`, `resumed` and `error` are ours.
 */
export interface ServerEvents {
  connection_established: { timestamp: string };
  new_session: { session: JsonObject };
  user_message: { sessionId: string; message: JsonObject };
  agent_message: { sessionId: string; message: JsonObject };
  user_typing: { sessionId: string; isTyping: boolean };
  agent_typing: { sessionId: string; isTyping: boolean };
  agent_assigned: { sessionId: string; agent: AgentSummary };
  session_status_changed: { sessionId: string; status: string };
  read_receipt: { sessionId: string; messageId: string; readBy: string };
  agent_presence: { agentId: string; availability: string };
  pong: { timestamp: string };
  subscribed: { sessionId: string };
  unsubscribed: { sessionId: string };
  /** The backlog of a `resume` has been sent; `lastSeq` is the last message seq delivered. */
  resumed: { sessionId: string; lastSeq: number };
  error: { message: string };
}

export type ServerEventType = keyof ServerEvents;
export type ServerFrame = { [T in ServerEventType]: { type: T } & ServerEvents[T] }[ServerEventType];

/** Serializes a frame once; the same buffer is then written to every socket of its audience. */
export function encodeFrame(frame: ServerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

/** The message event of a stored message: guests' messages are `user_message`, the rest (agent, system) `agent_message`. */
export function messageFrame(sessionId: string, message: JsonObject & { type: string }): ServerFrame {
  return { type: message.type === 'user' ? 'user_message' : 'agent_message', sessionId, message };
}
