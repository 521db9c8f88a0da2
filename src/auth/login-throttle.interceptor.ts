import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { from, Observable, switchMap, tap } from 'rxjs';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { LoginAttemptsLimiter } from './login-attempts.limiter';
import { normalizeEmail } from '../common/validation/transforms';

/** 429 with Retry-After once an IP or an email has used up its login attempts. */
@Injectable()
export class LoginThrottleInterceptor implements NestInterceptor {
  constructor(private readonly limiter: LoginAttemptsLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.limiter.enabled) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const rawEmail: unknown = request.body?.email;
    const keys = [`ip:${request.ip ?? 'unknown'}`];
    if (typeof rawEmail === 'string' && rawEmail.trim()) keys.push(`email:${normalizeEmail(rawEmail)}`);
    return from(this.limiter.reserve(keys)).pipe(
      switchMap((refusal) => {
        if (refusal) {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(refusal.retryAfterSeconds));
          throw new AppException(ErrorCode.TooManyRequests, 'Too many login attempts, please try again later.');
        }
        return next.handle().pipe(tap(() => void this.limiter.release(keys)));
      }),
    );
  }
}
