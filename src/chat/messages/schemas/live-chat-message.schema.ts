import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { MessageAttachment } from '../../../attachments/schemas/message-attachment.schema';

export const MESSAGE_TYPES = ['user', 'agent', 'system'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

@Schema({ _id: false })
export class MessageMetadata {
  @Prop({ default: false }) isEdited: boolean;
  @Prop() editedAt?: Date;
  @Prop({ default: false }) isDeleted: boolean;
  @Prop() deletedAt?: Date;
}

@Schema({ collection: 'livechatmessages', timestamps: true, versionKey: false })
export class LiveChatMessage {
  @Prop({ required: true }) sessionId: string;
  /** Per-session, increasing from 1, unique: what clients resume from. */
  @Prop({ required: true }) seq: number;
  @Prop({ type: String, required: true, enum: MESSAGE_TYPES }) type: MessageType;
  @Prop({ default: '' }) content: string;
  @Prop() agentName?: string;
  @Prop() agentAvatar?: string;
  @Prop({ type: Types.ObjectId }) agentId?: Types.ObjectId;
  @Prop({ type: [MessageAttachment], default: [] }) attachments: MessageAttachment[];
  @Prop({ type: MessageMetadata, default: {} }) metadata: MessageMetadata;
  @Prop({ default: false }) isRead: boolean;
  @Prop() readAt?: Date;
  /**
   * The client's idempotency key, or a server-made one when none was sent: always set, because the
   * embedded database has no partial indexes and the unique index below must not see nulls.
   */
  @Prop({ required: true }) clientMessageId: string;

  createdAt: Date;
  updatedAt: Date;
}

export type LiveChatMessageDocument = HydratedDocument<LiveChatMessage>;
export const LiveChatMessageSchema = SchemaFactory.createForClass(LiveChatMessage);

LiveChatMessageSchema.index({ sessionId: 1, seq: 1 }, { unique: true });
LiveChatMessageSchema.index({ sessionId: 1, clientMessageId: 1 }, { unique: true });
