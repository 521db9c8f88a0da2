import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { addDays } from '../../src/analytics/analytics-period';
import { AnalyticsRecorder } from '../../src/analytics/analytics.recorder';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { useTwoInstances } from '../utils/two-instances';
import { bruteForce, deleteSession, insertSession, updateSession } from './analytics-helpers';

const FIRST_DAY = '2024-11-01';
const DAYS = [FIRST_DAY, addDays(FIRST_DAY, 1), addDays(FIRST_DAY, 2)];
const CONCURRENCY = 16;

/**
 * Two instances on one database and one Redis, both flushing right after every change
 * (ANALYTICS_FLUSH_INTERVAL_MS=0): their flushes of one day run one at a time under the
 * `rollup:<day>` lock, so no increment is lost.
 */
describe('analytics written by two instances', () => {
  const fleet = useTwoInstances({ ANALYTICS_FLUSH_INTERVAL_MS: '0' });
  let admin: TestAgent;

  beforeAll(async () => {
    admin = await createAgent(fleet.a, { role: AgentRole.Admin });
  });

  it('add up to the brute-force recount once both have flushed', async () => {
    const { a, b } = fleet;
    const agents = [new Types.ObjectId().toString(), new Types.ObjectId().toString()];
    const on = (i: number) => (i % 2 === 0 ? a : b);
    const ids: string[] = [];
    const inserts = Array.from({ length: 48 }, (_, i) => i);
    for (let i = 0; i < inserts.length; i += CONCURRENCY) {
      ids.push(
        ...(await Promise.all(
          inserts.slice(i, i + CONCURRENCY).map((n) =>
            insertSession(on(n), {
              startedAt: new Date(Date.parse(`${DAYS[n % DAYS.length]}T10:00:00Z`) + n * 60_000),
              agent: n % 3 === 0 ? null : agents[n % 2],
              messageCount: 1 + (n % 5),
              firstResponseMs: n % 4 === 0 ? undefined : 500 * (n + 1),
            }),
          ),
        )),
      );
    }
    const changes = ids.map((sessionId, n) => async () => {
      const t = on(n + 1);
      if (n % 11 === 0) return deleteSession(t, sessionId);
      await updateSession(t, sessionId, { messageCount: 10 + n });
      await updateSession(on(n), sessionId, { closed: 1, rated: 1, ratingScore: 1 + (n % 5) });
    });
    for (let i = 0; i < changes.length; i += CONCURRENCY) await Promise.all(changes.slice(i, i + CONCURRENCY).map((change) => change()));

    await Promise.all([a, b].map((t) => t.app.get(AnalyticsRecorder).flush()));
    for (const t of [a, b]) {
      const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${DAYS[0]}&endDate=${DAYS[2]}`).set('Authorization', bearer(admin)).expect(200);
      const { period, ...figures } = res.body.data;
      expect(figures).toEqual(await bruteForce(a, DAYS));
    }
  });
});
