import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AgentRole } from '../../agents/agent-role';
import { AppException } from '../../common/errors/app.exception';
import { AuthenticatedAgent } from '../authenticated-agent';
import { ROLES_KEY } from '../decorators/roles.decorator';

/** After `JwtAuthGuard`: 403 unless the agent has one of the `@Roles(...)` of the route (none = any agent). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<AgentRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles || roles.length === 0) return true;
    const agent = context.switchToHttp().getRequest<{ user?: AuthenticatedAgent }>().user;
    if (!agent) throw AppException.unauthorized('No token, authorization denied');
    if (!roles.includes(agent.role)) throw AppException.forbidden('Access denied: insufficient permissions');
    return true;
  }
}
