import { forwardRef, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentsModule } from '../agents/agents.module';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuthModule } from '../auth/auth.module';
import { MessagesModule } from '../messages/messages.module';
import { WidgetIdentityModule } from '../widget-identity/widget-identity.module';
import { AdminSessionsController } from './admin-sessions.controller';
import { AdminSessionsService } from './admin-sessions.service';
import { GuestAccessGuard } from './guards/guest-access.guard';
import { GuestAccessCache } from './guest-access.cache';
import { GuestTokenService } from './guest-token.service';
import { IdleSessionsJob } from './idle-sessions.job';
import { LiveChatSession, LiveChatSessionSchema } from './schemas/live-chat-session.schema';
import { SessionWriter } from './session-writer';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Chat sessions: the guest endpoints, guest tokens and the admin session endpoints. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: LiveChatSession.name, schema: LiveChatSessionSchema }]),
    AgentsModule,
    AuthModule,
    AnalyticsModule,
    WidgetIdentityModule,
    // Messages keep the session's counters (SessionWriter); sessions create welcome messages.
    forwardRef(() => MessagesModule),
    // Multipart replies: AttachmentsInterceptor (attachments reads sessions for upload access).
    forwardRef(() => AttachmentsModule),
  ],
  controllers: [SessionsController, AdminSessionsController],
  providers: [SessionsRepository, SessionWriter, SessionsService, AdminSessionsService, GuestTokenService, GuestAccessCache, GuestAccessGuard, IdleSessionsJob],
  exports: [SessionWriter, SessionsService, GuestAccessGuard],
})
export class SessionsModule {}
