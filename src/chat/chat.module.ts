import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentsModule } from '../agents/agents.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { WidgetIdentityModule } from '../widget-identity/widget-identity.module';
import { ChatAttachmentsLink } from './chat-attachments.link';
import { MessagesController } from './messages/messages.controller';
import { MessagesRepository } from './messages/messages.repository';
import { MessagesService } from './messages/messages.service';
import { LiveChatMessage, LiveChatMessageSchema } from './messages/schemas/live-chat-message.schema';
import { AdminSessionsController } from './sessions/admin-sessions.controller';
import { AdminSessionsService } from './sessions/admin-sessions.service';
import { GuestAccessCache } from './sessions/guest-access.cache';
import { GuestTokenService } from './sessions/guest-token.service';
import { IdleSessionsJob } from './sessions/idle-sessions.job';
import { LiveChatSession, LiveChatSessionSchema } from './sessions/schemas/live-chat-session.schema';
import { ChatUnitOfWork } from './sessions/chat-unit-of-work';
import { SessionChangeFeed } from './sessions/session-change-feed';
import { SessionEventQueue } from './sessions/session-event-queue';
import { SessionCount, SessionCountSchema } from './sessions/schemas/session-count.schema';
import { SessionCounts } from './sessions/session-counts';
import { SessionFacts } from './sessions/session-facts';
import { SessionWriter } from './sessions/session-writer';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';

/**
 * A chat: its session and its messages, with the guest endpoints, the admin session endpoints and
 * the idle-close job. The only owner of the sessions and messages collections; other features read
 * through `SessionFacts` / the services and hear changes on the event bus or the `SessionChangeFeed`.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: LiveChatSession.name, schema: LiveChatSessionSchema },
      { name: LiveChatMessage.name, schema: LiveChatMessageSchema },
      { name: SessionCount.name, schema: SessionCountSchema },
    ]),
    AgentsModule,
    AttachmentsModule,
    WidgetIdentityModule,
  ],
  controllers: [SessionsController, AdminSessionsController, MessagesController],
  providers: [
    SessionsRepository,
    MessagesRepository,
    SessionChangeFeed,
    SessionWriter,
    SessionEventQueue,
    ChatUnitOfWork,
    SessionCounts,
    SessionFacts,
    SessionsService,
    AdminSessionsService,
    MessagesService,
    GuestTokenService,
    GuestAccessCache,
    IdleSessionsJob,
    ChatAttachmentsLink,
  ],
  exports: [SessionsService, MessagesService, SessionFacts, SessionChangeFeed],
})
export class ChatModule {}
