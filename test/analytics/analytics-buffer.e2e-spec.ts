import { AgentRole } from '../../src/common/access/agent-role';
import { dayKeyOf } from '../../src/common/time/day-key';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, sendGuestMessage, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bruteForce } from './analytics-helpers';

/** Never fires within a test: only reads and shutdown write the rollups. */
const NEVER = String(10 * 60_000);
const today = () => dayKeyOf(new Date(), 'UTC');
const rollupOfToday = (t: TestApp) => t.connection.collection('analyticsdays').findOne({ _id: today() as never });

async function report(t: TestApp, admin: TestAgent) {
  const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${today()}&endDate=${today()}`).set('Authorization', bearer(admin)).expect(200);
  const { period, ...figures } = res.body.data;
  return figures;
}

/** Concurrent guest messages and agent replies over a few new sessions, one session closed and rated. */
async function chat(t: TestApp, admin: TestAgent, sessions: number): Promise<TestSession[]> {
  const created = await Promise.all(Array.from({ length: sessions }, () => createSession(t)));
  await Promise.all(
    created.map(async (session, i) => {
      for (let n = 0; n <= i; n++) await sendGuestMessage(t, session, `Question ${n}`);
      await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(admin)).send({ content: 'Hello!' }).expect(201);
    }),
  );
  await t.http.patch(`/api/live-chat/sessions/${created[0].sessionId}/end`).set(guestHeaders(created[0])).send({ rating: 4 }).expect(200);
  return created;
}

describe('analytics buffered behind the session writes', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_FLUSH_INTERVAL_MS: NEVER } });
    admin = await createAgent(t, { role: AgentRole.Admin, firstName: 'Ada', lastName: 'Admin' });
  });
  afterAll(() => t.destroy());

  it('writes no rollup per message, and reports exact figures right after the writes', async () => {
    await chat(t, admin, 4);
    expect(await rollupOfToday(t)).toBeNull();

    const figures = await report(t, admin);
    expect(figures).toEqual(await bruteForce(t, [today()]));
    // 4 welcome messages, 1 + 2 + 3 + 4 questions, 4 replies.
    expect(figures.overview).toEqual({ totalSessions: 4, avgMessages: 4.5, closedSessions: 1, avgRating: 4 });
    expect(await rollupOfToday(t)).toMatchObject({ sessions: 4, messages: 18 });
  });

  it('writes the buffer when the application shuts down', async () => {
    await chat(t, admin, 2);
    expect(await rollupOfToday(t)).toMatchObject({ sessions: 4, messages: 18 });
    await t.close();

    const restarted = await createTestApp({ reuse: t, env: { ANALYTICS_FLUSH_INTERVAL_MS: NEVER } });
    try {
      // Read before any report: the new instance has nothing buffered, so this is what shutdown wrote.
      expect(await rollupOfToday(restarted)).toMatchObject({ sessions: 6, messages: 18 + 7 });
      expect(await report(restarted, admin)).toEqual(await bruteForce(restarted, [today()]));
    } finally {
      await restarted.destroy();
    }
  });
});

describe('analytics with ANALYTICS_FLUSH_INTERVAL_MS=0', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_FLUSH_INTERVAL_MS: '0' } });
    admin = await createAgent(t, { role: AgentRole.Admin });
  });
  afterAll(() => t.destroy());

  it('writes the rollups right after the writes, without a report asking', async () => {
    await chat(t, admin, 3);
    const sessions = await t.connection.collection('livechatsessions').find({}).toArray();
    const expected = { sessions: 3, messages: sessions.reduce((sum, s) => sum + s.messageCount, 0) };
    for (let attempt = 0; attempt < 100; attempt++) {
      const rollup = await rollupOfToday(t);
      if (rollup?.messages === expected.messages) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await rollupOfToday(t)).toMatchObject(expected);
    expect(await report(t, admin)).toEqual(await bruteForce(t, [today()]));
  });
});
