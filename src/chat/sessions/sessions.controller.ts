import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSuccess } from '../../common/http/api-success.decorator';
import { RateLimit } from '../../common/throttling/rate-limit.decorator';
import { ClientInfo, CurrentClient } from './decorators/client-info.decorator';
import { CreateSessionDto } from './dto/create-session.dto';
import { EndSessionDto } from './dto/end-session.dto';
import { RateSessionDto } from './dto/rate-session.dto';
import { SessionIdParamDto } from './dto/session-id.param.dto';
import { CreatedSessionResponse, EndedSessionView, PublicSessionView, RatedSessionView } from './dto/session.response';
import { TypingDto } from './dto/typing.dto';
import { SessionsService } from './sessions.service';
import { Access, Public } from '../../common/access/access.decorator';

const GUEST_TOKEN_HEADER = { name: 'X-Guest-Token', required: false, description: 'The guestToken of the session (or Authorization: Bearer <guestToken>)' };

@ApiTags('live-chat (guest)')
@Controller('api/live-chat/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Public()
  @RateLimit('sessions')
  @ApiOperation({ summary: 'Start a chat session; returns the guestToken the other guest endpoints need' })
  @ApiSuccess({ status: 201, message: true, data: CreatedSessionResponse })
  async create(@Body() dto: CreateSessionDto, @CurrentClient() client: ClientInfo) {
    const data = await this.sessions.createSession(dto, client);
    return { success: true, message: 'Chat session created successfully', data };
  }

  @Get(':sessionId')
  @Access({ guestOf: 'param' })
  @ApiHeader(GUEST_TOKEN_HEADER)
  @ApiOperation({ summary: 'The session, as its guest sees it' })
  @ApiSuccess({ data: PublicSessionView })
  async get(@Param() { sessionId }: SessionIdParamDto) {
    return { success: true, data: await this.sessions.getPublicSession(sessionId) };
  }

  @Patch(':sessionId/end')
  @Access({ guestOf: 'param' })
  @ApiHeader(GUEST_TOKEN_HEADER)
  @ApiOperation({ summary: 'End the chat (optionally rating it); repeating it is harmless' })
  @ApiSuccess({ message: true, data: EndedSessionView })
  async end(@Param() { sessionId }: SessionIdParamDto, @Body() dto: EndSessionDto) {
    return { success: true, message: 'Chat session ended', data: await this.sessions.endSession(sessionId, dto) };
  }

  @Post(':sessionId/rate')
  @HttpCode(200)
  @Access({ guestOf: 'param' })
  @ApiHeader(GUEST_TOKEN_HEADER)
  @ApiOperation({ summary: 'Rate the chat' })
  @ApiSuccess({ message: true, data: RatedSessionView })
  async rate(@Param() { sessionId }: SessionIdParamDto, @Body() dto: RateSessionDto) {
    return { success: true, message: 'Thank you for your feedback!', data: { rating: await this.sessions.rateSession(sessionId, dto) } };
  }

  @Post(':sessionId/typing')
  @HttpCode(200)
  @RateLimit('messages')
  @Access({ guestOf: 'param' })
  @ApiHeader(GUEST_TOKEN_HEADER)
  @ApiOperation({ summary: 'Typing indicator' })
  @ApiSuccess({ message: true })
  async typing(@Param() { sessionId }: SessionIdParamDto, @Body() dto: TypingDto) {
    await this.sessions.setTyping(sessionId, dto.isTyping);
    return { success: true, message: 'Typing indicator sent' };
  }
}
