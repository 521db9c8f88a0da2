import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { ChatModule } from '../chat/chat.module';
import { AccessGuard } from './access.guard';
import { PrincipalResolver } from './principal.resolver';

/** Who may call what: the global `AccessGuard` and the `PrincipalResolver` the WebSocket adapter shares. */
@Module({
  imports: [AuthModule, ChatModule],
  providers: [PrincipalResolver, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [PrincipalResolver],
})
export class AccessModule {}
