import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedAgent } from '../authenticated-agent';

/** The authenticated agent `{ id, role, firstName, lastName, email, avatar }` (behind `JwtAuthGuard`). */
export const CurrentAgent = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedAgent => context.switchToHttp().getRequest<{ user: AuthenticatedAgent }>().user,
);
