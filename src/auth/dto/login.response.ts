import { ApiProperty } from '@nestjs/swagger';
import { AgentResponse } from '../../agents/dto/agent.response';

export class LoginResponseData {
  @ApiProperty({ description: 'HS256 JWT: send as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ description: 'Lifetime in seconds', example: 28800 }) expiresIn: number;
  @ApiProperty({ type: AgentResponse }) agent: AgentResponse;
}
