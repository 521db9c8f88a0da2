import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class DownloadParamsDto {
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015' })
  @IsString()
  @MaxLength(64)
  attachmentId: string;

  @ApiProperty({ example: 'screenshot.png', description: 'The sanitised file name, as in the attachment url' })
  @IsString()
  @MaxLength(300)
  name: string;
}

export class DownloadQueryDto {
  @ApiPropertyOptional({ description: 'The guest token, for clients that cannot send headers (e.g. <img src>); agent tokens are not accepted here' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  token?: string;

  @ApiPropertyOptional({ enum: ['preview'], description: 'The thumbnail of an image' })
  @IsOptional()
  @IsIn(['preview'], { message: 'variant must be preview' })
  variant?: 'preview';
}

/** The multipart form of POST /api/live-chat/upload, for the API docs (multer reads the body). */
export class UploadAttachmentsForm {
  @ApiProperty({ example: 'session-1701691234567-abc123' })
  sessionId: string;

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'Up to UPLOAD_MAX_FILES (5) files of UPLOAD_MAX_FILE_BYTES (10 MB) each' })
  files: unknown[];
}
