import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { SESSION_ID_PATTERN } from '../../common/ids/session-id';

/** `{type: 'resume', afterSeq, sessionId?}`: resend every message of the session with `seq > afterSeq`. */
export class ResumeFrameDto {
  @ApiProperty({ description: 'The last message seq the client has (0 for everything)', example: 12 })
  @IsInt({ message: 'afterSeq must be a non-negative integer' })
  @Min(0, { message: 'afterSeq must be a non-negative integer' })
  afterSeq: number;

  @ApiPropertyOptional({ description: "Required for agents; a guest's own session when given" })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId?: string;
}
