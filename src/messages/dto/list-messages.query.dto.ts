import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Bounds the database `skip` (a page of 6e307 is a driver error, not an empty page). */
export const MAX_PAGE = 1_000_000;

export class PaginationQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a positive integer' })
  @Min(1, { message: 'page must be a positive integer' })
  @Max(MAX_PAGE, { message: `page cannot exceed ${MAX_PAGE}` })
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1, { message: 'limit must be an integer from 1 to 100' })
  @Max(100, { message: 'limit must be an integer from 1 to 100' })
  limit: number = 50;
}

export class ListMessagesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 0, description: 'Only messages with a larger seq (reconnect catch-up)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a non-negative integer' })
  @Min(0, { message: 'after must be a non-negative integer' })
  after?: number;
}

/** `pages` as the spec's list responses have it. */
export function pageCount(total: number, limit: number): number {
  return Math.ceil(total / limit);
}
