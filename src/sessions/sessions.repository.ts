import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isDuplicateKeyError } from '../database/duplicate-key';
import mongoose, { Model, mongo, Types, UpdateQuery } from 'mongoose';
import { AuditEntry, LiveChatSession, SESSION_STATUSES, SessionStatus } from './schemas/live-chat-session.schema';
import { OPEN_STATUSES } from './session-status';

/** A session as read; its guest secret is left out of the type so no mapper can hand it out (see findGuestAccess). */
export type SessionRecord = Omit<LiveChatSession, 'guestSecret'>;

export type NewSession = Pick<LiveChatSession, 'sessionId' | 'guestSecret' | 'user' | 'startedAt' | 'dayKey' | 'audit'>;

/** Sessions are stored under their sessionId (see the schema's `_id`). */
const byId = (sessionId: string) => ({ _id: sessionId });

/** What guest access is decided on: read in one query, the guest secret included. */
export type GuestAccessRecord = Pick<LiveChatSession, 'status' | 'guestSecret'>;

export interface NewNote {
  content: string;
  addedBy: string;
  addedAt: Date;
}

export interface NewTransfer {
  from: string | null;
  to: string;
  reason?: string;
  by: string;
  at: Date;
}

/** One atomic change of a session document (applied inside the caller's per-session lock). */
export interface SessionChange {
  set?: Record<string, unknown>;
  inc?: Record<string, number>;
  unset?: string[];
  /** Agent ids are strings here; the repository stores ObjectIds. */
  assignedAgentId?: string;
  audit?: AuditEntry;
  note?: NewNote;
  transfer?: NewTransfer;
}

const objectId = (id: string) => new Types.ObjectId(id);

export interface SessionListFilter {
  status?: SessionStatus;
  department?: string;
  priority?: string;
  /** An agent id, or null for unassigned sessions. */
  assignedAgent?: string | null;
  search?: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The only code that touches the sessions collection. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(LiveChatSession.name) private readonly model: Model<LiveChatSession>) {}

  /** The driver's collection, for the two queries every message makes (see `updateReturningBefore`). */
  private get driver(): mongo.Collection<LiveChatSession> {
    return this.model.collection as unknown as mongo.Collection<LiveChatSession>;
  }

  /** Returns null when a session with this sessionId already exists (the unique index said so). */
  async insertIfAbsent(session: NewSession): Promise<SessionRecord | null> {
    try {
      const created = await this.model.create({ _id: session.sessionId, ...session });
      return created.toObject() as SessionRecord;
    } catch (err) {
      if (isDuplicateKeyError(err)) return null;
      throw err;
    }
  }

  findBySessionId(sessionId: string): Promise<SessionRecord | null> {
    return this.model.findOne(byId(sessionId)).lean<SessionRecord>().exec();
  }

  /** The session's status and guest secret (null when there is no such session). Every guest request asks: a driver read, see `updateReturningBefore`. */
  findGuestAccess(sessionId: string): Promise<GuestAccessRecord | null> {
    return this.driver.findOne<GuestAccessRecord>(byId(sessionId), { projection: { _id: 0, status: 1, guestSecret: 1 } });
  }

  async exists(sessionId: string): Promise<boolean> {
    return (await this.model.exists(byId(sessionId))) !== null;
  }

  /** Applies the change and returns the session after it, or null when there is no such session. */
  update(sessionId: string, change: SessionChange): Promise<SessionRecord | null> {
    return this.model.findOneAndUpdate(byId(sessionId), this.updateOf(change), { returnDocument: 'after' }).lean<SessionRecord>().exec();
  }

  /**
   * Applies the change and returns the session as it was before, or null when there is none. Every
   * message makes this write, so it goes straight to the driver (Mongoose's update casting built a
   * subdocument for `lastMessage` each time, docs/performance.md); the update is built here from
   * typed values only, so there is nothing to cast or sanitize, and `updatedAt` is set by hand. The
   * filter is the `_id` alone: FerretDB looks a document up by `_id` only when nothing else is in
   * the filter (a status condition made it scan the collection), so callers check `status` on the
   * returned document.
   */
  updateReturningBefore(sessionId: string, change: SessionChange): Promise<SessionRecord | null> {
    const update = this.updateOf(change);
    update.$set = { ...update.$set, updatedAt: new Date() };
    return this.driver.findOneAndUpdate(byId(sessionId), update, { returnDocument: 'before' });
  }

  /** Sets the fields to exactly these values (`undefined`: removes the field), `updatedAt` included: an undo. */
  async restoreFields(sessionId: string, fields: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(fields);
    const set = Object.fromEntries(entries.filter(([, value]) => value !== undefined));
    const unset = entries.filter(([, value]) => value === undefined).map(([field]) => field);
    await this.driver.updateOne(byId(sessionId), this.updateOf({ set, unset }));
  }

  /** One page, newest activity first (no total: see `countByStatus`). */
  page(filter: SessionListFilter, page: number, limit: number): Promise<SessionRecord[]> {
    return this.findPage(this.listQuery(filter), { updatedAt: -1, _id: -1 }, page, limit);
  }

  /**
   * Sessions per status under the filter, every status present (0 when none): one grouped count,
   * which the embedded database answers in one pass over the collection instead of one per status.
   */
  async countByStatus(filter: Omit<SessionListFilter, 'status'>): Promise<Record<SessionStatus, number>> {
    const groups = await this.model
      .aggregate<{ _id: SessionStatus; count: number }>([{ $match: this.listQuery(filter) }, { $group: { _id: '$status', count: { $sum: 1 } } }])
      .exec();
    const counts = Object.fromEntries(SESSION_STATUSES.map((status) => [status, 0])) as Record<SessionStatus, number>;
    for (const group of groups) if (group._id in counts) counts[group._id] = group.count;
    return counts;
  }

  /** Ids of open (pending/active) sessions unchanged since before `before`, least recently changed first. Index: status, updatedAt. */
  async findIdleOpen(before: Date, limit: number): Promise<string[]> {
    const idle = await this.model
      .find({ status: mongoose.trusted({ $in: OPEN_STATUSES }), updatedAt: mongoose.trusted({ $lt: before }) })
      .sort({ updatedAt: 1, _id: 1 })
      .limit(limit)
      .select('sessionId')
      .lean<Pick<SessionRecord, 'sessionId'>[]>()
      .exec();
    return idle.map((session) => session.sessionId);
  }

  async listByEmail(emailNormalized: string, page: number, limit: number): Promise<{ items: SessionRecord[]; total: number }> {
    const query = { 'user.emailNormalized': emailNormalized };
    const [items, total] = await Promise.all([this.findPage(query, { createdAt: -1, _id: -1 }, page, limit), this.model.countDocuments(query).exec()]);
    return { items, total };
  }

  private findPage(query: Record<string, unknown>, sort: Record<string, 1 | -1>, page: number, limit: number): Promise<SessionRecord[]> {
    return this.model
      .find(query)
      .sort(sort)
      .skip((page - 1) * limit)
      .limit(limit)
      .lean<SessionRecord[]>()
      .exec();
  }

  async delete(sessionId: string): Promise<boolean> {
    const result = await this.model.deleteOne(byId(sessionId)).exec();
    return result.deletedCount > 0;
  }

  private updateOf(change: SessionChange): UpdateQuery<LiveChatSession> {
    const update: UpdateQuery<LiveChatSession> = {};
    const set = { ...change.set, ...(change.assignedAgentId ? { assignedAgent: objectId(change.assignedAgentId) } : {}) };
    if (Object.keys(set).length) update.$set = set;
    if (change.inc) update.$inc = change.inc;
    if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((path) => [path, '']));
    const push: Record<string, unknown> = {};
    if (change.audit) push.audit = change.audit;
    if (change.note) push.notes = { ...change.note, addedBy: objectId(change.note.addedBy) };
    if (change.transfer) {
      const { from, to, by, ...rest } = change.transfer;
      push.transfers = { ...rest, ...(from ? { from: objectId(from) } : {}), to: objectId(to), by: objectId(by) };
    }
    if (Object.keys(push).length) update.$push = push;
    return update;
  }

  private listQuery(filter: SessionListFilter): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.department !== undefined) query.department = filter.department;
    if (filter.priority !== undefined) query.priority = filter.priority;
    if (filter.assignedAgent !== undefined) {
      query.assignedAgent = filter.assignedAgent === null ? null : objectId(filter.assignedAgent);
    }
    if (filter.search) {
      const pattern = escapeRegex(filter.search);
      query.$or = ['user.name', 'user.email', 'sessionId'].map((path) => ({ [path]: mongoose.trusted({ $regex: pattern, $options: 'i' }) }));
    }
    return query;
  }
}
