import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AgentRole } from '../../common/access/agent-role';
import { DEPARTMENTS } from '../../common/domain/departments';
import { toNormalizedEmail, trim } from '../../common/validation/transforms';


/** class-validator reports the decorator nearest the property first: the main check sits last. */
export class CreateAgentDto {
  @ApiProperty({ example: 'Jane', maxLength: 100 })
  @Transform(trim) @MaxLength(100) @IsNotEmpty({ message: 'First name is required' }) @IsString({ message: 'First name is required' })
  firstName: string;

  @ApiPropertyOptional({ example: 'Smith', maxLength: 100 })
  @Transform(trim) @IsOptional() @MaxLength(100) @IsString()
  lastName?: string;

  @ApiProperty({ example: 'jane@company.com' })
  @Transform(toNormalizedEmail) @MaxLength(254) @IsEmail({}, { message: 'A valid email is required' })
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString({ message: 'Password must be 8 to 128 characters' })
  @MinLength(8, { message: 'Password must be 8 to 128 characters' })
  @MaxLength(128, { message: 'Password must be 8 to 128 characters' })
  password: string;

  @ApiPropertyOptional({ enum: AgentRole, default: AgentRole.Support })
  @IsOptional() @IsIn(Object.values(AgentRole), { message: 'Role must be one of: super_admin, admin, support' })
  role?: AgentRole;

  @ApiPropertyOptional({ example: 'https://example.com/jane.png' })
  @IsOptional() @MaxLength(2048) @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'Avatar must be an http(s) URL' })
  avatar?: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS, isArray: true })
  @IsOptional() @ArrayMaxSize(DEPARTMENTS.length) @IsIn(DEPARTMENTS, { each: true, message: `Departments must be among: ${DEPARTMENTS.join(', ')}` })
  departments?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5 })
  @IsOptional() @IsInt() @Min(1) @Max(100)
  maxConcurrentChats?: number;
}
