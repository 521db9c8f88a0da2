import { AgentRole } from '../agents/agent-role';

/** The agent behind a verified token: what `@CurrentAgent()` and `AuthService.verifyAccessToken` give. */
export interface AuthenticatedAgent {
  id: string;
  role: AgentRole;
  firstName: string;
  lastName: string;
  email: string;
  avatar: string | null;
}
