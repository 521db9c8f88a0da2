import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Request } from 'express';
import { AppException } from '../common/errors/app.exception';
import { AuthService, NO_TOKEN_MESSAGE } from '../auth/auth.service';
import { Env } from '../config/env.validation';
import { guestTokenFromHeaders } from '../chat/sessions/guards/guest-access.guard';
import { SessionsService } from '../chat/sessions/sessions.service';
import { GUEST_UPLOADER } from './attachments.service';

/** Agent access tokens are JWTs (three dot-separated parts); guest tokens have two. */
const isJwt = (token: string) => token.split('.').length === 3;

/**
 * Who may upload to or download from a session: its guest (guest token, when GUEST_TOKEN_REQUIRED)
 * or any agent (access token). Tokens come from `X-Guest-Token` or `Authorization: Bearer`, and for
 * downloads a guest token also from `?token=` because `<img src>` cannot send headers.
 */
@Injectable()
export class AttachmentAccess {
  private readonly guestTokensRequired: boolean;

  constructor(
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
    config: ConfigService<Env, true>,
  ) {
    this.guestTokensRequired = config.get('GUEST_TOKEN_REQUIRED', { infer: true });
  }

  /** Agent tokens are never taken from the query string: they would end up in browser history. */
  tokenOf(req: Request, allowQuery: boolean): string | undefined {
    const query = req.query.token;
    const fromQuery = allowQuery && typeof query === 'string' && !isJwt(query) ? query : undefined;
    return guestTokenFromHeaders(req.headers) ?? fromQuery;
  }

  /** 401 before reading a body when no credential at all was sent and one is needed. */
  requireCredentials(token: string | undefined): void {
    if (this.guestTokensRequired && !token) throw AppException.unauthorized(NO_TOKEN_MESSAGE);
  }

  /** 'guest' or the agent's id; 401 for a bad or foreign token, 404 for an unknown session. */
  async authorize(sessionId: string, token: string | undefined): Promise<string> {
    if (token && isJwt(token)) {
      const agent = await this.auth.verifyAccessToken(token);
      await this.sessions.assertExists(sessionId);
      return agent.id;
    }
    await this.sessions.verifyGuestAccess(sessionId, token);
    return GUEST_UPLOADER;
  }
}
