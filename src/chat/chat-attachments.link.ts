import { Injectable, OnModuleInit } from '@nestjs/common';
import { AttachmentOwners } from '../attachments/attachment-owners';
import { MessagesRepository } from './messages/messages.repository';
import { SessionsRepository } from './sessions/sessions.repository';

/** Answers the attachments feature's questions about sessions and messages (see `AttachmentOwners`). */
@Injectable()
export class ChatAttachmentsLink implements OnModuleInit {
  constructor(
    private readonly owners: AttachmentOwners,
    private readonly sessions: SessionsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  onModuleInit(): void {
    this.owners.connect({
      sessionExists: (sessionId) => this.sessions.exists(sessionId),
      idsCarriedByMessages: (uploads) => this.messages.idsCarriedByMessages(uploads),
    });
  }
}
