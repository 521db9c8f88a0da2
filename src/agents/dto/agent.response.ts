import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AgentProfile } from '../agent-profile';
import { AgentRole } from '../../common/access/agent-role';
import { AgentAvailability, AgentSource } from '../agent-attributes';
import { DEPARTMENTS } from '../../common/domain/departments';

/** An agent as returned by the admin API (only agents see it: it carries the email). */
export class AgentResponse {
  @ApiProperty({ example: '665f1c2ab1e4c8a1d2f3e4a5' }) _id: string;
  @ApiProperty({ example: 'Jane' }) firstName: string;
  @ApiProperty({ example: 'Smith' }) lastName: string;
  @ApiProperty({ example: 'jane@company.com' }) email: string;
  @ApiProperty({ enum: AgentRole }) role: AgentRole;
  @ApiPropertyOptional({ nullable: true, type: String }) avatar: string | null;
  @ApiProperty({ enum: DEPARTMENTS, isArray: true }) departments: string[];
  @ApiProperty({ example: 5 }) maxConcurrentChats: number;
  @ApiProperty({ enum: AgentAvailability }) availability: AgentAvailability;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: AgentSource, description: '`external`: provisioned from another platform’s token; cannot log in here' }) source: AgentSource;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** `data` of PATCH /agents/me/availability. */
export class AgentAvailabilityResponse {
  @ApiProperty() _id: string;
  @ApiProperty({ enum: AgentAvailability }) availability: AgentAvailability;
}

export function mapAgent(agent: AgentProfile): AgentResponse {
  return {
    _id: agent.id,
    firstName: agent.firstName,
    lastName: agent.lastName,
    email: agent.email,
    role: agent.role,
    avatar: agent.avatar,
    departments: agent.departments,
    maxConcurrentChats: agent.maxConcurrentChats,
    availability: agent.availability,
    active: agent.active,
    source: agent.source,
    lastLoginAt: agent.lastLoginAt?.toISOString() ?? null,
    createdAt: new Date(agent.createdAt).toISOString(),
    updatedAt: new Date(agent.updatedAt).toISOString(),
  };
}
