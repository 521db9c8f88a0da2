import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

export class AgentIdParamDto {
  @ApiProperty({ example: '665f1c2ab1e4c8a1d2f3e4a5' })
  @IsMongoId({ message: 'Invalid agent id' })
  id: string;
}
