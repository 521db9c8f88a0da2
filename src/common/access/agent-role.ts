/** The three roles the admin API knows; a token with any other role is refused with 403. */
export enum AgentRole {
  SuperAdmin = 'super_admin',
  Admin = 'admin',
  Support = 'support',
}

export const AGENT_ROLES: readonly AgentRole[] = Object.values(AgentRole);

/** Roles that may manage agents (create, update, deactivate) and delete sessions. */
export const MANAGER_ROLES: readonly AgentRole[] = [AgentRole.Admin, AgentRole.SuperAdmin];

export function isAgentRole(value: unknown): value is AgentRole {
  return typeof value === 'string' && (AGENT_ROLES as readonly string[]).includes(value);
}
