import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../../config/env.validation';

/** Bits of the per-session guest secret. */
const GUEST_SECRET_BYTES = 16;

/**
 * Guest tokens: `<base64url(sessionId)>.<base64url(HMAC-SHA256(key, guestSecret:sessionId))>`, scoped
 * to one session and bound to the random `guestSecret` stored on it, so a session deleted and created
 * again under the same sessionId refuses the tokens of the old one. The key is derived (HKDF) from
 * JWT_SECRET so a token can never verify as an agent JWT. Tokens do not expire: a chat lives as long
 * as its session; deleting the session revokes its token, rotating JWT_SECRET revokes them all.
 */
@Injectable()
export class GuestTokenService {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    this.key = Buffer.from(hkdfSync('sha256', config.get('JWT_SECRET', { infer: true }), 'live-chat', 'guest-token-v2', 32));
  }

  /** A fresh secret to store on a new session (hex, fixed length). */
  newSecret(): string {
    return randomBytes(GUEST_SECRET_BYTES).toString('hex');
  }

  sign(sessionId: string, guestSecret: string): string {
    return `${Buffer.from(sessionId).toString('base64url')}.${this.mac(sessionId, guestSecret).toString('base64url')}`;
  }

  /** The session a well-formed token names: a claim only, to look the session up and `verify` against. */
  claimedSessionIdOf(token: string): string | null {
    const parts = this.partsOf(token);
    return parts ? parts.sessionId : null;
  }

  /** Whether the token was signed for this session and its secret (false when the session has none). */
  verify(token: string, sessionId: string, guestSecret: string | undefined): boolean {
    const parts = this.partsOf(token);
    if (!parts || parts.sessionId !== sessionId || !guestSecret) return false;
    const expected = this.mac(sessionId, guestSecret);
    return parts.mac.length === expected.length && timingSafeEqual(parts.mac, expected);
  }

  private partsOf(token: string): { sessionId: string; mac: Buffer } | null {
    const [encodedSessionId, encodedMac, ...rest] = token.split('.');
    if (!encodedSessionId || !encodedMac || rest.length > 0) return null;
    return { sessionId: Buffer.from(encodedSessionId, 'base64url').toString(), mac: Buffer.from(encodedMac, 'base64url') };
  }

  /** The secret has a fixed length, so `secret:sessionId` is unambiguous. */
  private mac(sessionId: string, guestSecret: string): Buffer {
    return createHmac('sha256', this.key).update(`${guestSecret}:${sessionId}`).digest();
  }
}
