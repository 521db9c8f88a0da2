import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export class SessionIdParamDto {
  @ApiProperty({ example: 'session-1701691234567-abc123' })
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId: string;
}
