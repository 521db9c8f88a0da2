import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AgentRole } from '../../agents/agent-role';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { RolesGuard } from '../guards/roles.guard';
import { Roles } from './roles.decorator';

/**
 * `@Auth()`: any agent (admin, super_admin, support); `@Auth(AgentRole.Admin, AgentRole.SuperAdmin)`:
 * only those. On a controller or a route.
 */
export function Auth(...roles: AgentRole[]) {
  return applyDecorators(
    UseGuards(JwtAuthGuard, RolesGuard),
    Roles(...roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token, authorization denied / Token is not valid' }),
    ApiForbiddenResponse({ description: 'Access denied' }),
  );
}
