import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AccessModule } from '../access/access.module';
import { ChatModule } from '../chat/chat.module';
import { AgentPresenceService } from './agent-presence.service';
import { ConnectionRegistry } from './connection-registry';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeRouter } from './realtime.router';

/**
 * The /ws/live-chat gateway. Register `LiveChatWsAdapter` as the app's WebSocket adapter (app.setup.ts):
 * it authenticates upgrades with the access layer's `PrincipalResolver` and enforces the transport limits.
 */
@Module({
  imports: [AccessModule, AgentsModule, ChatModule],
  providers: [RealtimeGateway, RealtimeRouter, ConnectionRegistry, AgentPresenceService],
})
export class RealtimeModule {}
