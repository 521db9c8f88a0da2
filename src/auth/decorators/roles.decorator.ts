import { SetMetadata } from '@nestjs/common';
import { AgentRole } from '../../agents/agent-role';

export const ROLES_KEY = 'agentRoles';

/** Restricts a route (or controller) to these roles; read by `RolesGuard`. */
export const Roles = (...roles: AgentRole[]) => SetMetadata(ROLES_KEY, roles);
