import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export const RATING_MESSAGE = 'Rating must be an integer from 1 to 5';
export const FEEDBACK_MESSAGE = 'Feedback cannot exceed 2000 characters';

export class EndSessionDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: 'Required when feedback is given' })
  @ValidateIf((dto: EndSessionDto) => dto.rating !== undefined || dto.feedback !== undefined)
  @IsInt({ message: RATING_MESSAGE })
  @Min(1, { message: RATING_MESSAGE })
  @Max(5, { message: RATING_MESSAGE })
  rating?: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString({ message: FEEDBACK_MESSAGE })
  @MaxLength(2000, { message: FEEDBACK_MESSAGE })
  feedback?: string;
}
