import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AgentsService } from '../agents/agents.service';
import { AppException } from '../common/errors/app.exception';
import { EventBus } from '../common/events/event-bus';
import { KeyedLock } from '../common/locks/keyed-lock';
import { Env } from '../config/env.validation';
import { MessageView } from '../messages/dto/message.response';
import { MessagesService } from '../messages/messages.service';
import { WidgetIdentityService } from '../widget-identity/widget-identity.service';
import { dayKeyOf } from './day-key';
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
import { auditEntry, GUEST_ACTOR } from './session-audit';
import { isClosedStatus, OPEN_STATUSES } from './session-status';
import { SessionWriter } from './session-writer';
import { SessionChange, SessionRecord, SessionsRepository } from './sessions.repository';

export function generateSessionId(): string {
  return `session-${Date.now()}-${randomBytes(8).toString('hex')}`;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

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
    private readonly lock: KeyedLock,
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
    const audit = [auditEntry('session.created', GUEST_ACTOR, now)];
    const guestSecret = this.tokens.newSecret();
    const inserted = await this.lock.run(sessionId, () => this.writer.insert({ sessionId, guestSecret, user, startedAt: now, dayKey, audit }));
    if (!inserted) throw AppException.conflict('Session already exists');

    const template = this.config.get('WELCOME_MESSAGE_TEMPLATE', { infer: true });
    const { message: welcomeMessage } = await this.messages.createMessage({
      sessionId,
      type: 'system',
      content: template.replaceAll('{name}', visitor.name),
    });
    const session = await this.getRecord(sessionId);
    await this.events.publish('session.created', { sessionId, session: { ...mapAdminSessionListItem(session) } });
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
    const { session, ended, rating } = await this.lock.run(sessionId, async () => {
      const current = await this.getRecord(sessionId);
      const now = new Date();
      const ending = !isClosedStatus(current.status);
      const rated = dto.rating !== undefined ? { score: dto.rating } : undefined;
      if (!ending && !rated) return { session: current, ended: false, rating: undefined };
      const change: SessionChange = { set: {}, audit: auditEntry(ending ? 'session.ended' : 'session.rated', GUEST_ACTOR, now, rated) };
      if (ending) Object.assign(change.set!, { status: 'closed', endedAt: now, closed: 1 });
      const ratingView = dto.rating !== undefined ? this.ratingChange(change, dto.rating, dto.feedback, now) : undefined;
      return { session: await this.writer.update(current, change), ended: ending, rating: ratingView };
    });
    if (ended) await this.events.publish('session.status_changed', { sessionId, status: session.status });
    if (rating) await this.events.publish('session.rated', { sessionId, rating: { ...rating, ratedAt: rating.ratedAt.toISOString() } });
    return { sessionId, status: session.status, ...(session.endedAt ? { endedAt: session.endedAt } : {}) };
  }

  async rateSession(sessionId: string, dto: RateSessionDto): Promise<RatingView> {
    const rating = await this.lock.run(sessionId, async () => {
      const current = await this.getRecord(sessionId);
      const now = new Date();
      const change: SessionChange = { set: {}, audit: auditEntry('session.rated', GUEST_ACTOR, now, { score: dto.score }) };
      const view = this.ratingChange(change, dto.score, dto.feedback, now);
      await this.writer.update(current, change);
      return view;
    });
    await this.events.publish('session.rated', { sessionId, rating: { ...rating, ratedAt: rating.ratedAt.toISOString() } });
    return rating;
  }

  /** A typing signal from the guest, or from an agent (the realtime gateway). */
  async setTyping(sessionId: string, isTyping: boolean, from: 'user' | 'agent' = 'user', agentId?: string): Promise<void> {
    await this.events.publish('typing.changed', { sessionId, isTyping, from, ...(agentId ? { agentId } : {}) });
  }

  private ratingChange(change: SessionChange, score: number, feedback: string | undefined, now: Date): RatingView {
    const rating: RatingView = { score, ...(feedback ? { feedback } : {}), ratedAt: now };
    Object.assign(change.set!, { rating, rated: 1, ratingScore: score });
    return rating;
  }

  /**
   * Deletes the session and all its messages (admin). Publishes session.deleted, on which the
   * attachments module deletes the stored files. 404 when there is no such session.
   */
  async deleteSession(sessionId: string, actorId: string): Promise<void> {
    await this.lock.run(sessionId, async () => {
      if (!(await this.writer.delete(await this.getRecord(sessionId)))) throw AppException.notFound('Session not found');
      const messages = await this.messages.deleteAllOfSession(sessionId);
      this.logger.log({ sessionId, actorId, messages }, 'Session deleted');
    });
    await this.events.publish('session.deleted', { sessionId });
  }

  /** The stored session; 404 when there is none. */
  /** 404 unless the session exists (for callers that authorize by other means, e.g. an agent token). */
  async assertExists(sessionId: string): Promise<void> {
    if (!(await this.sessions.exists(sessionId))) throw AppException.notFound('Session not found');
  }

  /** Ids of the pending and active sessions assigned to an agent, at most `limitPerStatus` of each. */
  async openSessionIdsAssignedTo(agentId: string, limitPerStatus: number): Promise<string[]> {
    const pages = await Promise.all(OPEN_STATUSES.map((status) => this.sessions.page({ assignedAgent: agentId, status }, 1, limitPerStatus)));
    return pages.flatMap((sessions) => sessions.map((session) => session.sessionId));
  }

  async getRecord(sessionId: string): Promise<SessionRecord> {
    const session = await this.sessions.findBySessionId(sessionId);
    if (!session) throw AppException.notFound('Session not found');
    return session;
  }

  private async agentOf(session: SessionRecord): Promise<AgentRef | null> {
    return session.assignedAgent ? this.agents.findById(session.assignedAgent.toString()) : null;
  }

}
