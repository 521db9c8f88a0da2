import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Algorithm } from 'jsonwebtoken';
import { Env } from '../config/env.validation';

/**
 * Which algorithms are accepted and with which key: HS256 with JWT_SECRET, and RS256 with
 * JWT_PUBLIC_KEY when it is set. The key is chosen by the token's `alg`, so an HS256 token can
 * never be checked against the public key (algorithm confusion) and `none` is never accepted.
 */
@Injectable()
export class JwtKeys {
  readonly algorithms: Algorithm[];
  private readonly keys: Partial<Record<Algorithm, string>>;

  constructor(config: ConfigService<Env, true>) {
    const publicKey = config.get('JWT_PUBLIC_KEY', { infer: true })?.replace(/\\n/g, '\n');
    this.keys = { HS256: config.get('JWT_SECRET', { infer: true }), ...(publicKey ? { RS256: publicKey } : {}) };
    this.algorithms = Object.keys(this.keys) as Algorithm[];
  }

  /** The verification key for a token header's `alg`, or undefined when that algorithm is refused. */
  keyFor(alg: unknown): string | undefined {
    return typeof alg === 'string' && this.algorithms.includes(alg as Algorithm) ? this.keys[alg as Algorithm] : undefined;
  }

  /** The key for a raw token (passport-jwt's `secretOrKeyProvider`). */
  keyForToken(rawToken: string): string | undefined {
    try {
      const header = JSON.parse(Buffer.from(rawToken.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
      return this.keyFor(header.alg);
    } catch {
      return undefined;
    }
  }
}
