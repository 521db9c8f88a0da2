import { IncomingMessage } from 'node:http';
import { UseFilters } from '@nestjs/common';
import { ConnectedSocket, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import WebSocket from 'ws';
import { AppException } from '../common/errors/app.exception';
import { GUEST_READER, MessagesService } from '../chat/messages/messages.service';
import { SessionsService } from '../chat/sessions/sessions.service';
import { AgentPresenceService } from './agent-presence.service';
import { ConnectionRegistry } from './connection-registry';
import { ReadReceiptFrameDto } from './dto/read-receipt.frame.dto';
import { ResumeFrameDto } from './dto/resume.frame.dto';
import { SessionFrameDto } from './dto/session.frame.dto';
import { TypingFrameDto } from './dto/typing.frame.dto';
import { LIVE_CHAT_WS_PATH } from './live-chat-ws.adapter';
import { RealtimeConnection } from './realtime-connection';
import { principalOf } from './realtime-principal';
import { encodeFrame, messageFrame, ServerFrame } from './realtime.events';
import { WsExceptionsFilter } from './ws-exceptions.filter';
import { WsPayload } from './ws-payload.decorator';

/** Messages read per query while answering a `resume`. */
const RESUME_PAGE_SIZE = 200;

/**
 * /ws/live-chat. Connections arrive already authenticated by `LiveChatWsAdapter`; each handler
 * turns one client frame into one service call. Server events are delivered by `RealtimeRouter`.
 */
@WebSocketGateway({ path: LIVE_CHAT_WS_PATH })
@UseFilters(new WsExceptionsFilter())
export class RealtimeGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly presence: AgentPresenceService,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const connection = this.registry.add(socket, principalOf(request));
    connection.send(encodeFrame({ type: 'connection_established', timestamp: new Date().toISOString() }));
    if (connection.principal.kind === 'agent') void this.presence.connected(connection.principal.agent);
  }

  handleDisconnect(socket: WebSocket): void {
    const connection = this.registry.remove(socket);
    if (connection?.principal.kind === 'agent') void this.presence.disconnected(connection.principal.agent);
  }

  @SubscribeMessage('ping')
  ping(): ServerFrame {
    return { type: 'pong', timestamp: new Date().toISOString() };
  }

  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: WebSocket, @WsPayload() dto: TypingFrameDto): Promise<void> {
    const connection = this.connectionOf(socket);
    const sessionId = this.targetSession(connection, dto.sessionId);
    if (connection.principal.kind === 'guest') await this.sessions.setTyping(sessionId, dto.isTyping, 'user');
    else await this.sessions.setTyping(sessionId, dto.isTyping, 'agent', connection.principal.agent.id);
  }

  @SubscribeMessage('read_receipt')
  async readReceipt(@ConnectedSocket() socket: WebSocket, @WsPayload() dto: ReadReceiptFrameDto): Promise<void> {
    const connection = this.connectionOf(socket);
    const sessionId = this.targetSession(connection, dto.sessionId);
    await this.messages.markRead(sessionId, dto.messageId, connection.agentId ?? GUEST_READER);
  }

  @SubscribeMessage('subscribe_session')
  async subscribe(@ConnectedSocket() socket: WebSocket, @WsPayload() dto: SessionFrameDto): Promise<ServerFrame> {
    const connection = this.agentConnectionOf(socket);
    await this.sessions.getPublicSession(dto.sessionId); // 404 for an unknown session
    this.registry.subscribe(connection, dto.sessionId);
    return { type: 'subscribed', sessionId: dto.sessionId };
  }

  @SubscribeMessage('unsubscribe_session')
  unsubscribe(@ConnectedSocket() socket: WebSocket, @WsPayload() dto: SessionFrameDto): ServerFrame {
    this.registry.unsubscribe(this.agentConnectionOf(socket), dto.sessionId);
    return { type: 'unsubscribed', sessionId: dto.sessionId };
  }

  /**
   * Resends every message with `seq > afterSeq` as the usual user_message/agent_message events.
   * Live messages of that session arriving meanwhile are held and sent after the backlog unless
   * the backlog already contained them, so the client gets each message once, in seq order.
   */
  @SubscribeMessage('resume')
  async resume(@ConnectedSocket() socket: WebSocket, @WsPayload() dto: ResumeFrameDto): Promise<ServerFrame> {
    const connection = this.connectionOf(socket);
    const sessionId = this.targetSession(connection, dto.sessionId);
    if (connection.isResuming(sessionId)) throw AppException.conflict('A resume of this session is already running');
    connection.beginResume(sessionId);
    let lastSeq = dto.afterSeq;
    try {
      for (;;) {
        const page = await this.messages.listAfter(sessionId, lastSeq, RESUME_PAGE_SIZE);
        for (const message of page) {
          connection.send(encodeFrame(messageFrame(sessionId, { ...message })));
          lastSeq = message.seq;
        }
        if (page.length < RESUME_PAGE_SIZE || !connection.isOpen) break;
      }
    } finally {
      lastSeq = connection.endResume(sessionId, lastSeq);
    }
    return { type: 'resumed', sessionId, lastSeq };
  }

  private connectionOf(socket: WebSocket): RealtimeConnection {
    const connection = this.registry.get(socket);
    if (!connection) throw new Error('Frame from an unregistered socket');
    return connection;
  }

  private agentConnectionOf(socket: WebSocket): RealtimeConnection {
    const connection = this.connectionOf(socket);
    if (connection.principal.kind !== 'agent') throw AppException.forbidden('Only agents can subscribe to sessions');
    return connection;
  }

  /** The session a frame is about: a guest's own (naming another is refused), or the one an agent names. */
  private targetSession(connection: RealtimeConnection, sessionId: string | undefined): string {
    const { principal } = connection;
    if (principal.kind === 'agent') {
      if (!sessionId) throw AppException.badRequest('sessionId is required');
      return sessionId;
    }
    if (sessionId !== undefined && sessionId !== principal.sessionId) throw AppException.forbidden('You can only use your own session');
    return principal.sessionId;
  }
}
