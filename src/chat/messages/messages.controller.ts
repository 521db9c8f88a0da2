import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AcceptsAttachments, UploadedAttachments } from '../../attachments/attachments.interceptor';
import { ApiSuccess } from '../../common/http/api-success.decorator';
import { RateLimit } from '../../common/throttling/rate-limit.decorator';
import { SessionIdParamDto } from '../sessions/dto/session-id.param.dto';
import { pageCount } from '../../common/http/pagination.query.dto';
import { ListMessagesQueryDto } from './dto/list-messages.query.dto';
import { MessageView } from './dto/message.response';
import { SendMessageDto } from './dto/send-message.dto';
import { MessagesService } from './messages.service';
import { MessageAttachment } from '../../attachments/schemas/message-attachment.schema';
import { Access } from '../../common/access/access.decorator';

@ApiTags('live-chat (guest)')
@ApiHeader({ name: 'X-Guest-Token', required: false, description: 'The guestToken of the session (or Authorization: Bearer <guestToken>)' })
@Access({ guestOf: 'param' })
@Controller('api/live-chat/sessions/:sessionId/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @RateLimit('messages')
  @AcceptsAttachments()
  @ApiOperation({ summary: 'Send a message (201; 200 with the stored message for a retried clientMessageId); JSON, or multipart with content + files' })
  @ApiSuccess({ status: 201, description: 'Stored and published', message: true, data: MessageView })
  @ApiSuccess({ description: 'A retried clientMessageId: the message stored earlier, nothing new', message: true, data: MessageView })
  async send(
    @Param() { sessionId }: SessionIdParamDto,
    @Body() dto: SendMessageDto,
    @UploadedAttachments() attachments: MessageAttachment[],
    @Res({ passthrough: true }) res: Response,
  ) {
    const { message, created } = await this.messages.createMessage({ sessionId, type: 'user', content: dto.content, clientMessageId: dto.clientMessageId, attachments });
    if (!created) res.status(200);
    return { success: true, message: 'Message sent successfully', data: message };
  }

  @Get()
  @RateLimit('messages')
  @ApiOperation({ summary: 'Messages, oldest first' })
  @ApiSuccess({ data: [MessageView] })
  async list(@Param() { sessionId }: SessionIdParamDto, @Query() query: ListMessagesQueryDto) {
    const { items, total } = await this.messages.list(sessionId, { page: query.page, limit: query.limit, afterSeq: query.after });
    return { success: true, count: items.length, total, page: query.page, pages: pageCount(total, query.limit), data: items };
  }
}
