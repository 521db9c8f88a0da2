import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { KeyedLock } from '../../common/locks/keyed-lock';
import { SESSION_STATUSES, SessionStatus } from './schemas/live-chat-session.schema';
import { SessionCount } from './schemas/session-count.schema';
import { SessionChangeFeed } from './session-change-feed';
import type { SessionListFilter, SessionRecord } from './sessions.repository';

type Counted = Pick<SessionRecord, 'status' | 'department' | 'priority' | 'assignedAgent'>;
export type StatusCounts = Record<SessionStatus, number>;

/** The counts document a session is counted in. */
export const sessionCountKey = (session: Pick<Counted, 'department' | 'priority' | 'assignedAgent'>) =>
  `${session.department}|${session.priority}|${session.assignedAgent ? String(session.assignedAgent) : ''}`;

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(SESSION_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/**
 * Sessions per status under the admin list's filters (but search), kept at write time so the list
 * never counts sessions: one small document per department × priority × agent. Each write runs
 * under the lock `sessioncount:<key>` (the embedded database loses concurrent `$inc`s of one
 * document). A crash between a session write and its count leaves the count off by one until
 * `npm run sessions:reindex`.
 */
@Injectable()
export class SessionCounts implements OnModuleInit {
  constructor(
    @InjectModel(SessionCount.name) private readonly model: Model<SessionCount>,
    private readonly changes: SessionChangeFeed,
    private readonly lock: KeyedLock,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe((before, after) => this.record(before, after));
  }

  async record(before: Counted | null, after: Counted | null): Promise<void> {
    if (before && after && sessionCountKey(before) === sessionCountKey(after) && before.status === after.status) return;
    if (before) await this.add(sessionCountKey(before), before.status, -1);
    if (after) await this.add(sessionCountKey(after), after.status, 1);
  }

  private add(key: string, status: SessionStatus, by: number): Promise<void> {
    return this.lock.run(`sessioncount:${key}`, async () => {
      await this.model.updateOne({ _id: key }, { $inc: { [status]: by } }, { upsert: true }).exec();
    });
  }

  /** Counts under the filter's department, priority and assignedAgent. */
  async under(filter: Pick<SessionListFilter, 'department' | 'priority' | 'assignedAgent'>): Promise<StatusCounts> {
    const counts = emptyCounts();
    for (const row of await this.model.find().lean<SessionCount[]>().exec()) {
      const [department, priority, agent] = row._id.split('|');
      if (filter.department !== undefined && department !== filter.department) continue;
      if (filter.priority !== undefined && priority !== filter.priority) continue;
      if (filter.assignedAgent !== undefined && agent !== (filter.assignedAgent ?? '')) continue;
      for (const status of SESSION_STATUSES) counts[status] += row[status] ?? 0;
    }
    return counts;
  }

  /** Replaces every count with a recount of `sessions` (the repair after a crash). */
  async replaceWith(sessions: AsyncIterable<Counted>): Promise<void> {
    const rows = new Map<string, StatusCounts>();
    for await (const session of sessions) {
      const key = sessionCountKey(session);
      const row = rows.get(key) ?? emptyCounts();
      row[session.status] += 1;
      rows.set(key, row);
    }
    await this.model.deleteMany({}).exec();
    if (rows.size) await this.model.insertMany([...rows].map(([_id, counts]) => ({ _id, ...counts })));
  }
}
