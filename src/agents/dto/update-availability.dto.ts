import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AgentAvailability } from '../agent-attributes';

export class UpdateAvailabilityDto {
  @ApiProperty({ enum: AgentAvailability })
  @IsIn(Object.values(AgentAvailability), { message: 'Availability must be one of: online, away, offline' })
  availability: AgentAvailability;
}
