import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { isEmail } from 'class-validator';
import { AppException } from '../common/errors/app.exception';
import { Env } from '../config/env.validation';

/** Longest lifetime (`exp` from now) an identity token may claim: it cannot be revoked, only expire. */
export const MAX_IDENTITY_LIFETIME_SECONDS = 24 * 3600;

export const IDENTITY_MESSAGES = {
  invalid: 'Invalid identity token',
  expired: 'Identity token expired',
  tooLong: 'Identity token must expire within 24 hours',
  required: 'A verified identity is required to start a chat',
} as const;

export interface VisitorContact {
  name?: string;
  email?: string;
  phone?: string;
}

/** Who starts a chat: what the visitor typed, or what the host site signed (`verified`). */
export interface VisitorIdentity {
  name: string;
  email: string;
  phone?: string;
  verified: boolean;
}

interface IdentityClaims {
  sub?: unknown;
  name?: unknown;
  email?: unknown;
  exp?: unknown;
}

/**
 * Verified visitor identity for the widget: the host site signs `{sub, name, email, exp}` (HS256)
 * with WIDGET_IDENTITY_SECRET, and the signed name and email win over whatever the browser sends.
 * Unlike a static HMAC of the email, a token expires (within 24 hours) so a leaked one stops working.
 */
@Injectable()
export class WidgetIdentityService {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly jwt: JwtService,
  ) {}

  resolve(token: string | undefined, contact: VisitorContact | undefined): VisitorIdentity {
    if (token !== undefined) return this.verify(token, contact?.phone);
    if (this.config.get('WIDGET_IDENTITY_REQUIRED', { infer: true })) throw AppException.forbidden(IDENTITY_MESSAGES.required);
    // CreateSessionDto requires the user when there is no token.
    const { name, email, phone } = contact as Required<Pick<VisitorContact, 'name' | 'email'>> & VisitorContact;
    return { name, email, ...(phone ? { phone } : {}), verified: false };
  }

  private verify(token: string, phone: string | undefined): VisitorIdentity {
    const secret = this.config.get('WIDGET_IDENTITY_SECRET', { infer: true });
    if (!secret) throw AppException.unauthorized(IDENTITY_MESSAGES.invalid);
    let claims: IdentityClaims;
    try {
      claims = this.jwt.verify<IdentityClaims & object>(token, { secret, algorithms: ['HS256'] });
    } catch (err) {
      throw AppException.unauthorized((err as Error).name === 'TokenExpiredError' ? IDENTITY_MESSAGES.expired : IDENTITY_MESSAGES.invalid);
    }
    const { sub, name, email, exp } = claims;
    if (typeof exp !== 'number') throw AppException.unauthorized(IDENTITY_MESSAGES.invalid);
    if (exp - Date.now() / 1000 > MAX_IDENTITY_LIFETIME_SECONDS) throw AppException.unauthorized(IDENTITY_MESSAGES.tooLong);
    const validName = typeof name === 'string' && name.trim().length > 0 && name.trim().length <= 100;
    const validEmail = typeof email === 'string' && email.length <= 254 && isEmail(email.trim());
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256 || !validName || !validEmail) throw AppException.unauthorized(IDENTITY_MESSAGES.invalid);
    return { name: name.trim(), email: email.trim(), ...(phone ? { phone } : {}), verified: true };
  }
}
