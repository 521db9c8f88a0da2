import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FEEDBACK_MESSAGE, RATING_MESSAGE } from './end-session.dto';

export class RateSessionDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt({ message: RATING_MESSAGE })
  @Min(1, { message: RATING_MESSAGE })
  @Max(5, { message: RATING_MESSAGE })
  score: number;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Excellent service!' })
  @IsOptional()
  @IsString({ message: FEEDBACK_MESSAGE })
  @MaxLength(2000, { message: FEEDBACK_MESSAGE })
  feedback?: string;
}
