import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE } from '../../common/http/pagination.query.dto';
import { AgentRole } from '../../common/access/agent-role';
import { AgentAvailability } from '../agent-attributes';
import { toBoolean } from '../../common/validation/transforms';


export class ListAgentsQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional() @Type(() => Number) @Max(MAX_PAGE, { message: `page cannot exceed ${MAX_PAGE}` }) @IsInt({ message: 'page must be a positive integer' }) @Min(1, { message: 'page must be a positive integer' })
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be between 1 and 100' }) @Min(1, { message: 'limit must be between 1 and 100' }) @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 50;

  @ApiPropertyOptional({ enum: AgentRole })
  @IsOptional() @IsIn(Object.values(AgentRole), { message: 'Role must be one of: super_admin, admin, support' })
  role?: AgentRole;

  @ApiPropertyOptional({ enum: AgentAvailability })
  @IsOptional() @IsIn(Object.values(AgentAvailability), { message: 'Availability must be one of: online, away, offline' })
  availability?: AgentAvailability;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
