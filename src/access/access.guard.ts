import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { ACCESS_RULE, AccessRule } from '../common/access/access.decorator';
import type { RequestWithPrincipal } from '../common/access/principal';
import { AppException } from '../common/errors/app.exception';
import { PrincipalResolver } from './principal.resolver';

/**
 * Every HTTP route, default-deny: `@Public()` routes pass, `@Access(rule)` routes get the
 * principal `PrincipalResolver` finds in the headers (on `req.principal`), any other route is 403.
 * Guards run before interceptors, so multipart bodies are never read for a refused request.
 * WebSocket upgrades are decided by `LiveChatWsAdapter` with the same resolver.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) throw AppException.forbidden('Access denied');
    if (rule.public) return true;
    const req = context.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    req.principal = await this.resolver.forRequest(req, rule);
    return true;
  }
}
