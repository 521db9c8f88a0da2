import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AgentsModule } from '../agents/agents.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { JwtKeys } from './jwt-keys';
import { JwtStrategy } from './jwt.strategy';
import { LoginAttemptsLimiter } from './login-attempts.limiter';
import { LoginThrottleInterceptor } from './login-throttle.interceptor';

/**
 * Agent authentication. Other modules protect routes with `@Auth(...roles)` (or
 * `@UseGuards(JwtAuthGuard, RolesGuard)` + `@Roles(...)`) and read `@CurrentAgent()`; the gateway
 * calls `AuthService.verifyAccessToken`.
 */
@Module({
  imports: [AgentsModule, PassportModule, JwtModule.register({})],
  controllers: [AuthController],
  providers: [AuthService, JwtKeys, JwtStrategy, JwtAuthGuard, RolesGuard, LoginAttemptsLimiter, LoginThrottleInterceptor],
  exports: [AuthService, JwtAuthGuard, RolesGuard, AgentsModule],
})
export class AuthModule {}
