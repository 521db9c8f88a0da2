import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { AppException } from '../errors/app.exception';
import { HTTP_STATUS_BY_CODE } from '../errors/error-code';
import { isOutage } from '../errors/outage';
import { BUSY_MESSAGE } from '../locks/redis-keyed-lock';

export interface ErrorEnvelope {
  success: false;
  message: string;
  errors?: { field: string; message: string }[];
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests, please try again later.',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Errors thrown by Express middleware (body-parser, multer) carry a status and a type. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

export function toErrorResponse(exception: unknown): { status: number; body: ErrorEnvelope } {
  if (isOutage(exception)) return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { success: false, message: BUSY_MESSAGE } };
  if (exception instanceof AppException) {
    const body: ErrorEnvelope = { success: false, message: exception.message };
    if (exception.errors?.length) body.errors = exception.errors;
    return { status: HTTP_STATUS_BY_CODE[exception.code], body };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    if (Array.isArray(message)) message = message[0];
    if (typeof message !== 'string' || message.length === 0 || status >= 500) {
      message = GENERIC_MESSAGES[status] ?? exception.message;
    }
    return { status, body: { success: false, message: message as string } };
  }
  const middlewareError = exception as MiddlewareError;
  const status = middlewareError?.status ?? middlewareError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      middlewareError.type === 'entity.parse.failed'
        ? 'Malformed JSON in request body'
        : middlewareError.type === 'entity.too.large'
          ? 'Request body too large'
          : (GENERIC_MESSAGES[status] ?? 'Bad request');
    return { status, body: { success: false, message } };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { success: false, message: GENERIC_MESSAGES[500] } };
}

/** Every HTTP error leaves as `{success:false, message}`; unexpected ones are logged, never shown. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request & { id?: string }>();
    const { status, body } = toErrorResponse(exception);
    if (isOutage(exception)) {
      this.logger.warn({ reqId: request.id, path: request.originalUrl, cause: (exception as Error).message }, 'Database or Redis unavailable');
    } else if (status >= 500) {
      this.logger.error({ err: exception, reqId: request.id, path: request.originalUrl }, 'Unhandled error');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json(body);
  }
}
