import { randomBytes } from 'node:crypto';
import { AgentProfile } from '../../src/agents/agent-profile';
import { AgentRole } from '../../src/common/access/agent-role';
import { AgentsService, NewAccount } from '../../src/agents/agents.service';
import { AuthService } from '../../src/auth/auth.service';
import { TestApp } from '../utils/create-test-app';

export const TEST_AGENT_PASSWORD = 'correct-horse-battery-staple';

export interface TestAgent {
  agent: AgentProfile;
  /** A Bearer token for `Authorization: Bearer ${token}`. */
  token: string;
  password: string;
}

/** A built-in agent (support unless told) and a token for it, straight through the services. */
export async function createAgent(t: TestApp, overrides: Partial<NewAccount> = {}): Promise<TestAgent> {
  const suffix = randomBytes(4).toString('hex');
  const password = overrides.password ?? TEST_AGENT_PASSWORD;
  const agent = await t.app.get(AgentsService).createAccount({
    firstName: 'Agent',
    lastName: suffix,
    email: `agent-${suffix}@example.com`,
    role: AgentRole.Support,
    ...overrides,
    password,
  });
  return { agent, token: t.app.get(AuthService).issueAccessToken(agent).accessToken, password };
}

/** `Authorization` header value for a test agent. */
export const bearer = (agent: Pick<TestAgent, 'token'>) => `Bearer ${agent.token}`;
