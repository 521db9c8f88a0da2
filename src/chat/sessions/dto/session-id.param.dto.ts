import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '../../../common/ids/session-id';

export class SessionIdParamDto {
  @ApiProperty({ example: 'session-1701691234567-abc123' })
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId: string;
}
