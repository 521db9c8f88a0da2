import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AnalyticsRecorder } from '../../src/analytics/analytics.recorder';
import { KeyedLock } from '../../src/common/locks/keyed-lock';
import { dayKeyOf } from '../../src/common/time/day-key';
import { TestApp } from '../utils/create-test-app';

/** The analytics fields of a session, as the session services write them. */
export interface SessionSpec {
  startedAt: Date;
  agent?: string | null;
  messageCount?: number;
  closed?: boolean;
  rating?: number;
  firstResponseMs?: number;
}

const sessions = (t: TestApp) => t.connection.collection<{ _id: string } & Record<string, any>>('livechatsessions');

/**
 * Stands in for the session services: writes a session straight into the collection and tells the
 * recorder, inside the session's lock, exactly as the contract in AnalyticsRecorder asks.
 */
export async function insertSession(t: TestApp, spec: SessionSpec, timeZone = 'UTC'): Promise<string> {
  const sessionId = `session-an-${randomBytes(6).toString('hex')}`;
  const doc = {
    _id: sessionId,
    sessionId,
    user: { name: 'Guest', email: `${sessionId}@example.com`, emailNormalized: `${sessionId}@example.com`, metadata: {} },
    status: spec.closed ? 'closed' : 'active',
    priority: 'medium',
    department: 'general',
    assignedAgent: spec.agent ? new Types.ObjectId(spec.agent) : null,
    tags: [],
    messageCount: spec.messageCount ?? 1,
    unreadCount: 0,
    lastSeq: spec.messageCount ?? 1,
    startedAt: spec.startedAt,
    ...(spec.firstResponseMs !== undefined ? { firstResponseAt: new Date(spec.startedAt.getTime() + spec.firstResponseMs), firstResponseMs: spec.firstResponseMs } : {}),
    ...(spec.rating ? { rating: { score: spec.rating, ratedAt: spec.startedAt } } : {}),
    notes: [],
    transfers: [],
    audit: [],
    dayKey: dayKeyOf(spec.startedAt, timeZone),
    rated: spec.rating ? 1 : 0,
    ratingScore: spec.rating ?? 0,
    closed: spec.closed ? 1 : 0,
    createdAt: spec.startedAt,
    updatedAt: spec.startedAt,
  };
  await t.app.get(KeyedLock).run(sessionId, async () => {
    await sessions(t).insertOne(doc);
    await t.app.get(AnalyticsRecorder).record(null, (await sessions(t).findOne({ sessionId })) as never);
  });
  return sessionId;
}

/** `$set`s (and `$unset`s) fields of a session and tells the recorder, inside the session's lock. */
export async function updateSession(t: TestApp, sessionId: string, set: Record<string, unknown>, unset: string[] = []): Promise<void> {
  await t.app.get(KeyedLock).run(sessionId, async () => {
    const before = await sessions(t).findOne({ sessionId });
    await sessions(t).updateOne({ sessionId }, { $set: set, ...(unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {}) });
    const after = await sessions(t).findOne({ sessionId });
    await t.app.get(AnalyticsRecorder).record(before as never, after as never);
  });
}

export async function deleteSession(t: TestApp, sessionId: string): Promise<void> {
  await t.app.get(KeyedLock).run(sessionId, async () => {
    const before = await sessions(t).findOne({ sessionId });
    await sessions(t).deleteOne({ sessionId });
    await t.app.get(AnalyticsRecorder).record(before as never, null);
  });
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));
const avg = (sum: number, count: number, decimals = 2) => (count ? round(sum / count, decimals) : 0);

/**
 * The analytics of the days `days` recomputed from the raw sessions and agents collections,
 * independently of the rollups: what the endpoint must answer.
 */
export async function bruteForce(t: TestApp, days: string[]) {
  const wanted = new Set(days);
  const all = (await sessions(t).find({}).toArray()).filter((s) => wanted.has(s.dayKey));
  const rated = all.filter((s) => s.rated);
  const answered = all.filter((s) => typeof s.firstResponseMs === 'number').map((s) => s.firstResponseMs as number);
  const agents = new Map<string, { sessions: number; rated: number; ratingSum: number }>();
  for (const s of all.filter((session) => session.assignedAgent)) {
    const entry = agents.get(s.assignedAgent.toString()) ?? { sessions: 0, rated: 0, ratingSum: 0 };
    entry.sessions += 1;
    if (s.rated) {
      entry.rated += 1;
      entry.ratingSum += s.ratingScore;
    }
    agents.set(s.assignedAgent.toString(), entry);
  }
  const names = new Map(
    (await t.connection.collection('agents').find({}).toArray()).map((a) => [a._id.toString(), [a.firstName, a.lastName].filter(Boolean).join(' ')]),
  );
  const topAgents = [...agents]
    .map(([id, a]) => ({ _id: id, sessionsHandled: a.sessions, avgRating: avg(a.ratingSum, a.rated), name: names.get(id) ?? null }))
    .sort((a, b) => b.sessionsHandled - a.sessionsHandled || b.avgRating - a.avgRating || (a._id < b._id ? -1 : 1))
    .slice(0, 10);
  return {
    overview: {
      totalSessions: all.length,
      avgMessages: avg(all.reduce((sum, s) => sum + s.messageCount, 0), all.length),
      closedSessions: all.filter((s) => s.closed).length,
      avgRating: avg(rated.reduce((sum, s) => sum + s.ratingScore, 0), rated.length),
    },
    responseTime: {
      avgResponseTime: avg(answered.reduce((sum, ms) => sum + ms, 0), answered.length, 0),
      minResponseTime: answered.length ? Math.min(...answered) : 0,
      maxResponseTime: answered.length ? Math.max(...answered) : 0,
    },
    sessionsByDay: days.map((day) => ({ _id: day, count: all.filter((s) => s.dayKey === day).length })),
    topAgents,
  };
}
