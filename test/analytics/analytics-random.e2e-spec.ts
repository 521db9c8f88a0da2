import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { addDays } from '../../src/analytics/analytics-period';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { seededRandom } from '../utils/random';
import { bruteForce, deleteSession, insertSession, updateSession } from './analytics-helpers';

const TZ = 'Asia/Kolkata';
const FIRST_DAY = '2024-11-01';
const DAYS = 12;
const SESSIONS = 160;
const MUTATIONS = 240;
const CONCURRENCY = 24;

async function inChunks<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}

describe('analytics equal a brute-force recomputation after random concurrent changes', () => {
  const seed = Number(process.env.ANALYTICS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  let t: TestApp;
  let admin: TestAgent;
  let agentIds: string[];
  const days = Array.from({ length: DAYS }, (_, i) => addDays(FIRST_DAY, i));

  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_TIMEZONE: TZ } });
    admin = await createAgent(t, { role: AgentRole.Admin });
    // 12 agents (more than the top 10) and one without an account.
    agentIds = [...(await Promise.all(Array.from({ length: 12 }, () => createAgent(t)))).map((a) => a.agent.id), new Types.ObjectId().toString()];
  });
  afterAll(() => t.destroy());

  it(`matches for every day and random ranges (seed ${seed}; replay with ANALYTICS_SEED=${seed})`, async () => {
    // Sessions from a little before the first day to a little after the last (in UTC; days are in Kolkata).
    const from = Date.parse(`${FIRST_DAY}T00:00:00Z`) - 86_400_000;
    const specs = Array.from({ length: SESSIONS }, () => {
      const answered = rnd() < 0.7;
      return {
        startedAt: new Date(from + int((DAYS + 2) * 86_400_000)),
        agent: answered || rnd() < 0.2 ? agentIds[int(agentIds.length)] : null,
        messageCount: 1 + int(12),
        closed: rnd() < 0.5,
        rating: rnd() < 0.4 ? 1 + int(5) : undefined,
        firstResponseMs: answered ? 1 + int(600_000) : undefined,
      };
    });
    const live: string[] = [];
    await inChunks(specs, async (spec) => {
      live.push(await insertSession(t, spec, TZ));
    });

    const mutations = Array.from({ length: MUTATIONS }, () => ({ sessionId: live[int(live.length)], kind: int(10), value: rnd() }));
    await inChunks(mutations, async ({ sessionId, kind, value }) => {
      if (kind === 0) return deleteSession(t, sessionId);
      if (kind <= 2) return updateSession(t, sessionId, { messageCount: 2 + Math.floor(value * 20) });
      if (kind === 3) return updateSession(t, sessionId, { firstResponseMs: Math.floor(value * 900_000) });
      if (kind === 4) return updateSession(t, sessionId, {}, ['firstResponseMs']);
      if (kind <= 6) return updateSession(t, sessionId, { assignedAgent: new Types.ObjectId(agentIds[Math.floor(value * agentIds.length)]) });
      if (kind === 7) return updateSession(t, sessionId, { rated: 1, ratingScore: 1 + Math.floor(value * 5) });
      return updateSession(t, sessionId, { closed: value < 0.5 ? 1 : 0 });
    });

    const ranges: [string, string][] = [[days[0], days[DAYS - 1]], ...days.map((day): [string, string] => [day, day])];
    for (let i = 0; i < 5; i++) {
      const a = int(DAYS);
      const b = int(DAYS);
      ranges.push([days[Math.min(a, b)], days[Math.max(a, b)]]);
    }
    for (const [start, end] of ranges) {
      const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${start}&endDate=${end}`).set('Authorization', bearer(admin)).expect(200);
      const covered = days.slice(days.indexOf(start), days.indexOf(end) + 1);
      const { period, ...figures } = res.body.data;
      expect({ range: `${start}..${end}`, ...figures }).toEqual({ range: `${start}..${end}`, ...(await bruteForce(t, covered)) });
      expect(period.start.slice(11)).toBe('18:30:00.000Z'); // Kolkata midnight
    }
  });
});
