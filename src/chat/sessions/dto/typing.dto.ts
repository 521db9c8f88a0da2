import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class TypingDto {
  @ApiProperty({ example: true })
  @IsBoolean({ message: 'isTyping must be a boolean' })
  isTyping: boolean;
}
