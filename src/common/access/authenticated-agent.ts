import { AgentRole } from './agent-role';

/** The agent behind a verified token: what `@CurrentAgent()` gives. */
export interface AuthenticatedAgent {
  id: string;
  role: AgentRole;
  firstName: string;
  lastName: string;
  email: string;
  avatar: string | null;
}
