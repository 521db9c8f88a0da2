import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength } from 'class-validator';
import { SESSION_PRIORITIES, SESSION_STATUSES, SessionPriority, SessionStatus } from '../schemas/live-chat-session.schema';
import { PaginationQuery } from '../../../common/http/pagination.query.dto';
import { DEPARTMENTS, Department } from '../../../common/domain/departments';
import { trim } from '../../../common/validation/transforms';

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
export const UNASSIGNED = 'unassigned';
const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of: ${values.join(', ')}` });

export class ListSessionsQueryDto extends PaginationQuery(20) {
  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @IsOptional()
  @IsIn(SESSION_STATUSES, oneOf('status', SESSION_STATUSES))
  status?: SessionStatus;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS, oneOf('department', DEPARTMENTS))
  department?: Department;

  @ApiPropertyOptional({ enum: SESSION_PRIORITIES })
  @IsOptional()
  @IsIn(SESSION_PRIORITIES, oneOf('priority', SESSION_PRIORITIES))
  priority?: SessionPriority;

  @ApiPropertyOptional({ description: `An agent id, or "${UNASSIGNED}"` })
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{24}|unassigned)$/, { message: `assignedAgent must be an agent id or "${UNASSIGNED}"` })
  assignedAgent?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive, literal text in the name, email or sessionId', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'search must be text of at most 200 characters' })
  @MaxLength(200, { message: 'search must be text of at most 200 characters' })
  search?: string;
}

/** The admin view of a session pages its messages: 100 per page by default. */
export class SessionDetailsQueryDto extends PaginationQuery(100) {}

export class HistoryQueryDto extends PaginationQuery(20) {}

export class CustomerEmailParamDto {
  @ApiProperty({ example: 'john@example.com' })
  @IsEmail({}, { message: 'Please provide a valid email' })
  email: string;
}

export class AssignSessionDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  @Matches(OBJECT_ID, { message: 'Invalid agent ID' })
  agentId: string;

  @ApiPropertyOptional({ description: 'Ignored: the name of the agent’s profile is used' })
  @IsOptional()
  @IsString({ message: 'agentName must be a string' })
  @MaxLength(200, { message: 'agentName must be a string' })
  agentName?: string;
}

export class TransferSessionDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345679' })
  @Matches(OBJECT_ID, { message: 'Invalid agent ID' })
  toAgentId: string;

  @ApiPropertyOptional({ description: 'Ignored: the name of the agent’s profile is used' })
  @IsOptional()
  @IsString({ message: 'toAgentName must be a string' })
  @MaxLength(200, { message: 'toAgentName must be a string' })
  toAgentName?: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'Billing expertise needed' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'Reason cannot exceed 500 characters' })
  @MaxLength(500, { message: 'Reason cannot exceed 500 characters' })
  reason?: string;
}

export class UpdateSessionStatusDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @IsOptional()
  @IsIn(SESSION_STATUSES, oneOf('status', SESSION_STATUSES))
  status?: SessionStatus;

  @ApiPropertyOptional({ enum: SESSION_PRIORITIES })
  @IsOptional()
  @IsIn(SESSION_PRIORITIES, oneOf('priority', SESSION_PRIORITIES))
  priority?: SessionPriority;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS, oneOf('department', DEPARTMENTS))
  department?: Department;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['refund', 'urgent'], description: 'At most 20 tags of 1–50 characters' })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? [...new Set(value.map((tag) => (typeof tag === 'string' ? tag.trim() : tag)))] : value))
  @MaxLength(50, { each: true, message: 'Tags must be at most 20 texts of 1 to 50 characters' })
  @IsNotEmpty({ each: true, message: 'Tags must be at most 20 texts of 1 to 50 characters' })
  @IsString({ each: true, message: 'Tags must be at most 20 texts of 1 to 50 characters' })
  @ArrayMaxSize(20, { message: 'Tags must be at most 20 texts of 1 to 50 characters' })
  @IsArray({ message: 'Tags must be at most 20 texts of 1 to 50 characters' })
  tags?: string[];
}

export class AddNoteDto {
  @ApiProperty({ example: 'Customer mentioned they have a premium subscription', maxLength: 5000 })
  @Transform(trim)
  @MaxLength(5000, { message: 'Note cannot exceed 5000 characters' })
  @IsNotEmpty({ message: 'Note content is required' })
  @IsString({ message: 'Note content is required' })
  content: string;
}
