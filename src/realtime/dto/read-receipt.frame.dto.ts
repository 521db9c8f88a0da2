import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMongoId, IsOptional, Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '../../common/ids/session-id';

/** `{type: 'read_receipt', messageId, sessionId?}`: marks one message read. */
export class ReadReceiptFrameDto {
  @ApiProperty({ description: 'The message `_id`' })
  @IsMongoId({ message: 'Invalid message ID' })
  messageId: string;

  @ApiPropertyOptional({ description: "Required for agents; a guest's own session when given" })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId?: string;
}
