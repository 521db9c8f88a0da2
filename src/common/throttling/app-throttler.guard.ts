import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Response } from 'express';
import { AppException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code';

export const RATE_LIMIT_MESSAGE = 'Too many requests, please try again later.';

/**
 * @nestjs/throttler with our conventions: HTTP only (the WebSocket gateway has its own per-socket
 * and per-IP limits), one bucket per throttler and client IP shared by every route of that group,
 * and a 429 in the usual envelope with a plain `Retry-After` whatever throttler tripped.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new AppException(ErrorCode.TooManyRequests, RATE_LIMIT_MESSAGE);
  }
}
