import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { IncomingHttpHeaders } from 'node:http';
import { AppException } from '../../../common/errors/app.exception';
import { bearerTokenOf } from '../../../common/http/bearer-token';
import { SessionsService } from '../sessions.service';
import { SESSION_ID_PATTERN } from '../../../common/ids/session-id';

/** The guest token of a request: `X-Guest-Token`, else `Authorization: Bearer <token>`. */
export function guestTokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-guest-token'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  return bearerTokenOf(headers.authorization);
}

/**
 * Lets a request through only for a guest of the session named by `:sessionId` (route param, else
 * body `sessionId`): 400 for a malformed id, 401 without a valid guest token for it (when
 * GUEST_TOKEN_REQUIRED), 404 when the session does not exist. Guards run before body parsers of multipart interceptors: routes
 * whose sessionId is in a multipart body call `SessionsService.verifyGuestAccess` themselves.
 */
@Injectable()
export class GuestAccessGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const sessionId: unknown = req.params?.sessionId ?? (req.body as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId !== 'string' || !sessionId) throw AppException.badRequest('Session ID is required');
    if (!SESSION_ID_PATTERN.test(sessionId)) throw AppException.badRequest('Invalid session ID');
    await this.sessions.verifyGuestAccess(sessionId, guestTokenFromHeaders(req.headers));
    return true;
  }
}
