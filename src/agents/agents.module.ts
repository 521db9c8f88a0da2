import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentAuthCache } from './agent-auth-cache';
import { AgentsBootstrap } from './agents.bootstrap';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { PasswordHasher } from './password-hasher';
import { Agent, AgentSchema } from './schemas/agent.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Agent.name, schema: AgentSchema }])],
  controllers: [AgentsController],
  providers: [AgentsRepository, AgentsService, PasswordHasher, AgentsBootstrap, AgentAuthCache],
  exports: [AgentsService],
})
export class AgentsModule {}
