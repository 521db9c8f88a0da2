import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { toNormalizedEmail } from '../../common/validation/transforms';

const REQUIRED = 'Email and password are required';
const TOO_LONG = 'Invalid email or password';

/** class-validator reports the decorator nearest the property first: the required checks sit last. */
export class LoginDto {
  @ApiProperty({ example: 'jane@company.com' })
  @Transform(toNormalizedEmail) @MaxLength(254, { message: TOO_LONG }) @IsNotEmpty({ message: REQUIRED }) @IsString({ message: REQUIRED })
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @MaxLength(128, { message: TOO_LONG }) @IsNotEmpty({ message: REQUIRED }) @IsString({ message: REQUIRED })
  password: string;
}
