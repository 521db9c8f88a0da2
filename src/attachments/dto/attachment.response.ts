import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageAttachment } from '../schemas/message-attachment.schema';
import { UploadRecord } from '../attachments.repository';

export class UploadedAttachmentView {
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015' }) id: string;
  @ApiProperty({ example: 'screenshot.png', description: 'The original name, sanitised' }) name: string;
  @ApiProperty({ example: 'image/png', description: 'MIME type, decided from the content' }) type: string;
  @ApiProperty({ example: 245678 }) size: number;
  @ApiProperty({ example: '/api/live-chat/attachments/9f86d081884c7d659a2feaa0c55ad015/screenshot.png' }) url: string;
  @ApiPropertyOptional({ description: 'Images only: a thumbnail' }) previewUrl?: string;
}

export class UploadResultData {
  @ApiProperty({ type: [UploadedAttachmentView] }) attachments: UploadedAttachmentView[];
}

export class UploadResponse {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ example: 'Files uploaded successfully' }) message: string;
  @ApiProperty() data: UploadResultData;
}

/** The public shape of an upload: what the upload endpoint answers. */
export function mapAttachment(upload: UploadRecord): UploadedAttachmentView {
  const view: UploadedAttachmentView = { id: upload.attachmentId, name: upload.name, type: upload.type, size: upload.size, url: upload.url };
  if (upload.previewUrl) view.previewUrl = upload.previewUrl;
  return view;
}

/** What a message stores of an upload (the spec's `attachments[]`, with Cloudinary's publicId). */
export function toMessageAttachment(upload: UploadRecord): MessageAttachment {
  const attachment: MessageAttachment = mapAttachment(upload);
  if (upload.publicId) attachment.publicId = upload.publicId;
  return attachment;
}
