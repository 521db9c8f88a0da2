import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ISO_DATE_PATTERN } from '../analytics-period';

const START_INVALID = 'startDate must be a valid ISO 8601 date';
const END_INVALID = 'endDate must be a valid ISO 8601 date';
const DESCRIPTION =
  '`YYYY-MM-DD` (a day in ANALYTICS_TIMEZONE) or an ISO 8601 date-time (`Z`, `±HH:mm`, or none = ANALYTICS_TIMEZONE). ' +
  'Periods are whole days: startDate counts from the start of its day.';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({ description: `${DESCRIPTION} Default: 29 days before endDate (30 days in all).`, example: '2024-11-01' })
  @IsOptional()
  @Matches(ISO_DATE_PATTERN, { message: START_INVALID })
  @IsISO8601({ strict: true }, { message: START_INVALID })
  startDate?: string;

  @ApiPropertyOptional({
    description: `${DESCRIPTION} A date includes that day; a date-time includes its day unless it is exactly midnight (an exclusive end). Default: today.`,
    example: '2024-11-30',
  })
  @IsOptional()
  @Matches(ISO_DATE_PATTERN, { message: END_INVALID })
  @IsISO8601({ strict: true }, { message: END_INVALID })
  endDate?: string;
}
