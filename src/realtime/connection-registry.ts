import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import WebSocket from 'ws';
import { Env } from '../config/env.validation';
import { RealtimeConnection } from './realtime-connection';
import { RealtimePrincipal } from './realtime-principal';

const EMPTY: ReadonlySet<RealtimeConnection> = new Set();

function addTo<K>(map: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): Set<RealtimeConnection> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(connection);
  return set;
}

function removeFrom<K>(map: Map<K, Set<RealtimeConnection>>, key: K, connection: RealtimeConnection): Set<RealtimeConnection> | undefined {
  const set = map.get(key);
  if (!set) return undefined;
  set.delete(connection);
  if (set.size === 0) map.delete(key);
  return set;
}

/**
 * The open sockets of this process, indexed by audience so that delivering an event touches only
 * the sockets that receive it: a session's guests, all agents, the agents following a session
 * (subscribed to it or assigned to it), one agent's sockets.
 */
@Injectable()
export class ConnectionRegistry {
  private readonly bySocket = new Map<WebSocket, RealtimeConnection>();
  private readonly guestsBySession = new Map<string, Set<RealtimeConnection>>();
  private readonly agents = new Set<RealtimeConnection>();
  private readonly byAgent = new Map<string, Set<RealtimeConnection>>();
  private readonly subscribersBySession = new Map<string, Set<RealtimeConnection>>();
  /** sessionId → the assigned agent, for sessions assigned to an agent with open sockets here. */
  private readonly assignees = new Map<string, string>();
  private readonly maxBufferedBytes: number;

  constructor(config: ConfigService<Env, true>) {
    this.maxBufferedBytes = config.get('WS_MAX_BUFFERED_BYTES', { infer: true });
  }

  add(socket: WebSocket, principal: RealtimePrincipal): RealtimeConnection {
    const connection = new RealtimeConnection(socket, principal, this.maxBufferedBytes);
    this.bySocket.set(socket, connection);
    if (principal.kind === 'guest') {
      addTo(this.guestsBySession, principal.sessionId, connection);
    } else {
      this.agents.add(connection);
      addTo(this.byAgent, principal.agent.id, connection);
      for (const sessionId of principal.assignedSessionIds) this.assignIfUnknown(sessionId, principal.agent.id);
    }
    return connection;
  }

  remove(socket: WebSocket): RealtimeConnection | undefined {
    const connection = this.bySocket.get(socket);
    if (!connection) return undefined;
    this.bySocket.delete(socket);
    const { principal } = connection;
    if (principal.kind === 'guest') {
      removeFrom(this.guestsBySession, principal.sessionId, connection);
      return connection;
    }
    this.agents.delete(connection);
    for (const sessionId of connection.subscriptions) removeFrom(this.subscribersBySession, sessionId, connection);
    if (!removeFrom(this.byAgent, principal.agent.id, connection)?.size) {
      for (const [sessionId, agentId] of this.assignees) if (agentId === principal.agent.id) this.assignees.delete(sessionId);
    }
    return connection;
  }

  get(socket: WebSocket): RealtimeConnection | undefined {
    return this.bySocket.get(socket);
  }

  subscribe(connection: RealtimeConnection, sessionId: string): void {
    connection.subscriptions.add(sessionId);
    addTo(this.subscribersBySession, sessionId, connection);
  }

  unsubscribe(connection: RealtimeConnection, sessionId: string): void {
    connection.subscriptions.delete(sessionId);
    removeFrom(this.subscribersBySession, sessionId, connection);
  }

  /** Records who a session is assigned to (only agents with sockets here are tracked). */
  assign(sessionId: string, agentId: string): void {
    if (this.byAgent.has(agentId)) this.assignees.set(sessionId, agentId);
    else this.assignees.delete(sessionId);
  }

  /** Records an assignment read from the database unless an assignment event got there first. */
  private assignIfUnknown(sessionId: string, agentId: string): void {
    if (!this.assignees.has(sessionId)) this.assign(sessionId, agentId);
  }

  /** The session is gone: forget its assignee and subscriptions; returns its guests' sockets. */
  dropSession(sessionId: string): RealtimeConnection[] {
    this.assignees.delete(sessionId);
    for (const connection of this.subscribersBySession.get(sessionId) ?? EMPTY) connection.subscriptions.delete(sessionId);
    this.subscribersBySession.delete(sessionId);
    return [...(this.guestsBySession.get(sessionId) ?? EMPTY)];
  }

  guestsOf(sessionId: string): ReadonlySet<RealtimeConnection> {
    return this.guestsBySession.get(sessionId) ?? EMPTY;
  }

  allAgents(): ReadonlySet<RealtimeConnection> {
    return this.agents;
  }

  connectionsOfAgent(agentId: string): ReadonlySet<RealtimeConnection> {
    return this.byAgent.get(agentId) ?? EMPTY;
  }

  /** Agents following a session: subscribed to it or assigned to it, each socket once. */
  *followersOf(sessionId: string): Iterable<RealtimeConnection> {
    const subscribers = this.subscribersBySession.get(sessionId) ?? EMPTY;
    yield* subscribers;
    const assignee = this.assignees.get(sessionId);
    if (assignee === undefined) return;
    for (const connection of this.byAgent.get(assignee) ?? EMPTY) if (!subscribers.has(connection)) yield connection;
  }
}
