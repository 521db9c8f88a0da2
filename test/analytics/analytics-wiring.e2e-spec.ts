import { AgentRole } from '../../src/common/access/agent-role';
import { MessagesService } from '../../src/chat/messages/messages.service';
import { dayKeyOf } from '../../src/common/time/day-key';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, sendGuestMessage, storedSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bruteForce } from './analytics-helpers';

/**
 * The contract with the session writers: sessions created, answered, ended and rated through the
 * real services show up in the analytics at once (they call AnalyticsRecorder.record).
 */
describe('analytics follow the real session flows', () => {
  let t: TestApp;
  let admin: TestAgent;
  const today = () => dayKeyOf(new Date(), 'UTC');
  const analytics = async () =>
    (await t.http.get(`/api/admin/live-chat/analytics?startDate=${today()}&endDate=${today()}`).set('Authorization', bearer(admin)).expect(200)).body.data;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAgent(t, { role: AgentRole.Admin, firstName: 'Ada', lastName: 'Admin' });
  });
  afterAll(() => t.destroy());

  it('counts a session through its life', async () => {
    const session = await createSession(t);
    expect((await analytics()).overview).toEqual({ totalSessions: 1, avgMessages: 1, closedSessions: 0, avgRating: 0 });

    await sendGuestMessage(t, session, 'Hello, I need help');
    await t.app.get(MessagesService).createMessage({ sessionId: session.sessionId, type: 'agent', content: 'Hi!', agent: { id: admin.agent.id, name: 'Ada Admin' } });
    const { firstResponseMs } = (await storedSession(t, session.sessionId))!;
    let data = await analytics();
    expect(data.overview).toEqual({ totalSessions: 1, avgMessages: 3, closedSessions: 0, avgRating: 0 });
    expect(data.responseTime).toEqual({ avgResponseTime: firstResponseMs, minResponseTime: firstResponseMs, maxResponseTime: firstResponseMs });

    await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).send({ rating: 4 }).expect(200);
    expect((await analytics()).overview).toEqual({ totalSessions: 1, avgMessages: 3, closedSessions: 1, avgRating: 4 });

    await t.http.post(`/api/live-chat/sessions/${session.sessionId}/rate`).set(guestHeaders(session)).send({ score: 2 }).expect(200);
    await createSession(t);
    data = await analytics();
    expect(data.overview).toEqual({ totalSessions: 2, avgMessages: 2, closedSessions: 1, avgRating: 2 });
    const { period, ...figures } = data;
    expect(figures).toEqual(await bruteForce(t, [today()]));
  });

  it('follows assignment, replies, transfers, re-opening and deletion through the admin API', async () => {
    const alice = await createAgent(t, { firstName: 'Alice', lastName: 'Archer' });
    const bob = await createAgent(t, { firstName: 'Bob', lastName: 'Baker' });
    const { sessionId } = await createSession(t);
    const admin$ = (req: ReturnType<TestApp['http']['get']>, agent: TestAgent = admin) => req.set('Authorization', bearer(agent));
    const agentsNow = async () => (await analytics()).topAgents.map((a: { name: string; sessionsHandled: number }) => [a.name, a.sessionsHandled]);

    await admin$(t.http.patch(`/api/admin/live-chat/sessions/${sessionId}/assign`)).send({ agentId: alice.agent.id }).expect(200);
    expect(await agentsNow()).toEqual([['Alice Archer', 1]]);
    await admin$(t.http.post(`/api/admin/live-chat/sessions/${sessionId}/reply`), alice).send({ content: 'Hello!' }).expect(201);
    const { firstResponseMs } = (await storedSession(t, sessionId))!;
    expect(firstResponseMs).toEqual(expect.any(Number));
    await admin$(t.http.post(`/api/admin/live-chat/sessions/${sessionId}/transfer`), alice).send({ toAgentId: bob.agent.id, reason: 'Billing' }).expect(200);
    expect(await agentsNow()).toEqual([['Bob Baker', 1]]);
    await admin$(t.http.patch(`/api/admin/live-chat/sessions/${sessionId}/status`)).send({ status: 'closed' }).expect(200);
    expect((await analytics()).overview.closedSessions).toBe(2);
    await admin$(t.http.patch(`/api/admin/live-chat/sessions/${sessionId}/status`)).send({ status: 'active' }).expect(200);
    let data = await analytics();
    expect(data.overview.closedSessions).toBe(1);
    // The first test's session was answered too: this one's response time bounds the minimum; the
    // brute-force recount below checks the exact figures.
    expect(data.responseTime.minResponseTime).toBeLessThanOrEqual(firstResponseMs);
    const { period, ...figures } = data;
    expect(figures).toEqual(await bruteForce(t, [today()]));

    await admin$(t.http.delete(`/api/admin/live-chat/sessions/${sessionId}`)).expect(200);
    data = await analytics();
    expect(data.overview.totalSessions).toBe(2);
    expect(data.topAgents).toEqual([]);
    const { period: _, ...afterDelete } = data;
    expect(afterDelete).toEqual(await bruteForce(t, [today()]));
  });
});
