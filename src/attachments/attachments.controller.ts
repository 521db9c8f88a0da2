import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { once } from 'node:events';
import { Request, Response } from 'express';
import { Access, CurrentPrincipal } from '../common/access/access.decorator';
import type { Principal } from '../common/access/principal';
import { AppException } from '../common/errors/app.exception';
import { RateLimit } from '../common/throttling/rate-limit.decorator';
import { AttachmentAccess } from './attachment-access';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './content/file-name';
import { DownloadParamsDto, DownloadQueryDto, UploadAttachmentsForm } from './dto/download.dto';
import { UploadResponse } from './dto/attachment.response';
import { MultipartParser } from './multipart-parser';
import { SESSION_ID_PATTERN } from '../common/ids/session-id';

/** What every download carries: never sniffed, never run as a page, cacheable only by the client. */
const DOWNLOAD_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cache-Control': 'private, max-age=86400, immutable',
};

@ApiTags('live-chat (guest)')
@Controller('api/live-chat')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly access: AttachmentAccess,
    private readonly parser: MultipartParser,
  ) {}

  @Post('upload')
  @Access({ guestOf: 'token', roles: [] })
  @ApiOperation({ summary: 'Upload files to a session before sending them (multipart: sessionId + files)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentsForm })
  @ApiCreatedResponse({ type: UploadResponse })
  async upload(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<UploadResponse> {
    const files = await this.parser.parse(req, res);
    const sessionId: unknown = (req.body as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId !== 'string' || !sessionId) throw AppException.badRequest('Session ID is required');
    if (!SESSION_ID_PATTERN.test(sessionId)) throw AppException.badRequest('Invalid session ID');
    const uploadedBy = await this.access.authorize(principal, sessionId);
    const uploads = await this.attachments.upload(sessionId, files, uploadedBy);
    return { success: true, message: 'Files uploaded successfully', data: { attachments: this.attachments.toViews(uploads) } };
  }

  @Get('attachments/:attachmentId/:name')
  @RateLimit('messages')
  @Access({ guestOf: 'token', roles: [], guestTokenInQuery: true })
  @ApiOperation({ summary: 'Download a locally stored file (?variant=preview: an image thumbnail)' })
  async download(@Param() params: DownloadParamsDto, @Query() query: DownloadQueryDto, @CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    const download = await this.attachments.findForDownload(params.attachmentId, params.name, query.variant === 'preview');
    await this.access.authorize(principal, download.sessionId);
    if (req.headers['if-none-match'] === download.etag) {
      res.set(DOWNLOAD_HEADERS).set('ETag', download.etag).status(304).end();
      return;
    }
    const stream = download.open();
    try {
      await once(stream, 'open');
    } catch {
      throw AppException.notFound('Attachment not found');
    }
    res.set(DOWNLOAD_HEADERS);
    res.set({
      ETag: download.etag,
      'Content-Type': download.type === 'text/plain' ? 'text/plain; charset=utf-8' : download.type,
      'Content-Disposition': contentDisposition(download.inline ? 'inline' : 'attachment', download.name),
      ...(download.size !== undefined ? { 'Content-Length': String(download.size) } : {}),
    });
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
  }
}
