import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AgentRole } from './agent-role';
import type { AuthenticatedAgent } from './authenticated-agent';
import type { Principal, RequestWithPrincipal } from './principal';

export const ACCESS_RULE = 'accessRule';

/**
 * Who may call a route; read by the global `AccessGuard` (src/access) before any body is read.
 * A route (or its controller) without `@Access` or `@Public` is refused.
 */
export interface AccessRule {
  public?: true;
  /** Agents with one of these roles; an empty list: any agent. */
  roles?: readonly AgentRole[];
  /**
   * Guests: `param`, of the session in `:sessionId`; `token`, of the session their guest token names
   * (the handler checks that the session it acts on is that one).
   */
  guestOf?: 'param' | 'token';
  /** Also take a guest token from `?token=` (downloads: `<img src>` cannot send headers). Never an agent's. */
  guestTokenInQuery?: boolean;
}

const GUEST_TOKEN_HEADER = ApiHeader({
  name: 'X-Guest-Token',
  required: false,
  description: 'The guestToken of the session (or Authorization: Bearer <guestToken>)',
});

/** OpenAPI: agents-only routes are bearer-protected; guest routes (which may also take an agent token) document the guest token. */
export function Access(rule: Omit<AccessRule, 'public'>) {
  const agentsOnly = rule.roles !== undefined && rule.guestOf === undefined;
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ...(agentsOnly ? [ApiBearerAuth(), ApiForbiddenResponse({ description: 'Access denied' })] : [GUEST_TOKEN_HEADER]),
    ApiUnauthorizedResponse({ description: agentsOnly ? 'No token, authorization denied / Token is not valid' : 'No token, authorization denied / Invalid guest token' }),
  );
}

/** Anyone may call it (rate limits still apply). */
export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);

/** The principal `AccessGuard` resolved for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<RequestWithPrincipal>().principal!,
);

/** The authenticated agent `{ id, role, firstName, lastName, email, avatar }` of an agents-only route. */
export const CurrentAgent = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedAgent => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (principal?.kind !== 'agent') throw new Error('@CurrentAgent() on a route open to guests');
  return principal.agent;
});
