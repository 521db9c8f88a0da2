import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { BusEvent } from '../common/events/domain-events';
import { ConnectionRegistry } from './connection-registry';
import { RealtimeConnection } from './realtime-connection';
import { encodeFrame, messageFrame } from './realtime.events';

/** Close code for a socket whose session was deleted. */
export const CLOSE_SESSION_GONE = 4404;
/** Close code for a socket whose agent was deactivated. */
export const CLOSE_AGENT_DEACTIVATED = 4401;

function sendAll(connections: Iterable<RealtimeConnection>, frame: Buffer, except?: string): void {
  for (const connection of connections) if (except === undefined || connection.agentId !== except) connection.send(frame);
}

/**
 * Turns domain events from the bus into socket frames: each event is serialized once per audience
 * and written to the sockets of that audience only. Nothing here queries the database.
 *
 * - a session's guests: its messages, agent typing, assignment, status, read receipts;
 * - every agent: `new_session`, `user_message`, `agent_assigned`, `session_status_changed`, `agent_presence`;
 * - agents following the session (subscribed or assigned): `agent_message`, typing, read receipts.
 */
@Injectable()
export class RealtimeRouter implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly registry: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => this.route(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  route(event: BusEvent): void {
    const { registry } = this;
    switch (event.name) {
      case 'session.created': {
        sendAll(registry.allAgents(), encodeFrame({ type: 'new_session', session: event.payload.session }));
        return;
      }
      case 'message.created': {
        const { sessionId, message } = event.payload;
        const frame = encodeFrame(messageFrame(sessionId, message));
        for (const connection of registry.guestsOf(sessionId)) connection.sendMessage(sessionId, message.seq, frame);
        const agents = message.type === 'user' ? registry.allAgents() : registry.followersOf(sessionId);
        for (const connection of agents) connection.sendMessage(sessionId, message.seq, frame);
        return;
      }
      case 'typing.changed': {
        const { sessionId, isTyping, from, agentId } = event.payload;
        if (from === 'user') {
          sendAll(registry.followersOf(sessionId), encodeFrame({ type: 'user_typing', sessionId, isTyping }));
        } else {
          const frame = encodeFrame({ type: 'agent_typing', sessionId, isTyping });
          sendAll(registry.guestsOf(sessionId), frame);
          sendAll(registry.followersOf(sessionId), frame, agentId);
        }
        return;
      }
      case 'session.assigned': {
        const { sessionId, agent } = event.payload;
        registry.assign(sessionId, agent.id);
        const frame = encodeFrame({ type: 'agent_assigned', sessionId, agent: { id: agent.id, name: agent.name, avatar: agent.avatar } });
        sendAll(registry.guestsOf(sessionId), frame);
        sendAll(registry.allAgents(), frame);
        return;
      }
      case 'session.status_changed': {
        const { sessionId, status } = event.payload;
        const frame = encodeFrame({ type: 'session_status_changed', sessionId, status });
        sendAll(registry.guestsOf(sessionId), frame);
        sendAll(registry.allAgents(), frame);
        return;
      }
      case 'message.read': {
        const { sessionId, messageId, readBy } = event.payload;
        const frame = encodeFrame({ type: 'read_receipt', sessionId, messageId, readBy });
        sendAll(registry.guestsOf(sessionId), frame);
        sendAll(registry.followersOf(sessionId), frame);
        return;
      }
      case 'agent.presence': {
        const { agentId, availability } = event.payload;
        sendAll(registry.allAgents(), encodeFrame({ type: 'agent_presence', agentId, availability }));
        return;
      }
      case 'agent.deactivated': {
        for (const connection of [...registry.connectionsOfAgent(event.payload.agentId)]) {
          connection.socket.close(CLOSE_AGENT_DEACTIVATED, 'Agent account is deactivated');
        }
        return;
      }
      case 'session.deleted': {
        for (const connection of registry.dropSession(event.payload.sessionId)) connection.socket.close(CLOSE_SESSION_GONE, 'Session not found');
        return;
      }
      case 'session.rated':
        return; // no socket event in the spec: ratings reach agents through the REST API
    }
  }
}
