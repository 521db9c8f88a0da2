import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '../../common/ids/session-id';

/** `{type: 'typing', isTyping, sessionId?}`: a guest types in its own session, an agent names the session. */
export class TypingFrameDto {
  @ApiProperty({ example: true })
  @IsBoolean({ message: 'isTyping must be a boolean' })
  isTyping: boolean;

  @ApiPropertyOptional({ description: "Required for agents; a guest's own session when given" })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId?: string;
}
