import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AgentsModule } from '../agents/agents.module';
import { AgentTokenVerifier } from './agent-token.verifier';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtKeys } from './jwt-keys';
import { JwtStrategy } from './jwt.strategy';
import { LoginAttemptsLimiter } from './login-attempts.limiter';
import { LoginThrottleInterceptor } from './login-throttle.interceptor';

/** Agent logins and access tokens: issuing them (`POST /api/auth/login`) and verifying them (`AgentTokenVerifier`, for src/access). */
@Module({
  imports: [AgentsModule, PassportModule, JwtModule.register({})],
  controllers: [AuthController],
  providers: [AuthService, JwtKeys, JwtStrategy, AgentTokenVerifier, LoginAttemptsLimiter, LoginThrottleInterceptor],
  exports: [AgentTokenVerifier],
})
export class AuthModule {}
