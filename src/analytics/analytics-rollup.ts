import { Types } from 'mongoose';
import type { LiveChatSession } from '../chat/sessions/schemas/live-chat-session.schema';
import { AgentDayCounters, AnalyticsDay } from './schemas/analytics-day.schema';

/** What a session contributes to analytics: its denormalized fields (a lean session document fits). */
export type SessionAnalyticsFacts = Pick<LiveChatSession, 'dayKey' | 'messageCount' | 'closed' | 'rated' | 'ratingScore'> & {
  assignedAgent?: Types.ObjectId | string | null;
  firstResponseMs?: number | null;
};

/** The counters of one day (and of each agent on that day), as stored in `analyticsdays`. */
export const DAY_COUNTERS = ['sessions', 'messages', 'closed', 'rated', 'ratingSum', 'answered', 'responseMsSum'] as const;
export const AGENT_COUNTERS = ['sessions', 'rated', 'ratingSum'] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];
export type AgentCounter = (typeof AGENT_COUNTERS)[number];

/** The change one session write makes to one day's rollup. */
export interface DayDelta {
  /** `$inc` paths: day counters and `agents.<agentId>.<counter>`. */
  inc: Record<string, number>;
  /** First-response times that now count on this day (for `$min`/`$max`). */
  addedResponseMs?: { min: number; max: number };
  /** A first-response time that no longer counts on this day (the day's min/max may need a recount). */
  removedResponseMs?: number;
}

const hasResponse = (facts: SessionAnalyticsFacts): facts is SessionAnalyticsFacts & { firstResponseMs: number } =>
  typeof facts.firstResponseMs === 'number';

/** The `$inc` paths of one session, all positive. */
export function contributionOf(facts: SessionAnalyticsFacts): Record<string, number> {
  const rated = facts.rated ? 1 : 0;
  const ratingSum = rated ? facts.ratingScore : 0;
  const answered = hasResponse(facts);
  const inc: Record<string, number> = {
    sessions: 1,
    messages: facts.messageCount ?? 0,
    closed: facts.closed ? 1 : 0,
    rated,
    ratingSum,
    answered: answered ? 1 : 0,
    responseMsSum: answered ? facts.firstResponseMs! : 0,
  };
  if (facts.assignedAgent) {
    const agent = facts.assignedAgent.toString();
    Object.assign(inc, { [`agents.${agent}.sessions`]: 1, [`agents.${agent}.rated`]: rated, [`agents.${agent}.ratingSum`]: ratingSum });
  }
  return inc;
}

/**
 * What changes in the rollups when a session goes from `before` to `after` (null: did not exist /
 * no longer exists), per day key. Days whose rollup does not change are left out.
 */
export function rollupDeltas(before: SessionAnalyticsFacts | null, after: SessionAnalyticsFacts | null): Map<string, DayDelta> {
  const deltas = new Map<string, DayDelta>();
  const deltaOf = (day: string) => {
    let delta = deltas.get(day);
    if (!delta) deltas.set(day, (delta = { inc: {} }));
    return delta;
  };
  const add = (facts: SessionAnalyticsFacts, sign: 1 | -1) => {
    const delta = deltaOf(facts.dayKey);
    for (const [path, value] of Object.entries(contributionOf(facts))) delta.inc[path] = (delta.inc[path] ?? 0) + sign * value;
  };
  if (before) add(before, -1);
  if (after) add(after, 1);

  const sameResponse = before && after && before.dayKey === after.dayKey && before.firstResponseMs === after.firstResponseMs;
  if (!sameResponse) {
    if (before && hasResponse(before)) deltaOf(before.dayKey).removedResponseMs = before.firstResponseMs;
    if (after && hasResponse(after)) deltaOf(after.dayKey).addedResponseMs = { min: after.firstResponseMs, max: after.firstResponseMs };
  }
  for (const [day, delta] of deltas) {
    for (const [path, value] of Object.entries(delta.inc)) if (value === 0) delete delta.inc[path];
    if (Object.keys(delta.inc).length === 0 && delta.addedResponseMs === undefined && delta.removedResponseMs === undefined) deltas.delete(day);
  }
  return deltas;
}

/**
 * Several deltas of one day added up (a bulk load, the recorder's buffer), applied with one write.
 * `removedResponseMs` is never set on it: `responseRemoved` says that some time left the day.
 */
export interface MergedDayDelta extends DayDelta {
  responseRemoved?: true;
}

/** Adds `delta` to `totals`' entry for `day`: sums the `$inc`s (dropping zeros), widens the added extremes, keeps a removal. */
export function mergeDelta(totals: Map<string, MergedDayDelta>, day: string, delta: MergedDayDelta): void {
  const total: MergedDayDelta = totals.get(day) ?? { inc: {} };
  for (const [path, value] of Object.entries(delta.inc)) {
    const sum = (total.inc[path] ?? 0) + value;
    if (sum === 0) delete total.inc[path];
    else total.inc[path] = sum;
  }
  const added = delta.addedResponseMs;
  if (added) {
    total.addedResponseMs = total.addedResponseMs
      ? { min: Math.min(total.addedResponseMs.min, added.min), max: Math.max(total.addedResponseMs.max, added.max) }
      : { ...added };
  }
  if (delta.removedResponseMs !== undefined || delta.responseRemoved) total.responseRemoved = true;
  totals.set(day, total);
}

/** Adds a new session to `totals` (day → delta), so that a bulk load applies one delta per day. */
export function accumulateNewSession(totals: Map<string, MergedDayDelta>, facts: SessionAnalyticsFacts): void {
  for (const [day, delta] of rollupDeltas(null, facts)) mergeDelta(totals, day, delta);
}

/** The rollup document of a day that has exactly the sessions added up in `delta` (a rebuild). */
export function rollupDocument(day: string, delta: MergedDayDelta): AnalyticsDay {
  const agents: Record<string, AgentDayCounters> = {};
  for (const [path, value] of Object.entries(delta.inc)) {
    const [, agent, counter] = path.split('.');
    if (counter) (agents[agent] ??= { sessions: 0, rated: 0, ratingSum: 0 })[counter as AgentCounter] = value;
  }
  const counters = Object.fromEntries(DAY_COUNTERS.map((counter) => [counter, delta.inc[counter] ?? 0])) as Record<DayCounter, number>;
  const extremes = delta.addedResponseMs ? { responseMsMin: delta.addedResponseMs.min, responseMsMax: delta.addedResponseMs.max } : {};
  return { _id: day, ...counters, ...extremes, agents };
}
