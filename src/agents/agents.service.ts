import { Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException } from '../common/errors/app.exception';
import { EventBus } from '../common/events/event-bus';
import type { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { AgentAuthCache } from './agent-auth-cache';
import { AgentProfile, toAgentProfile } from './agent-profile';
import { AgentRole, MANAGER_ROLES } from '../common/access/agent-role';
import { AgentAvailability, AgentSource } from './agent-attributes';
import { AgentChanges, AgentListFilter, AgentRecord, AgentsRepository, DuplicateEmailError } from './agents.repository';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';
import { PasswordHasher } from './password-hasher';
import { normalizeEmail } from '../common/validation/transforms';

export interface NewAccount {
  firstName: string;
  lastName?: string;
  email: string;
  password: string;
  role?: AgentRole;
  avatar?: string;
  departments?: string[];
  maxConcurrentChats?: number;
}

/** Profile claims of a token minted by an external platform (already validated by AuthService). */
export type ExternalAgentClaims = AuthenticatedAgent;

/**
 * Tokens carry `iat` in whole seconds: revoking moves the agent's not-before to the next whole
 * second, so every token issued so far (even this second) is refused, and new tokens are stamped no
 * earlier than it (`AuthService.issueAccessToken`).
 */
const revokeTokensNow = () => new Date(Math.ceil((Date.now() + 1) / 1000) * 1000);

const isManager = (role: AgentRole) => MANAGER_ROLES.includes(role);

@Injectable()
export class AgentsService {
  private readonly logger = new Logger(AgentsService.name);

  constructor(
    private readonly repository: AgentsRepository,
    private readonly hasher: PasswordHasher,
    private readonly bus: EventBus,
    private readonly authCache: AgentAuthCache,
  ) {}

  /** The agent, active or not; null for unknown or malformed ids. */
  async findById(id: string): Promise<AgentProfile | null> {
    const record = await this.repository.findById(id);
    return record ? toAgentProfile(record) : null;
  }

  /** `findById` through `AgentAuthCache`: only for checking the agent behind a token (AuthService). */
  findForAuthentication(id: string): Promise<AgentProfile | null> {
    return this.authCache.get(id, (key) => this.findById(key));
  }

  /** Agents by id (for populating `assignedAgent`, `notes[].addedBy`...); unknown or malformed ids are absent from the map. */
  async findManyByIds(ids: string[]): Promise<Map<string, AgentProfile>> {
    const records = await this.repository.findByIds(ids);
    return new Map(records.map((record) => [record._id.toString(), toAgentProfile(record)]));
  }

  async get(id: string): Promise<AgentProfile> {
    const agent = await this.findById(id);
    if (!agent) throw AppException.notFound('Agent not found');
    return agent;
  }

  list(filter: AgentListFilter, page: number, limit: number): Promise<{ items: AgentProfile[]; total: number }> {
    return this.repository.list(filter, page, limit).then(({ items, total }) => ({ items: items.map(toAgentProfile), total }));
  }

  /** A built-in account, without permission checks (the CLI, the first-start bootstrap, `create`). */
  async createAccount(account: NewAccount): Promise<AgentProfile> {
    try {
      const record = await this.repository.insert({
        firstName: account.firstName.trim(),
        lastName: account.lastName?.trim() ?? '',
        email: normalizeEmail(account.email),
        role: account.role ?? AgentRole.Support,
        passwordHash: await this.hasher.hash(account.password),
        avatar: account.avatar ?? null,
        departments: account.departments ?? [],
        maxConcurrentChats: account.maxConcurrentChats,
        source: AgentSource.Local,
      });
      if (!record) throw new Error('ObjectId collision while creating an agent');
      return toAgentProfile(record);
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw AppException.conflict('An agent with this email already exists');
      throw err;
    }
  }

  /** `POST /agents`: admins create support agents; only a super_admin creates admins and super_admins. */
  create(actor: AuthenticatedAgent, dto: CreateAgentDto): Promise<AgentProfile> {
    this.assertMayGrant(actor, dto.role ?? AgentRole.Support);
    return this.createAccount(dto);
  }

  /** `PATCH /agents/:id`. Admins manage support agents (and their own profile); nobody changes their own role or deactivates themselves. */
  async update(actor: AuthenticatedAgent, id: string, body: UpdateAgentDto): Promise<AgentProfile> {
    // Optional fields let a JSON null through validation: null changes nothing, like an absent field.
    const dto: UpdateAgentDto = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
    const target = await this.get(id);
    const self = target.id === actor.id;
    if (self && dto.role !== undefined && dto.role !== target.role) throw AppException.forbidden('You cannot change your own role');
    if (self && dto.active === false) throw AppException.forbidden('You cannot deactivate your own account');
    if (!self) this.assertMayManage(actor, target);
    if (dto.role !== undefined) this.assertMayGrant(actor, dto.role);

    const changes: AgentChanges = {};
    if (dto.firstName !== undefined) changes.firstName = dto.firstName;
    if (dto.lastName !== undefined) changes.lastName = dto.lastName;
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.role !== undefined) changes.role = dto.role;
    if (dto.avatar !== undefined) changes.avatar = dto.avatar;
    if (dto.departments !== undefined) changes.departments = dto.departments;
    if (dto.maxConcurrentChats !== undefined) changes.maxConcurrentChats = dto.maxConcurrentChats;
    if (dto.password !== undefined) {
      changes.passwordHash = await this.hasher.hash(dto.password);
      changes.tokensNotBefore = revokeTokensNow();
    }
    if (dto.active !== undefined) changes.active = dto.active;
    if (dto.active === false) {
      changes.availability = AgentAvailability.Offline;
      changes.tokensNotBefore = revokeTokensNow();
    }
    const updated = await this.save(target.id, changes);
    if (dto.active === false && target.active) await this.bus.publish('agent.deactivated', { agentId: target.id });
    return updated;
  }

  /** `DELETE /agents/:id`: the agent's tokens and sockets stop working at once; its chats and notes stay. */
  deactivate(actor: AuthenticatedAgent, id: string): Promise<AgentProfile> {
    return this.update(actor, id, { active: false });
  }

  async setAvailability(actor: AuthenticatedAgent, availability: AgentAvailability): Promise<AgentProfile> {
    const updated = await this.save(actor.id, { availability });
    await this.bus.publish('agent.presence', { agentId: updated.id, availability });
    return updated;
  }

  /** Verifies a login: the active local agent with this email and password, or null (same time either way). */
  async verifyCredentials(email: string, password: string): Promise<AgentProfile | null> {
    const record = await this.repository.findByEmailWithPassword(normalizeEmail(email));
    const ok = await this.hasher.verify(record?.passwordHash, password);
    if (!ok || !record?.active) return null;
    const updated = await this.write(record._id.toString(), { lastLoginAt: new Date() });
    return updated ? toAgentProfile(updated) : null;
  }

  /**
   * A token from an external platform named an agent: create its profile from the claims, or refresh
   * a profile created that way earlier. Built-in accounts are never changed by token claims.
   */
  async syncExternal(claims: ExternalAgentClaims, existing: AgentProfile | null): Promise<AgentProfile> {
    try {
      if (!existing) {
        const { id, ...profile } = claims;
        const created = await this.repository.insert({ _id: new Types.ObjectId(id), ...profile, source: AgentSource.External });
        if (created) {
          this.logger.log({ agentId: claims.id, role: claims.role }, 'Provisioned an agent from an external token');
          return toAgentProfile(created);
        }
        return this.get(claims.id); // a concurrent request provisioned it first
      }
      if (existing.source !== AgentSource.External || !existing.active) return existing;
      const changes: AgentChanges = {};
      for (const key of ['firstName', 'lastName', 'email', 'role', 'avatar'] as const) {
        if (existing[key] !== claims[key]) Object.assign(changes, { [key]: claims[key] });
      }
      return Object.keys(changes).length === 0 ? existing : await this.save(existing.id, changes);
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw AppException.unauthorized('Token email belongs to another agent');
      throw err;
    }
  }

  /** Whether a super_admin exists (first-start bootstrap). */
  hasSuperAdmin(): Promise<boolean> {
    return this.repository.existsWithRole(AgentRole.SuperAdmin);
  }

  /**
   * Every update of an agent goes through here: its cached copies (`AgentAuthCache`) are dropped on
   * this instance before the caller goes on, and on the others through `agent.changed`. Also when
   * the update failed, as it may have been applied anyway.
   */
  private async write(id: string, changes: AgentChanges): Promise<AgentRecord | null> {
    try {
      return await this.repository.update(id, changes);
    } finally {
      this.authCache.invalidate(id);
      await this.bus.publish('agent.changed', { agentId: id });
    }
  }

  private async save(id: string, changes: AgentChanges): Promise<AgentProfile> {
    try {
      const updated = await this.write(id, changes);
      if (!updated) throw AppException.notFound('Agent not found');
      return toAgentProfile(updated);
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw AppException.conflict('An agent with this email already exists');
      throw err;
    }
  }

  private assertMayGrant(actor: AuthenticatedAgent, role: AgentRole): void {
    if (isManager(role) && actor.role !== AgentRole.SuperAdmin) {
      throw AppException.forbidden('Only a super_admin can create or promote admins');
    }
  }

  private assertMayManage(actor: AuthenticatedAgent, target: AgentProfile): void {
    if (isManager(target.role) && actor.role !== AgentRole.SuperAdmin) {
      throw AppException.forbidden('Only a super_admin can manage admins');
    }
  }
}
