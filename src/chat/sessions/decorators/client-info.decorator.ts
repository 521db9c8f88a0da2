import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';

/** Where a guest's request came from, for `user.metadata`. */
export interface ClientInfo {
  userAgent?: string;
  /** `req.ip`: honours exactly TRUST_PROXY hops of X-Forwarded-For. */
  ipAddress?: string;
  referrer?: string;
}

const limited = (value: string | undefined, max: number) => (value ? value.slice(0, max) : undefined);

/** Only an http(s) Referer is kept: agents' dashboards show it as a link (no javascript: URLs). */
const httpUrl = (value: string | undefined) => (value && /^https?:\/\/[^\s]+$/i.test(value) ? value : undefined);

export const CurrentClient = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const req = context.switchToHttp().getRequest<Request>();
  return {
    userAgent: limited(req.get('user-agent'), 512),
    ipAddress: req.ip,
    referrer: httpUrl(limited(req.get('referer'), 2048)),
  };
});
