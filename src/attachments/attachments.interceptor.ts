import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiConsumes } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { RequestWithPrincipal } from '../common/access/principal';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { Env } from '../config/env.validation';
import { MessageAttachment } from './schemas/message-attachment.schema';
import { AttachmentsService, GUEST_UPLOADER } from './attachments.service';
import { isMultipart, MultipartParser } from './multipart-parser';

interface AttachmentsRequest extends Request, RequestWithPrincipal {
  /** Set by AttachmentsInterceptor: what the message should carry. */
  attachments?: MessageAttachment[];
}

export const ATTACHMENT_IDS_MESSAGE = 'attachmentIds must be a list of attachment ids';

function attachmentIdsOf(value: unknown): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) throw AppException.badRequest(ATTACHMENT_IDS_MESSAGE);
  return list;
}

/**
 * For message routes under `:sessionId` (after `AccessGuard` admitted the caller from its headers): a `multipart/form-data` body
 * is parsed (text fields into `req.body`, so the route's DTO validates them as usual) and its
 * `files` are judged and stored; a JSON (or multipart) `attachmentIds` list names files uploaded
 * earlier to the same session through `POST /api/live-chat/upload`. The route reads the result with
 * `@UploadedAttachments()`. JSON bodies without `attachmentIds` pass through untouched. If the
 * route then fails, the files stored for this request are removed again.
 */
@Injectable()
export class AttachmentsInterceptor implements NestInterceptor {
  private readonly maxFiles: number;

  constructor(
    private readonly parser: MultipartParser,
    private readonly attachments: AttachmentsService,
    config: ConfigService<Env, true>,
  ) {
    this.maxFiles = config.get('UPLOAD_MAX_FILES', { infer: true });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<AttachmentsRequest>();
    const sessionId = String(req.params.sessionId);
    const files = isMultipart(req) ? await this.parser.parse(req, context.switchToHttp().getResponse<Response>()) : [];
    const body = (req.body ?? {}) as { attachmentIds?: unknown };
    const ids = attachmentIdsOf(body.attachmentIds);
    // A single multipart field arrives as a string: the route's DTO sees it as the list it is.
    if (body.attachmentIds !== undefined) body.attachmentIds = ids;
    if (files.length + ids.length > this.maxFiles) {
      throw new AppException(ErrorCode.PayloadTooLarge, `Too many files: at most ${this.maxFiles} per request`);
    }
    const referenced = ids.length > 0 ? await this.attachments.resolve(sessionId, ids) : [];
    const stored = files.length > 0 ? await this.attachments.upload(sessionId, files, req.principal?.kind === 'agent' ? req.principal.agent.id : GUEST_UPLOADER) : [];
    req.attachments = this.attachments.toMessageAttachments([...stored, ...referenced]);
    if (stored.length === 0) return next.handle();
    return next.handle().pipe(
      catchError((err: unknown) => from(this.attachments.discard(stored)).pipe(mergeMap(() => throwError(() => err)))),
    );
  }
}

/** On a message route: accept `multipart/form-data` with `files` and JSON `attachmentIds`. */
export const AcceptsAttachments = () =>
  applyDecorators(UseInterceptors(AttachmentsInterceptor), ApiConsumes('application/json', 'multipart/form-data'));

/** The attachments AttachmentsInterceptor prepared for this message (empty when none). */
export const UploadedAttachments = createParamDecorator(
  (_data: unknown, context: ExecutionContext): MessageAttachment[] => context.switchToHttp().getRequest<AttachmentsRequest>().attachments ?? [],
);
