import { Injectable } from '@nestjs/common';
import type { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { AppException } from '../common/errors/app.exception';
import { invalidTokenError, NO_TOKEN_MESSAGE } from './auth.service';
import { JwtStrategy } from './jwt.strategy';

/** What passport gives a strategy for one attempt (passport's own `authenticate` does the same with Object.create). */
interface StrategyAttempt {
  success(agent: AuthenticatedAgent): void;
  fail(info?: unknown): void;
  error(err: unknown): void;
  authenticate(req: { headers: Record<string, string> }, options?: object): void;
}

/**
 * Verifies an agent access token with the passport-jwt strategy, for HTTP requests and WebSocket
 * upgrades alike: 401 `No token, authorization denied` without one, 401 for a bad, expired, forged
 * or revoked token or a deactivated agent, 403 for a role outside the three.
 */
@Injectable()
export class AgentTokenVerifier {
  constructor(private readonly strategy: JwtStrategy) {}

  verify(token: string | undefined): Promise<AuthenticatedAgent> {
    if (!token) return Promise.reject(AppException.unauthorized(NO_TOKEN_MESSAGE));
    return new Promise((resolve, reject) => {
      const attempt = Object.create(this.strategy) as StrategyAttempt;
      attempt.success = resolve;
      attempt.fail = (info) => reject(invalidTokenError(info));
      attempt.error = reject;
      attempt.authenticate({ headers: { authorization: `Bearer ${token}` } });
    });
  }
}
