import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, Matches } from 'class-validator';
import { ATTACHMENT_IDS_MESSAGE } from '../../../attachments/attachments.interceptor';

export const CLIENT_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export class SendMessageDto {
  @ApiPropertyOptional({ example: 'Hello, I need help with my order', description: 'Trimmed; 1 to MESSAGE_MAX_LENGTH (5000) characters; may be empty when the message carries files' })
  @IsOptional()
  @IsString({ message: 'Message content is required' })
  content?: string;

  @ApiPropertyOptional({ example: '3f0c9a4e-6a1b-4a53-9d2c-1c2f8d9e0b11', description: 'Idempotency key: a retry with the same key returns the stored message (200)' })
  @IsOptional()
  @IsString({ message: 'clientMessageId must be 1 to 64 letters, digits, ".", "_" or "-"' })
  @Matches(CLIENT_MESSAGE_ID_PATTERN, { message: 'clientMessageId must be 1 to 64 letters, digits, ".", "_" or "-"' })
  clientMessageId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Ids returned by POST /api/live-chat/upload for this session, to attach (multipart bodies send `files` instead)' })
  @IsOptional()
  @IsArray({ message: ATTACHMENT_IDS_MESSAGE })
  @IsString({ each: true, message: ATTACHMENT_IDS_MESSAGE })
  attachmentIds?: string[];
}
