import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AgentsService } from '../agents/agents.service';
import { AgentResponse, mapAgent } from '../agents/dto/agent.response';
import { ApiSuccess } from '../common/http/api-success.decorator';
import { AuthService } from './auth.service';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { LoginDto } from './dto/login.dto';
import { LoginResponseData } from './dto/login.response';
import { LoginThrottleInterceptor } from './login-throttle.interceptor';
import { Access, CurrentAgent, Public } from '../common/access/access.decorator';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseInterceptors(LoginThrottleInterceptor)
  @ApiOperation({ summary: 'Log in with a built-in agent account' })
  @ApiSuccess({ message: true, data: LoginResponseData })
  @ApiBadRequestResponse({ description: 'Email and password are required' })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (same answer for unknown emails)' })
  @ApiTooManyRequestsResponse({ description: 'Too many login attempts, please try again later. (with Retry-After)' })
  async login(@Body() body: LoginDto) {
    const { accessToken, expiresIn, agent } = await this.auth.login(body.email, body.password);
    return { success: true, message: 'Login successful', data: { accessToken, expiresIn, agent: mapAgent(agent) } };
  }

  @Get('me')
  @Access({ roles: [] })
  @ApiOperation({ summary: 'The agent behind the token' })
  @ApiSuccess({ data: AgentResponse })
  async me(@CurrentAgent() agent: AuthenticatedAgent) {
    return { success: true, data: mapAgent(await this.agents.get(agent.id)) };
  }
}
