import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env.validation';

/**
 * Guest tokens: `<base64url(sessionId)>.<base64url(HMAC-SHA256(key, sessionId))>`, scoped to one
 * session, with a key derived (HKDF) from JWT_SECRET so it can never verify as an agent JWT.
 * They do not expire: a chat lives as long as its session; rotating JWT_SECRET revokes them all.
 */
@Injectable()
export class GuestTokenService {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    this.key = Buffer.from(hkdfSync('sha256', config.get('JWT_SECRET', { infer: true }), 'live-chat', 'guest-token-v1', 32));
  }

  sign(sessionId: string): string {
    return `${Buffer.from(sessionId).toString('base64url')}.${this.mac(sessionId).toString('base64url')}`;
  }

  /** The session a well-signed token is for, or null for anything else. */
  sessionIdOf(token: string): string | null {
    const [encodedSessionId, encodedMac, ...rest] = token.split('.');
    if (!encodedSessionId || !encodedMac || rest.length > 0) return null;
    const sessionId = Buffer.from(encodedSessionId, 'base64url').toString();
    const expected = this.mac(sessionId);
    const given = Buffer.from(encodedMac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? sessionId : null;
  }

  verify(token: string, sessionId: string): boolean {
    return this.sessionIdOf(token) === sessionId;
  }

  private mac(sessionId: string): Buffer {
    return createHmac('sha256', this.key).update(sessionId).digest();
  }
}
