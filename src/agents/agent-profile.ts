import { AgentRole } from '../common/access/agent-role';
import { AgentAvailability, AgentSource } from './agent-attributes';
import { AgentRecord } from './agents.repository';

/** An agent as the rest of the application sees it (never the password hash). */
export interface AgentProfile {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: AgentRole;
  avatar: string | null;
  departments: string[];
  maxConcurrentChats: number;
  availability: AgentAvailability;
  active: boolean;
  source: AgentSource;
  tokensNotBefore: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toAgentProfile(record: AgentRecord): AgentProfile {
  return {
    id: record._id.toString(),
    firstName: record.firstName,
    lastName: record.lastName ?? '',
    email: record.email,
    role: record.role,
    avatar: record.avatar ?? null,
    departments: record.departments ?? [],
    maxConcurrentChats: record.maxConcurrentChats,
    availability: record.availability,
    active: record.active,
    source: record.source,
    tokensNotBefore: record.tokensNotBefore ?? null,
    lastLoginAt: record.lastLoginAt ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** "Jane Smith": the name shown to guests (`agentName`). */
export function agentDisplayName(agent: Pick<AgentProfile, 'firstName' | 'lastName'>): string {
  return [agent.firstName, agent.lastName].filter(Boolean).join(' ');
}
