import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isDuplicateKeyError } from '../database/duplicate-key';
import mongoose, { Model, Types } from 'mongoose';
import { AgentRole } from '../common/access/agent-role';
import { AgentAvailability, AgentSource } from './agent-attributes';
import { Agent } from './schemas/agent.schema';

export type AgentRecord = Omit<Agent, 'passwordHash'>;
export type AgentWithPassword = AgentRecord & { passwordHash?: string };

export interface NewAgent {
  _id?: Types.ObjectId;
  firstName: string;
  lastName: string;
  email: string;
  role: AgentRole;
  passwordHash?: string;
  avatar?: string | null;
  departments?: string[];
  maxConcurrentChats?: number;
  source: AgentSource;
}

export type AgentChanges = Partial<
  Pick<Agent, 'firstName' | 'lastName' | 'email' | 'role' | 'passwordHash' | 'avatar' | 'departments' | 'maxConcurrentChats' | 'availability' | 'active' | 'lastLoginAt' | 'tokensNotBefore'>
>;

export interface AgentListFilter {
  role?: AgentRole;
  availability?: AgentAvailability;
  active?: boolean;
}

/** Another agent already has this email (the unique index said so). */
export class DuplicateEmailError extends Error {
  constructor() {
    super('Duplicate agent email');
  }
}

/** Every read but the login's leaves the hash out. */
const WITHOUT_PASSWORD = { passwordHash: 0 } as const;

function withoutPassword<T extends { passwordHash?: string }>(record: T | null): Omit<T, 'passwordHash'> | null {
  if (!record) return null;
  const { passwordHash: _omit, ...rest } = record;
  return rest;
}

export function isObjectIdString(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value);
}

/** The only code that touches the agents collection. */
@Injectable()
export class AgentsRepository {
  constructor(@InjectModel(Agent.name) private readonly model: Model<Agent>) {}

  findById(id: string): Promise<AgentRecord | null> {
    if (!isObjectIdString(id)) return Promise.resolve(null);
    return this.model.findById(id, WITHOUT_PASSWORD).lean<AgentRecord>().exec();
  }

  findByIds(ids: string[]): Promise<AgentRecord[]> {
    const valid = [...new Set(ids.filter(isObjectIdString))];
    if (valid.length === 0) return Promise.resolve([]);
    return this.model
      .find({ _id: mongoose.trusted({ $in: valid.map((id) => new Types.ObjectId(id)) }) }, WITHOUT_PASSWORD)
      .lean<AgentRecord[]>()
      .exec();
  }

  findByEmailWithPassword(email: string): Promise<AgentWithPassword | null> {
    return this.model.findOne({ email }).lean<AgentWithPassword>().exec();
  }

  async existsWithRole(role: AgentRole): Promise<boolean> {
    return (await this.model.exists({ role })) !== null;
  }

  /**
   * Throws `DuplicateEmailError` when the email is taken; returns null when the given `_id` already
   * exists. (FerretDB's E11000 does not name the index, so the `_id` is looked up to tell them apart.)
   */
  async insert(agent: NewAgent): Promise<AgentRecord | null> {
    try {
      const created = await this.model.create(agent);
      return withoutPassword(created.toObject());
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      if (agent._id && (await this.model.exists({ _id: agent._id }))) return null;
      throw new DuplicateEmailError();
    }
  }

  /** Returns the updated agent, or null when there is none; throws `DuplicateEmailError`. */
  async update(id: string, changes: AgentChanges): Promise<AgentRecord | null> {
    if (!isObjectIdString(id)) return null;
    try {
      const updated = await this.model.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after', runValidators: true }).lean<AgentWithPassword>().exec();
      return withoutPassword(updated);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new DuplicateEmailError();
      throw err;
    }
  }

  async list(filter: AgentListFilter, page: number, limit: number): Promise<{ items: AgentRecord[]; total: number }> {
    const query: Record<string, unknown> = {};
    if (filter.role !== undefined) query.role = filter.role;
    if (filter.availability !== undefined) query.availability = filter.availability;
    if (filter.active !== undefined) query.active = filter.active;
    const [items, total] = await Promise.all([
      this.model
        .find(query, WITHOUT_PASSWORD)
        .sort({ firstName: 1, lastName: 1, _id: 1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean<AgentRecord[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }
}
