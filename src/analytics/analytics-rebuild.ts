import { SessionFacts } from '../chat/sessions/session-facts';
import { AnalyticsRepository } from './analytics.repository';
import { accumulateNewSession, MergedDayDelta } from './analytics-rollup';

/**
 * Recounts every day's rollup from the sessions (read in batches of `batchSize`, `onBatch` after
 * each) and makes `analyticsdays` exactly that: repairs rollups that drifted, e.g. after a crash
 * lost the recorder's buffered changes. Run it while no instance writes sessions: a change made
 * meanwhile may be counted twice or not at all.
 */
export async function rebuildRollups(
  sessionFacts: SessionFacts,
  repository: AnalyticsRepository,
  batchSize: number,
  onBatch: (sessions: number) => void = () => undefined,
): Promise<{ sessions: number; days: number }> {
  const totals = new Map<string, MergedDayDelta>();
  let sessions = 0;
  for await (const facts of sessionFacts.all(batchSize)) {
    accumulateNewSession(totals, facts);
    if (++sessions % batchSize === 0) onBatch(sessions);
  }
  await repository.replaceDays(totals);
  return { sessions, days: totals.size };
}
