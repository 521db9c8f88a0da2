import { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { AppException } from '../common/errors/app.exception';
import { bearerTokenOf } from '../common/http/bearer-token';
import { SessionsService } from '../chat/sessions/sessions.service';
import { RealtimePrincipal } from './realtime-principal';

/** Open sessions per status an agent follows by assignment when it connects (agents carry a handful). */
const MAX_FOLLOWED_ASSIGNMENTS = 500;
/** The Sec-WebSocket-Protocol a browser offers, followed by its JWT, to authenticate without a query string. */
export const BEARER_PROTOCOL = 'bearer';

/** The agent JWT of an admin upgrade: `?token=`, `Authorization: Bearer`, or the protocol pair `bearer, <jwt>`. */
export function agentTokenOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const fromHeader = bearerTokenOf(request.headers.authorization);
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
  ) {}

  async authenticate(request: IncomingMessage): Promise<RealtimePrincipal> {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    if (query.get('admin') === 'true') {
      const agent = await this.auth.verifyAccessToken(agentTokenOf(request, query));
      const userId = query.get('userId');
      if (userId && userId.toLowerCase() !== agent.id) throw AppException.forbidden('userId does not match the token');
      return { kind: 'agent', agent, assignedSessionIds: await this.sessions.openSessionIdsAssignedTo(agent.id, MAX_FOLLOWED_ASSIGNMENTS) };
    }

    const token = query.get('token') ?? undefined;
    const sessionId = query.get('sessionId') ?? (token ? this.sessions.sessionIdOfGuestToken(token) : null);
    if (!sessionId) throw token ? AppException.unauthorized('Invalid guest token') : AppException.badRequest('sessionId is required');
    await this.sessions.verifyGuestAccess(sessionId, token, { refuseArchived: true });
    return { kind: 'guest', sessionId };
  }

}
