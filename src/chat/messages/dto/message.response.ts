import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageRecord } from '../messages.repository';
import { MESSAGE_TYPES, MessageType } from '../schemas/live-chat-message.schema';

/** Prefix of the idempotency keys the server makes up; client keys cannot contain ':' so never collide. */
export const SERVER_CLIENT_MESSAGE_ID_PREFIX = 'server:';

export class AttachmentView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'MIME type' }) type: string;
  @ApiProperty() size: number;
  @ApiProperty() url: string;
  @ApiPropertyOptional() previewUrl?: string;
}

/** A message as guests, agents and sockets see it. */
export class MessageView {
  @ApiProperty() _id: string;
  @ApiProperty() sessionId: string;
  @ApiProperty({ description: 'Per-session sequence number, increasing from 1' }) seq: number;
  @ApiProperty({ enum: MESSAGE_TYPES }) type: MessageType;
  @ApiProperty() content: string;
  @ApiPropertyOptional() agentName?: string;
  @ApiPropertyOptional() agentId?: string;
  @ApiPropertyOptional() agentAvatar?: string;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() isRead: boolean;
  @ApiPropertyOptional() readAt?: Date;
  @ApiPropertyOptional({ description: 'The idempotency key the client sent' }) clientMessageId?: string;
  @ApiProperty() createdAt: Date;
}

export function mapMessage(message: MessageRecord): MessageView {
  const view: MessageView = {
    _id: message._id.toString(),
    sessionId: message.sessionId,
    seq: message.seq,
    type: message.type,
    content: message.content,
    attachments: (message.attachments ?? []).map(({ id, name, type, size, url, previewUrl }) => ({ id, name, type, size, url, ...(previewUrl ? { previewUrl } : {}) })),
    isRead: message.isRead,
    createdAt: message.createdAt,
  };
  if (message.agentName) view.agentName = message.agentName;
  if (message.agentId) view.agentId = message.agentId.toString();
  if (message.agentAvatar) view.agentAvatar = message.agentAvatar;
  if (message.readAt) view.readAt = message.readAt;
  if (!message.clientMessageId.startsWith(SERVER_CLIENT_MESSAGE_ID_PREFIX)) view.clientMessageId = message.clientMessageId;
  return view;
}
