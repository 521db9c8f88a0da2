import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { addDays } from '../../src/analytics/analytics-period';
import { AnalyticsRecorder } from '../../src/analytics/analytics.recorder';
import { AnalyticsRepository } from '../../src/analytics/analytics.repository';
import { SessionFacts } from '../../src/chat/sessions/session-facts';
import { rebuildRollups } from '../../src/analytics/analytics-rebuild';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bruteForce, deleteSession, insertSession, updateSession } from './analytics-helpers';

const ROOT = join(__dirname, '..', '..');
const FIRST_DAY = '2024-11-01';
const DAYS = Array.from({ length: 5 }, (_, i) => addDays(FIRST_DAY, i));

function rebuildCli(t: TestApp, args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/rebuild-analytics.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: `${process.env.TEST_MONGODB_BASE_URI}${t.dbName}`, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('rebuilding the analytics rollups from the sessions', () => {
  let t: TestApp;
  let admin: TestAgent;
  const rollups = () => t.connection.collection<{ _id: string } & Record<string, any>>('analyticsdays');

  const report = async () => {
    const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${DAYS[0]}&endDate=${DAYS.at(-1)}`).set('Authorization', bearer(admin)).expect(200);
    const { period, ...figures } = res.body.data;
    return figures;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAgent(t, { role: AgentRole.Admin });
    const agents = [(await createAgent(t)).agent.id, (await createAgent(t)).agent.id, new Types.ObjectId().toString()];
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const startedAt = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + ((i * 5.3 * 3_600_000) % (DAYS.length * 86_400_000)));
      ids.push(
        await insertSession(t, {
          startedAt,
          agent: i % 4 === 3 ? null : agents[i % agents.length],
          messageCount: 1 + (i % 7),
          closed: i % 3 === 0,
          rating: i % 5 === 0 ? 1 + (i % 4) : undefined,
          firstResponseMs: i % 4 === 3 ? undefined : 1_000 * (i + 1),
        }),
      );
    }
    await updateSession(t, ids[1], { assignedAgent: new Types.ObjectId(agents[0]) });
    await updateSession(t, ids[2], { messageCount: 12, rated: 1, ratingScore: 3 });
    await deleteSession(t, ids[0]);
    await deleteSession(t, ids[4]);
    await t.app.get(AnalyticsRecorder).flush();
  });
  afterAll(() => t.destroy());

  it('replaces deleted, corrupted and stray rollups with a recount equal to the brute-force one', async () => {
    const expected = await bruteForce(t, DAYS);
    expect(await report()).toEqual(expected);

    await rollups().deleteOne({ _id: DAYS[1] });
    await rollups().updateOne({ _id: DAYS[2] }, { $inc: { messages: 40, answered: -1 }, $set: { responseMsMin: 1, [`agents.${new Types.ObjectId()}`]: { sessions: 9, rated: 0, ratingSum: 0 } } });
    await rollups().insertOne({ _id: '2023-01-01', sessions: 5, messages: 5, agents: {} });
    expect(await report()).not.toEqual(expected);

    const batches: number[] = [];
    const result = await rebuildRollups(t.app.get(SessionFacts), t.app.get(AnalyticsRepository), 5, (sessions) => batches.push(sessions));

    expect(result).toEqual({ sessions: 21, days: DAYS.length });
    expect(batches).toEqual([5, 10, 15, 20]);
    expect(await report()).toEqual(expected);
    const stored = (await rollups().find({}).toArray()).map((rollup) => rollup._id).sort();
    expect(stored).toEqual(DAYS);
    for (const day of DAYS) {
      const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${day}&endDate=${day}`).set('Authorization', bearer(admin)).expect(200);
      const { period, ...figures } = res.body.data;
      expect({ day, ...figures }).toEqual({ day, ...(await bruteForce(t, [day])) });
    }
  });

  it('runs as npm run analytics:rebuild', async () => {
    await rollups().deleteMany({});
    const run = rebuildCli(t, ['--batch', '10']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^10 sessions read$/m);
    expect(run.stdout).toMatch(/^Done: 21 sessions, 5 analytics days rebuilt in [\d.]+ s$/m);
    expect(await report()).toEqual(await bruteForce(t, DAYS));
  });

  it('refuses bad arguments with the usage line', () => {
    const run = rebuildCli(t, ['--batch', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: npm run analytics:rebuild');
  });
});
