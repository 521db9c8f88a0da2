import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../../common/errors/app.exception';
import { invalidTokenError, NO_TOKEN_MESSAGE } from '../auth.service';
import { AuthenticatedAgent } from '../authenticated-agent';
import { AGENT_JWT_STRATEGY } from '../jwt.strategy';

/**
 * Requires a valid agent token. 401 `No token, authorization denied` without one, 401 for a bad,
 * expired, forged or revoked token or a deactivated agent, 403 for a role outside the three.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(AGENT_JWT_STRATEGY) {
  override handleRequest<T = AuthenticatedAgent>(err: unknown, agent: T | false, info: unknown, _context: ExecutionContext): T {
    if (err) throw err;
    if (agent) return agent;
    if ((info as Error | undefined)?.message === 'No auth token') throw AppException.unauthorized(NO_TOKEN_MESSAGE);
    throw invalidTokenError(info);
  }
}
