import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuthModule } from '../auth/auth.module';
import { ChatModule } from '../chat/chat.module';
import { AgentPresenceService } from './agent-presence.service';
import { ConnectionRegistry } from './connection-registry';
import { RealtimeAuthService } from './realtime-auth.service';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeRouter } from './realtime.router';

/**
 * The /ws/live-chat gateway. Register `LiveChatWsAdapter` as the app's WebSocket adapter (app.setup.ts):
 * it authenticates upgrades with `RealtimeAuthService` and enforces the transport limits.
 */
@Module({
  imports: [AuthModule, AgentsModule, ChatModule],
  providers: [RealtimeGateway, RealtimeRouter, ConnectionRegistry, RealtimeAuthService, AgentPresenceService],
})
export class RealtimeModule {}
