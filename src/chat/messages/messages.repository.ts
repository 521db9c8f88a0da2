import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isDuplicateKeyError } from '../../database/duplicate-key';
import mongoose, { Model, Types } from 'mongoose';
import { LiveChatMessage } from './schemas/live-chat-message.schema';

export type MessageRecord = LiveChatMessage & { _id: Types.ObjectId };

export type NewMessage = Pick<LiveChatMessage, 'sessionId' | 'seq' | 'type' | 'content' | 'attachments' | 'clientMessageId'> &
  Partial<Pick<LiveChatMessage, 'agentName' | 'agentAvatar'>> & { agentId?: string; createdAt: Date };

export function isObjectIdString(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value);
}

/** The only code that touches the messages collection. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(LiveChatMessage.name) private readonly model: Model<LiveChatMessage>) {}

  /**
   * Returns null when a unique index refused it (same seq or same clientMessageId in the session).
   * The message path's hottest write: a plain document with the schema's defaults, inserted by the
   * driver with no Mongoose document (hydration, validation and the `toObject()` copy were ~0.4 ms of
   * CPU per message, docs/performance.md). Every field is built by MessagesService; the stored
   * document is the one `create()` stored.
   */
  async insert(message: NewMessage): Promise<MessageRecord | null> {
    const { agentId, ...rest } = message;
    const record = this.model.applyDefaults({
      _id: new Types.ObjectId(),
      ...rest,
      ...(agentId ? { agentId: new Types.ObjectId(agentId) } : {}),
      updatedAt: message.createdAt,
    }) as MessageRecord;
    try {
      await this.model.collection.insertOne(record);
      return record;
    } catch (err) {
      if (isDuplicateKeyError(err)) return null;
      throw err;
    }
  }

  findByClientMessageId(sessionId: string, clientMessageId: string): Promise<MessageRecord | null> {
    return this.model.findOne({ sessionId, clientMessageId }).lean<MessageRecord>().exec();
  }

  findById(sessionId: string, id: string): Promise<MessageRecord | null> {
    if (!isObjectIdString(id)) return Promise.resolve(null);
    return this.model.findOne({ _id: new Types.ObjectId(id), sessionId }).lean<MessageRecord>().exec();
  }

  /** Oldest first; only messages after `afterSeq` when given. */
  async list(sessionId: string, options: { afterSeq?: number; skip: number; limit: number }): Promise<{ items: MessageRecord[]; total: number }> {
    const query = options.afterSeq === undefined ? { sessionId } : { sessionId, seq: mongoose.trusted({ $gt: options.afterSeq }) };
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ seq: 1 }).skip(options.skip).limit(options.limit).lean<MessageRecord[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  markRead(sessionId: string, id: string, readAt: Date): Promise<MessageRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id), sessionId }, { $set: { isRead: true, readAt } }, { returnDocument: 'after' })
      .lean<MessageRecord>()
      .exec();
  }

  async deleteBySession(sessionId: string): Promise<number> {
    const result = await this.model.deleteMany({ sessionId }).exec();
    return result.deletedCount;
  }

  /** Of these uploads, the ids some message of their sessions carries. */
  async idsCarriedByMessages(uploads: { sessionId: string; attachmentId: string }[]): Promise<Set<string>> {
    if (uploads.length === 0) return new Set();
    const ids = uploads.map((upload) => upload.attachmentId);
    const messages = await this.model
      .find(
        { sessionId: mongoose.trusted({ $in: [...new Set(uploads.map((upload) => upload.sessionId))] }), 'attachments.id': mongoose.trusted({ $in: ids }) },
        { attachments: 1 },
      )
      .lean<Pick<LiveChatMessage, 'attachments'>[]>()
      .exec();
    const wanted = new Set(ids);
    return new Set(messages.flatMap((message) => message.attachments.map((attachment) => attachment.id)).filter((id) => wanted.has(id)));
  }
}
