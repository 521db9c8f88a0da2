import { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Request } from 'express';
import { AgentTokenVerifier } from '../auth/agent-token.verifier';
import { NO_TOKEN_MESSAGE } from '../auth/auth.service';
import { SessionsService } from '../chat/sessions/sessions.service';
import type { AccessRule } from '../common/access/access.decorator';
import type { AuthenticatedAgent } from '../common/access/authenticated-agent';
import type { Principal } from '../common/access/principal';
import { AppException } from '../common/errors/app.exception';
import { bearerTokenOf, guestTokenFromHeaders, isCompactJwt } from '../common/http/bearer-token';
import { SESSION_ID_PATTERN } from '../common/ids/session-id';
import { Env } from '../config/env.validation';

/** The Sec-WebSocket-Protocol a browser offers, followed by its JWT, to authenticate without a query string. */
export const BEARER_PROTOCOL = 'bearer';

/** The agent JWT of an admin upgrade: `?token=`, `Authorization: Bearer`, or the protocol pair `bearer, <jwt>`. */
function upgradeAgentTokenOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const fromHeader = bearerTokenOf(request.headers.authorization);
  if (fromHeader) return fromHeader;
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
  const index = protocols.indexOf(BEARER_PROTOCOL);
  return index >= 0 ? protocols[index + 1] || undefined : undefined;
}

const agent = (authenticated: AuthenticatedAgent): Principal => ({ kind: 'agent', agent: authenticated });
const guestOf = (sessionId: string | null): Principal => ({ kind: 'guest', sessionId });

/**
 * The one answer to "who is calling", from headers and the query only (never a body), for the
 * global `AccessGuard` and the WebSocket adapter. Agent tokens go through the passport-jwt strategy
 * (`AgentTokenVerifier`); guest tokens through `SessionsService.verifyGuestAccess` (one cached read).
 */
@Injectable()
export class PrincipalResolver {
  private readonly guestTokensRequired: boolean;

  constructor(
    private readonly agentTokens: AgentTokenVerifier,
    private readonly sessions: SessionsService,
    config: ConfigService<Env, true>,
  ) {
    this.guestTokensRequired = config.get('GUEST_TOKEN_REQUIRED', { infer: true });
  }

  /**
   * The principal a route's rule admits, or the AppException that refuses the request:
   * agents need a valid JWT (`Authorization: Bearer`) with one of the rule's roles (403 otherwise);
   * guests a guest token (`X-Guest-Token` or `Authorization: Bearer`, and `?token=` where the rule
   * allows it) for the session the route names (`:sessionId`, 400 when malformed, 404 when unknown)
   * or, on `guestOf: 'token'` routes, for the session the token names (the handler then checks the
   * session it acts on: `AttachmentAccess`).
   */
  async forRequest(req: Request, rule: AccessRule): Promise<Principal> {
    const queryToken = rule.guestTokenInQuery && typeof req.query.token === 'string' && !isCompactJwt(req.query.token) ? req.query.token : undefined;
    const token = guestTokenFromHeaders(req.headers) ?? queryToken;
    if (rule.roles && !rule.guestOf) return agent(await this.agentWithRole(bearerTokenOf(req.headers.authorization), rule.roles));
    if (rule.roles && token !== undefined && isCompactJwt(token)) return agent(await this.agentWithRole(token, rule.roles));
    if (rule.guestOf === 'param') return guestOf(await this.guestOfSession(req.params.sessionId, token));
    if (rule.guestOf === 'token') return guestOf(await this.guestOfToken(token));
    throw AppException.forbidden('Access denied');
  }

  /**
   * A WebSocket upgrade: agents `?admin=true[&userId=<id>]` with a valid JWT (its subject must be
   * `userId` when given); guests `?sessionId=…&token=<guestToken>` (the token alone also names its
   * session), where archived sessions are refused (404) too.
   */
  async forUpgrade(request: IncomingMessage): Promise<Principal> {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    if (query.get('admin') === 'true') {
      const authenticated = await this.agentTokens.verify(upgradeAgentTokenOf(request, query));
      const userId = query.get('userId');
      if (userId && userId.toLowerCase() !== authenticated.id) throw AppException.forbidden('userId does not match the token');
      return agent(authenticated);
    }
    const token = query.get('token') ?? undefined;
    const sessionId = query.get('sessionId') ?? (token ? this.sessions.sessionIdOfGuestToken(token) : null);
    if (!sessionId) throw token ? AppException.unauthorized('Invalid guest token') : AppException.badRequest('sessionId is required');
    await this.sessions.verifyGuestAccess(sessionId, token, { refuseArchived: true });
    return guestOf(sessionId);
  }

  private async agentWithRole(token: string | undefined, roles: readonly string[]): Promise<AuthenticatedAgent> {
    const authenticated = await this.agentTokens.verify(token);
    if (roles.length > 0 && !roles.includes(authenticated.role)) throw AppException.forbidden('Access denied: insufficient permissions');
    return authenticated;
  }

  private async guestOfSession(sessionId: unknown, token: string | undefined): Promise<string> {
    if (typeof sessionId !== 'string' || !sessionId) throw AppException.badRequest('Session ID is required');
    if (!SESSION_ID_PATTERN.test(sessionId)) throw AppException.badRequest('Invalid session ID');
    await this.sessions.verifyGuestAccess(sessionId, token);
    return sessionId;
  }

  private async guestOfToken(token: string | undefined): Promise<string | null> {
    if (!token) {
      if (this.guestTokensRequired) throw AppException.unauthorized(NO_TOKEN_MESSAGE);
      return null;
    }
    const sessionId = this.sessions.sessionIdOfGuestToken(token);
    if (!sessionId) throw AppException.unauthorized('Invalid guest token');
    await this.sessions.verifyGuestAccess(sessionId, token);
    return sessionId;
  }
}
