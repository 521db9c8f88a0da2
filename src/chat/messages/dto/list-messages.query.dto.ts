import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PaginationQuery } from '../../../common/http/pagination.query.dto';

export class ListMessagesQueryDto extends PaginationQuery(50) {
  @ApiPropertyOptional({ minimum: 0, description: 'Only messages with a larger seq (reconnect catch-up)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a non-negative integer' })
  @Min(0, { message: 'after must be a non-negative integer' })
  after?: number;
}
