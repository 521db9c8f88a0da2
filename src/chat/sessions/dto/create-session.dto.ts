import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsEmail, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { SESSION_ID_PATTERN } from '../../../common/ids/session-id';
import { trim } from '../../../common/validation/transforms';

const REQUIRED = 'User name and email are required';

export class ChatUserDto {
  @ApiProperty({ example: 'John Doe', maxLength: 100 })
  @Transform(trim)
  @MaxLength(100, { message: 'Name cannot exceed 100 characters' })
  @IsNotEmpty({ message: REQUIRED })
  @IsString({ message: REQUIRED })
  name: string;

  @ApiProperty({ example: 'john@example.com' })
  @Transform(trim)
  @MaxLength(254, { message: 'Please provide a valid email' })
  @IsEmail({}, { message: 'Please provide a valid email' })
  @IsNotEmpty({ message: REQUIRED })
  @IsString({ message: REQUIRED })
  email: string;

  @ApiPropertyOptional({ example: '+1234567890' })
  @Transform(trim)
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 ().-]{4,24}$/, { message: 'Please provide a valid phone number' })
  @IsString({ message: 'Please provide a valid phone number' })
  phone?: string;
}

export class CreateSessionDto {
  @ApiPropertyOptional({ example: 'session-1701691234567-abc123', description: '8–128 characters of A-Z a-z 0-9 _ -; generated when absent' })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN, { message: 'Invalid session ID' })
  sessionId?: string;

  @ApiProperty({ type: ChatUserDto, description: 'Optional with `identityToken` (its signed name and email are used)' })
  @ValidateIf((dto: CreateSessionDto) => dto.identityToken === undefined || dto.user !== undefined)
  @IsDefined({ message: REQUIRED })
  @IsObject({ message: REQUIRED })
  @ValidateNested()
  @Type(() => ChatUserDto)
  user: ChatUserDto;

  @ApiPropertyOptional({ example: 'https://example.com/pricing', maxLength: 2048 })
  @IsOptional()
  @IsString({ message: 'pageUrl must be a string' })
  @MaxLength(2048, { message: 'pageUrl cannot exceed 2048 characters' })
  // Agents' dashboards show it as a link: a javascript: or data: URL would be stored XSS.
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'pageUrl must be an http(s) URL' })
  pageUrl?: string;

  @ApiPropertyOptional({ description: 'Addition: a JWT the host site signed with WIDGET_IDENTITY_SECRET (HS256; sub, name, email, exp ≤ 24 h): marks the visitor verified' })
  @IsOptional()
  @IsString({ message: 'Invalid identity token' })
  @MaxLength(4096, { message: 'Invalid identity token' })
  identityToken?: string;
}
