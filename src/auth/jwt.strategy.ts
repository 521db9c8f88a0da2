import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AccessTokenClaims, AuthService } from './auth.service';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { JwtKeys } from './jwt-keys';

export const AGENT_JWT_STRATEGY = 'agent-jwt';

/** `Authorization: Bearer <jwt>`: algorithms pinned, the key chosen by `alg`, expiry enforced by passport-jwt. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, AGENT_JWT_STRATEGY) {
  constructor(
    keys: JwtKeys,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: keys.algorithms,
      ignoreExpiration: false,
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (err: Error | null, key?: string | Buffer) => void) => {
        const key = keys.keyForToken(rawToken);
        if (key) done(null, key);
        else done(new Error('Algorithm not allowed'));
      },
    });
  }

  validate(claims: AccessTokenClaims): Promise<AuthenticatedAgent> {
    return this.auth.authenticate(claims);
  }
}
