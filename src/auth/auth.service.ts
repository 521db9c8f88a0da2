import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { AgentProfile } from '../agents/agent-profile';
import { AGENT_ROLES, isAgentRole } from '../common/access/agent-role';
import { AgentSource } from '../agents/agent-attributes';
import { isObjectIdString } from '../agents/agents.repository';
import { AgentsService } from '../agents/agents.service';
import { AppException } from '../common/errors/app.exception';
import { Env } from '../config/env.validation';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { JwtKeys } from './jwt-keys';

export const NO_TOKEN_MESSAGE = 'No token, authorization denied';
export const INVALID_TOKEN_MESSAGE = 'Token is not valid';
export const EXPIRED_TOKEN_MESSAGE = 'Token has expired';
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password';

/** The claims this service reads from an access token (ours or an external platform's). */
export interface AccessTokenClaims {
  sub?: unknown;
  role?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  email?: unknown;
  avatar?: unknown;
  iat?: unknown;
  exp?: unknown;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The 401 for a token jsonwebtoken refused (bad signature, wrong algorithm, malformed, expired). */
export function invalidTokenError(reason?: unknown): AppException {
  const name = (reason as { name?: string } | undefined)?.name;
  return AppException.unauthorized(name === 'TokenExpiredError' ? EXPIRED_TOKEN_MESSAGE : INVALID_TOKEN_MESSAGE);
}

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max ? value.trim() : undefined;

@Injectable()
export class AuthService {
  constructor(
    private readonly agents: AgentsService,
    private readonly jwt: JwtService,
    private readonly keys: JwtKeys,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** The agent of verified claims (the passport strategy's `validate`). */
  async authenticate(claims: AccessTokenClaims): Promise<AuthenticatedAgent> {
    if (typeof claims.exp !== 'number' || !isObjectIdString(claims.sub)) throw invalidTokenError();
    if (!isAgentRole(claims.role)) throw AppException.forbidden(`Access denied: role must be one of ${AGENT_ROLES.join(', ')}`);

    let agent = await this.agents.findForAuthentication(claims.sub);
    if (!agent || agent.source === AgentSource.External) {
      const email = text(claims.email, 254)?.toLowerCase();
      if (!email || !EMAIL.test(email)) throw invalidTokenError();
      agent = await this.agents.syncExternal(
        {
          id: claims.sub.toLowerCase(),
          role: claims.role,
          email,
          firstName: text(claims.firstName, 100) ?? email.split('@')[0],
          lastName: text(claims.lastName, 100) ?? '',
          avatar: text(claims.avatar, 2048) ?? null,
        },
        agent,
      );
    }
    if (!agent.active) throw AppException.unauthorized('Agent account is deactivated');
    if (agent.tokensNotBefore && !(typeof claims.iat === 'number' && claims.iat >= agent.tokensNotBefore.getTime() / 1000)) {
      throw AppException.unauthorized('Token has been revoked, please log in again');
    }
    return toAuthenticatedAgent(agent);
  }

  /** `POST /api/auth/login`. Unknown email, wrong password and deactivated account fail alike. */
  async login(email: string, password: string): Promise<IssuedToken & { agent: AgentProfile }> {
    const agent = await this.agents.verifyCredentials(email, password);
    if (!agent) throw AppException.unauthorized(INVALID_CREDENTIALS_MESSAGE);
    return { ...this.issueAccessToken(agent), agent };
  }

  /** An HS256 token carrying the agent's profile claims, stamped no earlier than its revocation point. */
  issueAccessToken(agent: AgentProfile): IssuedToken {
    const expiresIn = this.config.get('JWT_EXPIRES_IN_SECONDS', { infer: true });
    const iat = Math.max(Math.floor(Date.now() / 1000), (agent.tokensNotBefore?.getTime() ?? 0) / 1000);
    const accessToken = this.jwt.sign(
      { iat, role: agent.role, firstName: agent.firstName, lastName: agent.lastName, email: agent.email, avatar: agent.avatar },
      { subject: agent.id, expiresIn, algorithm: 'HS256', privateKey: this.keys.signingKey },
    );
    return { accessToken, expiresIn };
  }
}

export function toAuthenticatedAgent(agent: AgentProfile): AuthenticatedAgent {
  return { id: agent.id, role: agent.role, firstName: agent.firstName, lastName: agent.lastName, email: agent.email, avatar: agent.avatar };
}
