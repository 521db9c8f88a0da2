import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../../common/errors/app.exception';
import { EventBus } from '../../common/events/event-bus';
import { KeyedLock } from '../../common/locks/keyed-lock';
import { Env } from '../../config/env.validation';
import { FieldChange, SessionWriter } from '../sessions/session-writer';
import { SessionRecord } from '../sessions/sessions.repository';
import { mapMessage, MessageView, SERVER_CLIENT_MESSAGE_ID_PREFIX } from './dto/message.response';
import { MessageRecord, MessagesRepository } from './messages.repository';
import { MessageType } from './schemas/live-chat-message.schema';
import { MessageAttachment } from '../../attachments/schemas/message-attachment.schema';

export const SYSTEM_AGENT_NAME = 'System';
/** `readBy` of read receipts sent by the guest. */
export const GUEST_READER = 'guest';

export interface MessageAuthorAgent {
  id: string;
  name: string;
  avatar?: string | null;
}

export interface CreateMessageInput {
  sessionId: string;
  type: MessageType;
  /** Trimmed; may be empty only when attachments are present. */
  content?: string;
  attachments?: MessageAttachment[];
  /** The client's idempotency key: a retry with the same key returns the stored message. */
  clientMessageId?: string;
  /** Required for agent messages. */
  agent?: MessageAuthorAgent;
}

export interface CreatedMessage {
  message: MessageView;
  /** false when `clientMessageId` matched a message stored earlier (nothing new was stored). */
  created: boolean;
}

export interface MessagePage {
  items: MessageView[];
  total: number;
}

/** Stores messages and keeps the session's counters, `seq` and first-response data in step with them. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly writer: SessionWriter,
    private readonly lock: KeyedLock,
    private readonly events: EventBus,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /**
   * Stores a user, agent or system message. Throws 400 (empty, or a user/agent text over MESSAGE_MAX_LENGTH), 404 (no session),
   * 409 (user/agent message to a closed or archived session). Publishes message.created.
   */
  async createMessage(input: CreateMessageInput): Promise<CreatedMessage> {
    const content = (input.content ?? '').trim();
    const attachments = input.attachments ?? [];
    const maxLength = this.config.get('MESSAGE_MAX_LENGTH', { infer: true });
    if (!content && attachments.length === 0) throw AppException.badRequest('Message content is required');
    if (input.type !== 'system' && content.length > maxLength) throw AppException.badRequest(`Message cannot exceed ${maxLength} characters`);
    if (input.type === 'agent' && !input.agent) throw new Error('Agent messages need their agent');

    return this.lock.run(input.sessionId, async () => {
      const now = new Date();
      const preview = content || attachments.map((attachment) => attachment.name).join(', ');
      // seq and counters first: a message stored without them would block its seq for good.
      const counted = await this.writer.changeFields(input.sessionId, this.countersChange(input.type, preview, now), { openOnly: input.type !== 'system' });
      if (!counted) return this.refused(input);

      const stored = await this.messages.insert({
        sessionId: input.sessionId,
        seq: counted.after.lastSeq,
        type: input.type,
        content,
        attachments,
        clientMessageId: input.clientMessageId ?? `${SERVER_CLIENT_MESSAGE_ID_PREFIX}${randomUUID()}`,
        createdAt: now,
        ...this.authorFields(input),
      });
      if (!stored) {
        // A unique index refused it: a retried clientMessageId takes its counters back; a taken seq
        // (written behind the lock's back) stays used, so that the client's next attempt gets a fresh one.
        const retried = await this.findRetry(input);
        await this.writer.revert(counted, retried ? [] : ['lastSeq']);
        if (retried) return this.asRetry(retried, input);
        throw AppException.conflict('Message could not be stored, please retry');
      }

      const activated = input.type === 'agent' && (await this.applyFirstReply(counted.after, now));
      const message = mapMessage(stored);
      await this.events.publish('message.created', { sessionId: input.sessionId, message: { ...message } });
      if (activated) await this.events.publish('session.status_changed', { sessionId: input.sessionId, status: 'active' });
      return { message, created: true };
    });
  }

  /** A page of messages, oldest first; only those with `seq > afterSeq` when given. */
  async list(sessionId: string, options: { page: number; limit: number; afterSeq?: number }): Promise<MessagePage> {
    const { items, total } = await this.messages.list(sessionId, {
      afterSeq: options.afterSeq,
      skip: (options.page - 1) * options.limit,
      limit: options.limit,
    });
    return { items: items.map(mapMessage), total };
  }

  /** Messages with `seq > afterSeq`, oldest first, at most `limit` (reconnect catch-up). */
  async listAfter(sessionId: string, afterSeq: number, limit: number): Promise<MessageView[]> {
    const { items } = await this.messages.list(sessionId, { afterSeq, skip: 0, limit });
    return items.map(mapMessage);
  }

  /**
   * A read receipt. `readBy` is an agent id (agents read guest messages, which lowers the
   * session's unreadCount) or `GUEST_READER` (the guest reads agent and system messages).
   * Receipts for one's own messages or already-read ones change nothing. Throws 404.
   */
  async markRead(sessionId: string, messageId: string, readBy: string): Promise<MessageView> {
    return this.lock.run(sessionId, async () => {
      const message = await this.messages.findById(sessionId, messageId);
      if (!message) throw AppException.notFound('Message not found');
      const readerIsGuest = readBy === GUEST_READER;
      const readable = readerIsGuest ? message.type !== 'user' : message.type === 'user';
      if (!readable || message.isRead) return mapMessage(message);

      const read = await this.messages.markRead(sessionId, message._id.toString(), new Date());
      if (!read) throw AppException.notFound('Message not found');
      if (!readerIsGuest) await this.writer.countOneRead(sessionId);
      await this.events.publish('message.read', { sessionId, messageId: read._id.toString(), readBy });
      return mapMessage(read);
    });
  }

  /** Removes every message of a session; returns how many. */
  deleteAllOfSession(sessionId: string): Promise<number> {
    return this.messages.deleteBySession(sessionId);
  }

  /** A retry gets its own stored message back; a key another author used in the session is a 409, never their message. */
  private asRetry(stored: MessageRecord, input: CreateMessageInput): CreatedMessage {
    const sameAuthor = stored.type === input.type && (input.type !== 'agent' || String(stored.agentId) === input.agent?.id);
    if (!sameAuthor) throw AppException.conflict('clientMessageId already used in this session');
    return { message: mapMessage(stored), created: false };
  }

  private findRetry(input: CreateMessageInput): Promise<MessageRecord | null> {
    return input.clientMessageId ? this.messages.findByClientMessageId(input.sessionId, input.clientMessageId) : Promise.resolve(null);
  }

  private authorFields(input: CreateMessageInput) {
    if (input.type === 'system') return { agentName: SYSTEM_AGENT_NAME };
    if (input.type === 'agent' && input.agent) {
      return {
        agentName: input.agent.name,
        agentId: input.agent.id,
        ...(input.agent.avatar ? { agentAvatar: input.agent.avatar } : {}),
      };
    }
    return {};
  }

  private countersChange(type: MessageType, preview: string, now: Date): FieldChange {
    return {
      set: { lastMessage: { content: preview, type, timestamp: now } },
      inc: { lastSeq: 1, messageCount: 1, ...(type === 'user' ? { unreadCount: 1 } : {}) },
    };
  }

  /** The session took no message (none, or closed): a retry still gets its stored message back. */
  private async refused(input: CreateMessageInput): Promise<CreatedMessage> {
    const retried = await this.findRetry(input);
    if (retried) return this.asRetry(retried, input);
    if (!(await this.writer.exists(input.sessionId))) throw AppException.notFound('Session not found');
    throw AppException.conflict('Session is closed');
  }

  /** First-response data and pending → active on the session's first agent reply; true when it activated the session. */
  private async applyFirstReply(session: SessionRecord, now: Date): Promise<boolean> {
    const firstReply = !session.firstResponseAt;
    const activated = session.status === 'pending';
    if (!firstReply && !activated) return false;
    const set: Record<string, unknown> = {};
    if (firstReply) Object.assign(set, { firstResponseAt: now, firstResponseMs: now.getTime() - new Date(session.startedAt).getTime() });
    if (activated) set.status = 'active';
    await this.writer.update(session, { set });
    return activated;
  }
}
