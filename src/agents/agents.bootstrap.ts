import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/errors/app.exception';
import { Env } from '../config/env.validation';
import { AgentRole } from '../common/access/agent-role';
import { AgentsService } from './agents.service';

/** ADMIN_EMAIL + ADMIN_PASSWORD: create that super_admin on start when no super_admin exists yet. */
@Injectable()
export class AgentsBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Agents');

  constructor(
    private readonly agents: AgentsService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email && !password) return;
    if (!email || !password) {
      this.logger.warn('Set both ADMIN_EMAIL and ADMIN_PASSWORD to create the first super_admin');
      return;
    }
    if (await this.agents.hasSuperAdmin()) return;
    try {
      const agent = await this.agents.createAccount({ firstName: 'Admin', email, password, role: AgentRole.SuperAdmin });
      this.logger.log({ agentId: agent.id }, `Created the first super_admin ${agent.email} from ADMIN_EMAIL`);
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      this.logger.warn(`ADMIN_EMAIL ${email} already belongs to an agent that is not a super_admin: nothing created`);
    }
  }
}
