import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { agentDisplayName } from '../../agents/agent-profile';
import { MANAGER_ROLES } from '../../common/access/agent-role';
import { AcceptsAttachments, UploadedAttachments } from '../../attachments/attachments.interceptor';
import { ApiSuccess } from '../../common/http/api-success.decorator';
import type { AuthenticatedAgent } from '../../common/access/authenticated-agent';
import { MessageView } from '../messages/dto/message.response';
import { SendMessageDto } from '../messages/dto/send-message.dto';
import { MessagesService } from '../messages/messages.service';
import { MessageAttachment } from '../../attachments/schemas/message-attachment.schema';
import { AdminSessionsService } from './admin-sessions.service';
import {
  AddNoteDto,
  AssignSessionDto,
  CustomerEmailParamDto,
  HistoryQueryDto,
  ListSessionsQueryDto,
  SessionDetailsQueryDto,
  TransferSessionDto,
  UpdateSessionStatusDto,
} from './dto/admin-sessions.dto';
import { pageCount } from '../../common/http/pagination.query.dto';
import { SessionIdParamDto } from './dto/session-id.param.dto';
import {
  AddedNoteView,
  AdminSessionDetailsView,
  AdminSessionListItemView,
  AssignedSessionView,
  CustomerHistoryItemView,
  TransferredSessionView,
  UpdatedSessionStatusView,
} from './dto/session.response';
import { SESSION_STATUSES } from './schemas/live-chat-session.schema';
import { SessionsService } from './sessions.service';
import { Access, CurrentAgent } from '../../common/access/access.decorator';

const STATUS_COUNTS = {
  type: 'object' as const,
  description: 'Sessions per status under the other filters',
  required: [...SESSION_STATUSES],
  properties: Object.fromEntries(SESSION_STATUSES.map((status) => [status, { type: 'integer' as const }])),
};

@ApiTags('live-chat (admin)')
@Access({ roles: [] })
@Controller('api/admin/live-chat')
export class AdminSessionsController {
  constructor(
    private readonly admin: AdminSessionsService,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
  ) {}

  @Get('sessions')
  @ApiOperation({ summary: 'Sessions, newest activity first, with filters and statusCounts' })
  @ApiSuccess({ data: [AdminSessionListItemView], extra: { statusCounts: STATUS_COUNTS } })
  async list(@Query() query: ListSessionsQueryDto) {
    const { items, total, statusCounts } = await this.admin.list(query);
    return { success: true, count: items.length, total, page: query.page, pages: pageCount(total, query.limit), statusCounts, data: items };
  }

  @Get('sessions/:sessionId')
  @ApiOperation({ summary: 'A session with notes and agents populated, and a page of its messages (oldest first)' })
  @ApiSuccess({ data: AdminSessionDetailsView })
  async details(@Param() { sessionId }: SessionIdParamDto, @Query() query: SessionDetailsQueryDto) {
    const { session, messages } = await this.admin.details(sessionId, query.page, query.limit);
    return {
      success: true,
      data: {
        session,
        messages: messages.items,
        messagesPagination: { page: query.page, limit: query.limit, total: messages.total, pages: pageCount(messages.total, query.limit) },
      },
    };
  }

  @Post('sessions/:sessionId/reply')
  @ApiOperation({ summary: 'Reply as the agent (201; 200 with the stored message for a retried clientMessageId)' })
  @ApiSuccess({ status: 201, description: 'Stored and published', message: true, data: MessageView })
  @ApiSuccess({ description: 'A retried clientMessageId: the reply stored earlier, nothing new', message: true, data: MessageView })
  @AcceptsAttachments()
  async reply(
    @Param() { sessionId }: SessionIdParamDto,
    @Body() dto: SendMessageDto,
    @CurrentAgent() agent: AuthenticatedAgent,
    @UploadedAttachments() attachments: MessageAttachment[],
    @Res({ passthrough: true }) res: Response,
  ) {
    const { message, created } = await this.messages.createMessage({
      sessionId,
      type: 'agent',
      content: dto.content,
      attachments,
      clientMessageId: dto.clientMessageId,
      agent: { id: agent.id, name: agentDisplayName(agent), avatar: agent.avatar },
    });
    if (!created) res.status(200);
    return { success: true, message: 'Reply sent successfully', data: message };
  }

  @Patch('sessions/:sessionId/assign')
  @ApiOperation({ summary: 'Assign the session to an agent' })
  @ApiSuccess({ message: true, data: AssignedSessionView })
  async assign(@Param() { sessionId }: SessionIdParamDto, @Body() dto: AssignSessionDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return { success: true, message: 'Session assigned successfully', data: await this.admin.assign(sessionId, dto.agentId, agent) };
  }

  @Post('sessions/:sessionId/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer the session to another agent' })
  @ApiSuccess({ message: true, data: TransferredSessionView })
  async transfer(@Param() { sessionId }: SessionIdParamDto, @Body() dto: TransferSessionDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return { success: true, message: 'Session transferred successfully', data: await this.admin.transfer(sessionId, dto, agent) };
  }

  @Patch('sessions/:sessionId/status')
  @ApiOperation({ summary: 'Update status, priority, department or tags' })
  @ApiSuccess({ message: true, data: UpdatedSessionStatusView })
  async updateStatus(@Param() { sessionId }: SessionIdParamDto, @Body() dto: UpdateSessionStatusDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return { success: true, message: 'Session updated successfully', data: await this.admin.updateStatus(sessionId, dto, agent.id) };
  }

  @Post('sessions/:sessionId/notes')
  @ApiOperation({ summary: 'Add an internal note (never shown to the guest)' })
  @ApiSuccess({ status: 201, message: true, data: AddedNoteView })
  async addNote(@Param() { sessionId }: SessionIdParamDto, @Body() dto: AddNoteDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return { success: true, message: 'Note added successfully', data: await this.admin.addNote(sessionId, dto.content, agent) };
  }

  @Get('customers/:email/history')
  @ApiOperation({ summary: 'A customer’s sessions by email, newest first' })
  @ApiSuccess({ data: [CustomerHistoryItemView] })
  async history(@Param() { email }: CustomerEmailParamDto, @Query() query: HistoryQueryDto) {
    const { items, total } = await this.admin.customerHistory(email, query.page, query.limit);
    return { success: true, count: items.length, total, page: query.page, pages: pageCount(total, query.limit), data: items };
  }

  @Delete('sessions/:sessionId')
  @Access({ roles: MANAGER_ROLES })
  @ApiOperation({ summary: 'Delete the session, its messages and its files (admin, super_admin)' })
  @ApiSuccess({ message: true })
  async remove(@Param() { sessionId }: SessionIdParamDto, @CurrentAgent() agent: AuthenticatedAgent) {
    await this.sessions.deleteSession(sessionId, agent.id);
    return { success: true, message: 'Session and all messages deleted successfully' };
  }
}
