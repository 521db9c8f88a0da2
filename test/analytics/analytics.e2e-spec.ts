import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { dayKeyOf } from '../../src/common/time/day-key';
import { platformToken } from '../auth/tokens';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bruteForce, deleteSession, insertSession, updateSession } from './analytics-helpers';

const URL = '/api/admin/live-chat/analytics';
const at = (iso: string) => new Date(iso);

describe('GET /api/admin/live-chat/analytics', () => {
  let t: TestApp;
  let admin: TestAgent;
  let alice: TestAgent;
  let bob: TestAgent;
  let carol: TestAgent;
  /** An agent id with no account (e.g. removed since): its name is null. */
  const ghost = new Types.ObjectId().toString();
  const ids: Record<string, string> = {};

  const get = (query: string, agent: TestAgent = admin) => t.http.get(`${URL}${query}`).set('Authorization', bearer(agent));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAgent(t, { role: AgentRole.Admin, firstName: 'Ada', lastName: 'Admin' });
    alice = await createAgent(t, { firstName: 'Alice', lastName: 'Archer' });
    bob = await createAgent(t, { firstName: 'Bob', lastName: 'Baker' });
    carol = await createAgent(t, { firstName: 'Carol', lastName: 'Cole' });
    const sessions = {
      s1: { startedAt: at('2024-11-01T08:00:00.000Z'), agent: alice.agent.id, messageCount: 4, closed: true, rating: 5, firstResponseMs: 30_000 },
      s2: { startedAt: at('2024-11-01T23:59:59.999Z'), agent: alice.agent.id, messageCount: 6, closed: true, rating: 4, firstResponseMs: 60_000 },
      s3: { startedAt: at('2024-11-02T00:00:00.000Z'), agent: bob.agent.id, messageCount: 3, firstResponseMs: 15_000 },
      s4: { startedAt: at('2024-11-02T12:00:00.000Z'), messageCount: 1, closed: true },
      s5: { startedAt: at('2024-11-03T10:00:00.000Z'), agent: bob.agent.id, messageCount: 8, closed: true, rating: 2, firstResponseMs: 180_000 },
      s6: { startedAt: at('2024-11-03T18:00:00.000Z'), agent: ghost, messageCount: 3, firstResponseMs: 45_000 },
      // Outside 2024-11-01..03 (UTC):
      s7: { startedAt: at('2024-10-31T23:59:59.999Z'), agent: carol.agent.id, messageCount: 10, closed: true, rating: 1, firstResponseMs: 1_000 },
      s8: { startedAt: at('2024-11-04T00:00:00.000Z'), agent: carol.agent.id, messageCount: 10, firstResponseMs: 999_000 },
    };
    for (const [name, spec] of Object.entries(sessions)) ids[name] = await insertSession(t, spec);
  });
  afterAll(() => t.destroy());

  it('answers the spec shape with hand-computed figures', async () => {
    const res = await get('?startDate=2024-11-01&endDate=2024-11-03').expect(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        period: { start: '2024-11-01T00:00:00.000Z', end: '2024-11-04T00:00:00.000Z' },
        // 25 messages / 6 sessions; ratings 5, 4, 2.
        overview: { totalSessions: 6, avgMessages: 4.17, closedSessions: 4, avgRating: 3.67 },
        // (30 + 60 + 15 + 180 + 45) s / 5 answered.
        responseTime: { avgResponseTime: 66_000, minResponseTime: 15_000, maxResponseTime: 180_000 },
        sessionsByDay: [
          { _id: '2024-11-01', count: 2 },
          { _id: '2024-11-02', count: 2 },
          { _id: '2024-11-03', count: 2 },
        ],
        topAgents: [
          { _id: alice.agent.id, sessionsHandled: 2, avgRating: 4.5, name: 'Alice Archer' },
          { _id: bob.agent.id, sessionsHandled: 2, avgRating: 2, name: 'Bob Baker' },
          { _id: ghost, sessionsHandled: 1, avgRating: 0, name: null },
        ],
      },
    });
  });

  it('treats a midnight endDate as exclusive and a date endDate as inclusive', async () => {
    const exclusive = await get('?startDate=2024-11-01T00:00:00.000Z&endDate=2024-11-02T00:00:00.000Z').expect(200);
    expect(exclusive.body.data.period).toEqual({ start: '2024-11-01T00:00:00.000Z', end: '2024-11-02T00:00:00.000Z' });
    expect(exclusive.body.data.sessionsByDay).toEqual([{ _id: '2024-11-01', count: 2 }]);
    expect(exclusive.body.data.overview.totalSessions).toBe(2);
    const inclusive = await get('?startDate=2024-11-01&endDate=2024-11-02').expect(200);
    expect(inclusive.body.data.overview.totalSessions).toBe(4);
    const midday = await get('?startDate=2024-11-02T13:00:00Z&endDate=2024-11-02T13:00:00Z').expect(200);
    expect(midday.body.data.sessionsByDay).toEqual([{ _id: '2024-11-02', count: 2 }]);
  });

  it('answers zeros for a period without sessions, listing every day', async () => {
    const res = await get('?startDate=2024-06-01&endDate=2024-06-03').expect(200);
    expect(res.body.data).toEqual({
      period: { start: '2024-06-01T00:00:00.000Z', end: '2024-06-04T00:00:00.000Z' },
      overview: { totalSessions: 0, avgMessages: 0, closedSessions: 0, avgRating: 0 },
      responseTime: { avgResponseTime: 0, minResponseTime: 0, maxResponseTime: 0 },
      sessionsByDay: [
        { _id: '2024-06-01', count: 0 },
        { _id: '2024-06-02', count: 0 },
        { _id: '2024-06-03', count: 0 },
      ],
      topAgents: [],
    });
  });

  it('answers 0 for averages and response times when nothing was rated or answered', async () => {
    const res = await get('?startDate=2024-11-02T12:00:00Z&endDate=2024-11-02T12:00:00Z').expect(200);
    expect(res.body.data.overview).toEqual({ totalSessions: 2, avgMessages: 2, closedSessions: 1, avgRating: 0 });
    expect(res.body.data.topAgents).toEqual([{ _id: bob.agent.id, sessionsHandled: 1, avgRating: 0, name: 'Bob Baker' }]);
  });

  it('defaults to the last 30 days, today included', async () => {
    const now = new Date();
    await insertSession(t, { startedAt: now, messageCount: 2 });
    const res = await get('').expect(200);
    const days = res.body.data.sessionsByDay;
    expect(days).toHaveLength(30);
    expect(days[29]).toEqual({ _id: dayKeyOf(now, 'UTC'), count: 1 });
    expect(res.body.data.overview.totalSessions).toBe(1);
    expect(Date.parse(res.body.data.period.end) - Date.parse(res.body.data.period.start)).toBe(30 * 86_400_000);
  });

  it('follows transfers, re-ratings, re-opening and deletions', async () => {
    await updateSession(t, ids.s1, { assignedAgent: new Types.ObjectId(bob.agent.id), agentName: 'Bob Baker' });
    await updateSession(t, ids.s5, { ratingScore: 5, 'rating.score': 5 });
    await updateSession(t, ids.s4, { status: 'active', closed: 0 });
    await updateSession(t, ids.s6, { messageCount: 4 });
    await deleteSession(t, ids.s3); // the fastest first response (15 s)
    const res = await get('?startDate=2024-11-01&endDate=2024-11-03').expect(200);
    expect(res.body.data).toMatchObject({
      // s1 4, s2 6, s4 1, s5 8, s6 4 = 23 messages / 5; ratings 5, 4, 5.
      overview: { totalSessions: 5, avgMessages: 4.6, closedSessions: 3, avgRating: 4.67 },
      responseTime: { avgResponseTime: 78_750, minResponseTime: 30_000, maxResponseTime: 180_000 },
      sessionsByDay: [
        { _id: '2024-11-01', count: 2 },
        { _id: '2024-11-02', count: 1 },
        { _id: '2024-11-03', count: 2 },
      ],
      topAgents: [
        { _id: bob.agent.id, sessionsHandled: 2, avgRating: 5, name: 'Bob Baker' },
        { _id: alice.agent.id, sessionsHandled: 1, avgRating: 4, name: 'Alice Archer' },
        { _id: ghost, sessionsHandled: 1, avgRating: 0, name: null },
      ],
    });
    expect(res.body.data).toMatchObject(await bruteForce(t, ['2024-11-01', '2024-11-02', '2024-11-03']));
    // The slowest response leaves too: the day's maximum is recounted from the sessions.
    await deleteSession(t, ids.s5);
    const after = await get('?startDate=2024-11-03&endDate=2024-11-03').expect(200);
    expect(after.body.data.responseTime).toEqual({ avgResponseTime: 45_000, minResponseTime: 45_000, maxResponseTime: 45_000 });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const operation = doc.paths['/api/admin/live-chat/analytics'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['endDate', 'startDate']);
    expect(operation.security).toEqual([{ bearer: [] }]);
  });

  describe('validation', () => {
    it.each([
      ['?startDate=yesterday', 'startDate must be a valid ISO 8601 date'],
      ['?startDate=2024-02-30', 'startDate must be a valid ISO 8601 date'],
      ['?startDate=2024-W05', 'startDate must be a valid ISO 8601 date'],
      ['?startDate=2024-11-01T24:00:00Z', 'startDate must be a valid ISO 8601 date'],
      ['?endDate=1700000000000', 'endDate must be a valid ISO 8601 date'],
      ['?endDate=2024-13-01', 'endDate must be a valid ISO 8601 date'],
      ['?startDate=2024-11-02&endDate=2024-11-01', 'startDate must not be after endDate'],
      ['?startDate=2024-11-01T10:00:01Z&endDate=2024-11-01T10:00:00Z', 'startDate must not be after endDate'],
      ['?startDate=2023-12-31&endDate=2024-12-31', 'The date range cannot exceed 366 days'],
    ])('400 for %s', async (query, message) => {
      const res = await get(query).expect(400);
      expect(res.body).toMatchObject({ success: false, message });
    });

    it('accepts exactly 366 days', async () => {
      const res = await get('?startDate=2024-01-01&endDate=2024-12-31').expect(200);
      expect(res.body.data.sessionsByDay).toHaveLength(366);
      expect(res.body.data.overview.totalSessions).toBe(6); // s1..s8 less the two deleted above
    });
  });

  describe('auth', () => {
    it('401 without a token or with a bad one', async () => {
      expect((await t.http.get(URL).expect(401)).body).toEqual({ success: false, message: 'No token, authorization denied' });
      expect((await t.http.get(URL).set('Authorization', 'Bearer not-a-token').expect(401)).body.success).toBe(false);
    });

    it.each([AgentRole.Support, AgentRole.Admin, AgentRole.SuperAdmin])('200 for the %s role', async (role) => {
      const agent = await createAgent(t, { role });
      await get('?startDate=2024-11-01&endDate=2024-11-01', agent).expect(200);
    });

    it('403 for a role outside the three', async () => {
      const res = await t.http.get(URL).set('Authorization', `Bearer ${platformToken({ role: 'customer' })}`).expect(403);
      expect(res.body.success).toBe(false);
    });
  });
});

describe('GET /api/admin/live-chat/analytics with ANALYTICS_TIMEZONE=America/New_York', () => {
  const TZ = 'America/New_York';
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_TIMEZONE: TZ } });
    admin = await createAgent(t, { role: AgentRole.Admin });
    for (const iso of [
      '2024-11-01T03:59:59.999Z', // Oct 31, 23:59 in New York
      '2024-11-01T04:00:00.000Z', // Nov 1, 00:00 (EDT, UTC-4)
      '2024-11-02T03:30:00.000Z', // Nov 1, 23:30
      '2024-11-03T04:30:00.000Z', // Nov 3, 00:30 EDT: the 25-hour day
      '2024-11-04T04:30:00.000Z', // Nov 3, 23:30 EST (UTC-5)
      '2024-11-04T05:00:00.000Z', // Nov 4, 00:00 EST
    ]) {
      await insertSession(t, { startedAt: at(iso) }, TZ);
    }
  });
  afterAll(() => t.destroy());

  it('counts days and reports the period in the configured time zone, across a DST change', async () => {
    const res = await t.http.get(`${URL}?startDate=2024-11-01&endDate=2024-11-03`).set('Authorization', bearer(admin)).expect(200);
    expect(res.body.data.period).toEqual({ start: '2024-11-01T04:00:00.000Z', end: '2024-11-04T05:00:00.000Z' });
    expect(res.body.data.sessionsByDay).toEqual([
      { _id: '2024-11-01', count: 2 },
      { _id: '2024-11-02', count: 0 },
      { _id: '2024-11-03', count: 2 },
    ]);
    expect(res.body.data.overview.totalSessions).toBe(4);
  });

  it('reads zone-less date-times as New York wall-clock time', async () => {
    const res = await t.http.get(`${URL}?startDate=2024-11-01T00:00&endDate=2024-11-02T00:00`).set('Authorization', bearer(admin)).expect(200);
    expect(res.body.data.period).toEqual({ start: '2024-11-01T04:00:00.000Z', end: '2024-11-02T04:00:00.000Z' });
    expect(res.body.data.overview.totalSessions).toBe(2);
  });
});
