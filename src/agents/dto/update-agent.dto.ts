import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { CreateAgentDto } from './create-agent.dto';

/** Every field optional; `active: true` re-activates a deactivated agent. */
export class UpdateAgentDto extends PartialType(CreateAgentDto) {
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean({ message: 'active must be a boolean' })
  active?: boolean;
}
