import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
/** Bounds the database `skip` (a page of 6e307 is a driver error, not an empty page). */
export const MAX_PAGE = 1_000_000;

/** `page` (1–MAX_PAGE, default 1) and `limit` (1–100, default `defaultLimit`) query parameters. */
export function PaginationQuery(defaultLimit: number) {
  class PaginationQueryDto {
    @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
    @IsOptional()
    @Type(() => Number)
    @Max(MAX_PAGE, { message: `page cannot exceed ${MAX_PAGE}` })
    @IsInt({ message: 'page must be a positive integer' })
    @Min(1, { message: 'page must be a positive integer' })
    page: number = 1;

    @ApiPropertyOptional({ default: defaultLimit, minimum: 1, maximum: MAX_PAGE_SIZE })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
    @Min(1, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
    @Max(MAX_PAGE_SIZE, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
    limit: number = defaultLimit;
  }
  return PaginationQueryDto;
}

/** `pages` as the spec's list responses have it. */
export function pageCount(total: number, limit: number): number {
  return Math.ceil(total / limit);
}
