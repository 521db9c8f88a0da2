import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AgentsService } from '../../agents/agents.service';
import { AppException } from '../../common/errors/app.exception';
import { EventBus } from '../../common/events/event-bus';
import { Env } from '../../config/env.validation';
import { MessageView } from '../messages/dto/message.response';
import { MessagesService } from '../messages/messages.service';
import { dayKeyOf } from '../../common/time/day-key';
import { WidgetIdentityService } from '../../widget-identity/widget-identity.service';
import { ClientInfo } from './decorators/client-info.decorator';
import { CreateSessionDto } from './dto/create-session.dto';
import { EndSessionDto } from './dto/end-session.dto';
import { RateSessionDto } from './dto/rate-session.dto';
import {
  AgentRef,
  CreatedSessionResponse,
  EndedSessionView,
  mapAdminSessionListItem,
  mapCreatedSession,
  mapPublicSession,
  PublicSessionView,
  RatingView,
} from './dto/session.response';
import { GuestAccessCache } from './guest-access.cache';
import { GuestTokenService } from './guest-token.service';
import { OPEN_STATUSES } from './session-status';
import * as transitions from './session-transitions';
import { ChatUnitOfWork } from './chat-unit-of-work';
import { SessionWriter } from './session-writer';
import { SessionRecord, SessionsRepository } from './sessions.repository';
import { generateSessionId } from '../../common/ids/session-id';
import { normalizeEmail } from '../../common/validation/transforms';

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly writer: SessionWriter,
    private readonly messages: MessagesService,
    private readonly agents: AgentsService,
    private readonly tokens: GuestTokenService,
    private readonly guestAccess: GuestAccessCache,
    private readonly chat: ChatUnitOfWork,
    private readonly events: EventBus,
    private readonly config: ConfigService<Env, true>,
    private readonly identity: WidgetIdentityService,
  ) {}

  /** Opens a chat with its welcome message; 409 when the sessionId is taken. Publishes session.created. */
  async createSession(dto: CreateSessionDto, client: ClientInfo): Promise<CreatedSessionResponse> {
    const sessionId = dto.sessionId ?? generateSessionId();
    const now = new Date();
    const metadata = Object.fromEntries(
      // `pageUrl` is optional, so validation lets a JSON null through: keep only real values.
      Object.entries({ ...client, pageUrl: dto.pageUrl }).filter(([, value]) => value !== undefined && value !== null && value !== ''),
    );
    const { verified, ...visitor } = this.identity.resolve(dto.identityToken, dto.user);
    const user = { ...visitor, emailNormalized: normalizeEmail(visitor.email), ...(verified ? { verified } : {}), metadata };
    const dayKey = dayKeyOf(now, this.config.get('ANALYTICS_TIMEZONE', { infer: true }));
    const guestSecret = this.tokens.newSecret();
    const inserted = await this.chat.run(sessionId, async () => ({
      value: await this.writer.insert(transitions.create({ sessionId, guestSecret, user, dayKey }, now)),
      events: [],
    }));
    if (!inserted) throw AppException.conflict('Session already exists');

    const template = this.config.get('WELCOME_MESSAGE_TEMPLATE', { infer: true });
    const { message: welcomeMessage } = await this.messages.createMessage({
      sessionId,
      type: 'system',
      content: template.replaceAll('{name}', visitor.name),
    });
    const session = await this.getRecord(sessionId);
    await this.chat.publish(sessionId, [{ name: 'session.created', payload: { sessionId, session: { ...mapAdminSessionListItem(session) } } }]);
    return { session: mapCreatedSession(session), welcomeMessage, guestToken: this.tokens.sign(sessionId, guestSecret) };
  }

  /**
   * Whether a guest may use this session, decided on one read of it (or none: the guest secret is
   * cached, see `cachedGuestSecret`). When GUEST_TOKEN_REQUIRED: 401
   * without a token, 401 "Invalid guest token" unless it was signed for this session and its current
   * guest secret (a missing session answers the same, so there is no existence oracle, and the token
   * of a deleted session never opens one re-created under its id). Then 404 for an unknown session,
   * and for an archived one when `refuseArchived`.
   */
  async verifyGuestAccess(sessionId: string, token: string | undefined, options: { refuseArchived?: boolean } = {}): Promise<void> {
    const required = this.config.get('GUEST_TOKEN_REQUIRED', { infer: true });
    if (required && !token) throw AppException.unauthorized('No token, authorization denied');
    const session: { guestSecret: string; status?: string } | null = options.refuseArchived
      ? await this.sessions.findGuestAccess(sessionId)
      : await this.cachedGuestSecret(sessionId).then((guestSecret) => (guestSecret === null ? null : { guestSecret }));
    if (required && !this.tokens.verify(token!, sessionId, session?.guestSecret)) throw AppException.unauthorized('Invalid guest token');
    if (!session || (options.refuseArchived && session.status === 'archived')) throw AppException.notFound('Session not found');
  }

  /**
   * The session's guest secret (null: no such session) from GuestAccessCache: it is fixed for the
   * session's life. Only checks that need the status (`refuseArchived`) read the session itself.
   */
  private cachedGuestSecret(sessionId: string): Promise<string | null> {
    return this.guestAccess.guestSecretOf(sessionId, async (id) => (await this.sessions.findGuestAccess(id))?.guestSecret ?? null);
  }

  /** The session a guest token names (unverified: pass it to verifyGuestAccess), e.g. for a socket that only sent a token. */
  sessionIdOfGuestToken(token: string): string | null {
    return this.tokens.claimedSessionIdOf(token);
  }

  async getPublicSession(sessionId: string): Promise<PublicSessionView> {
    const session = await this.getRecord(sessionId);
    return mapPublicSession(session, await this.agentOf(session));
  }

  /** The guest ends the chat (optionally rating it). Ending an ended chat changes nothing but the rating. */
  async endSession(sessionId: string, dto: EndSessionDto): Promise<EndedSessionView> {
    const rating = dto.rating !== undefined ? { score: dto.rating, feedback: dto.feedback } : undefined;
    const session = await this.chat.transition(sessionId, (current) => transitions.end(current, rating, new Date()), (after) => after);
    return { sessionId, status: session.status, ...(session.endedAt ? { endedAt: session.endedAt } : {}) };
  }

  rateSession(sessionId: string, dto: RateSessionDto): Promise<RatingView> {
    return this.chat.transition(sessionId, () => transitions.rate({ score: dto.score, feedback: dto.feedback }, new Date()), (after) => after.rating!);
  }

  /** A typing signal from the guest, or from an agent (the realtime gateway). */
  async setTyping(sessionId: string, isTyping: boolean, from: 'user' | 'agent' = 'user', agentId?: string): Promise<void> {
    await this.events.publish('typing.changed', { sessionId, isTyping, from, ...(agentId ? { agentId } : {}) });
  }

  /**
   * Deletes the session and all its messages (admin). Publishes session.deleted, on which the
   * attachments module deletes the stored files. 404 when there is no such session.
   */
  async deleteSession(sessionId: string, actorId: string): Promise<void> {
    await this.chat.run(sessionId, async () => {
      if (!(await this.writer.delete(await this.chat.load(sessionId)))) throw AppException.notFound('Session not found');
      const messages = await this.messages.deleteAllOfSession(sessionId);
      this.logger.log({ sessionId, actorId, messages }, 'Session deleted');
      return { value: undefined, events: [{ name: 'session.deleted', payload: { sessionId } }] };
    });
  }

  /** 404 unless the session exists (for callers that authorize by other means, e.g. an agent token). */
  async assertExists(sessionId: string): Promise<void> {
    if (!(await this.sessions.exists(sessionId))) throw AppException.notFound('Session not found');
  }

  /** Ids of the pending and active sessions assigned to an agent, at most `limitPerStatus` of each. */
  async openSessionIdsAssignedTo(agentId: string, limitPerStatus: number): Promise<string[]> {
    const pages = await Promise.all(OPEN_STATUSES.map((status) => this.sessions.page({ assignedAgent: agentId, status }, 1, limitPerStatus)));
    return pages.flatMap((sessions) => sessions.map((session) => session.sessionId));
  }

  /** The stored session; 404 when there is none. */
  getRecord(sessionId: string): Promise<SessionRecord> {
    return this.chat.load(sessionId);
  }

  private async agentOf(session: SessionRecord): Promise<AgentRef | null> {
    return session.assignedAgent ? this.agents.findById(session.assignedAgent.toString()) : null;
  }

}
