import { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { AppException } from '../common/errors/app.exception';
import { SessionStatus } from '../sessions/schemas/live-chat-session.schema';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';
import { RealtimePrincipal } from './realtime-principal';

const OPEN_STATUSES: SessionStatus[] = ['pending', 'active'];
/** Open sessions per status an agent follows by assignment when it connects (agents carry a handful). */
const MAX_FOLLOWED_ASSIGNMENTS = 500;
const BEARER = /^Bearer\s+(\S+)$/i;
/** The Sec-WebSocket-Protocol a browser offers, followed by its JWT, to authenticate without a query string. */
export const BEARER_PROTOCOL = 'bearer';

/** The agent JWT of an admin upgrade: `?token=`, `Authorization: Bearer`, or the protocol pair `bearer, <jwt>`. */
export function agentTokenOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const fromHeader = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
  const index = protocols.indexOf(BEARER_PROTOCOL);
  return index >= 0 ? protocols[index + 1] || undefined : undefined;
}

/**
 * Decides who an upgrade request is, or throws the AppException that refuses it:
 * - agents: `?admin=true[&userId=<id>]` with a valid JWT (always required; its subject must be `userId`
 *   when given), with the open sessions assigned to them;
 * - guests: `?sessionId=…&token=<guestToken>` (the token alone also names its session), checked by
 *   `SessionsService.verifyGuestAccess` in one read: the token is required when GUEST_TOKEN_REQUIRED
 *   (401 also for a session that no longer exists); unknown and archived sessions are 404.
 */
@Injectable()
export class RealtimeAuthService {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly sessionRecords: SessionsRepository,
  ) {}

  async authenticate(request: IncomingMessage): Promise<RealtimePrincipal> {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    if (query.get('admin') === 'true') {
      const agent = await this.auth.verifyAccessToken(agentTokenOf(request, query));
      const userId = query.get('userId');
      if (userId && userId.toLowerCase() !== agent.id) throw AppException.forbidden('userId does not match the token');
      return { kind: 'agent', agent, assignedSessionIds: await this.openSessionsAssignedTo(agent.id) };
    }

    const token = query.get('token') ?? undefined;
    const sessionId = query.get('sessionId') ?? (token ? this.sessions.sessionIdOfGuestToken(token) : null);
    if (!sessionId) throw token ? AppException.unauthorized('Invalid guest token') : AppException.badRequest('sessionId is required');
    await this.sessions.verifyGuestAccess(sessionId, token, { refuseArchived: true });
    return { kind: 'guest', sessionId };
  }

  /** Agents follow the sessions assigned to them without subscribing; later assignments arrive as events. */
  private async openSessionsAssignedTo(agentId: string): Promise<string[]> {
    const pages = await Promise.all(OPEN_STATUSES.map((status) => this.sessionRecords.list({ assignedAgent: agentId, status }, 1, MAX_FOLLOWED_ASSIGNMENTS)));
    return pages.flatMap(({ items }) => items.map((session) => session.sessionId));
  }
}
