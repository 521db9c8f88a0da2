import { AgentRole } from '../../src/common/access/agent-role';
import { AdminSessionsService } from '../../src/chat/sessions/admin-sessions.service';
import { IdleSessionsJob } from '../../src/chat/sessions/idle-sessions.job';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, recordEvents, sendGuestMessage, storedSession, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';

const ADMIN = '/api/admin/live-chat';
const IDLE_MINUTES = 30;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('closing idle sessions (SESSION_IDLE_CLOSE_MINUTES)', () => {
  let t: TestApp;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_IDLE_CLOSE_MINUTES: String(IDLE_MINUTES) } });
    admin = await createAgent(t, { role: AgentRole.Admin });
  });
  afterAll(() => t.destroy());

  /** Makes the session look untouched for `minutes` (the job reads updatedAt). */
  const idleFor = (session: TestSession, minutes: number) =>
    t.connection.collection('livechatsessions').updateOne({ sessionId: session.sessionId }, { $set: { updatedAt: minutesAgo(minutes) } });
  const sweep = () => t.app.get(IdleSessionsJob).sweep();
  const closedSessions = async () =>
    (await t.http.get(`${ADMIN}/analytics`).set('Authorization', bearer(admin)).expect(200)).body.data.overview.closedSessions as number;

  it('closes pending and active sessions idle for longer, like an agent would, and tells everyone', async () => {
    const pending = await createSession(t);
    const active = await createSession(t);
    await t.http.patch(`${ADMIN}/sessions/${active.sessionId}/assign`).set('Authorization', bearer(admin)).send({ agentId: admin.agent.id }).expect(200);
    await sendGuestMessage(t, active, 'anyone there?');
    await idleFor(pending, IDLE_MINUTES + 1);
    await idleFor(active, IDLE_MINUTES + 1);
    const closedBefore = await closedSessions();
    const guest = await WsTestClient.open(t.wsUrl, { query: { sessionId: active.sessionId, token: active.guestToken } });
    const agent = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', userId: admin.agent.id, token: admin.token } });
    const events = recordEvents(t);
    try {
      expect(await sweep()).toBe(2);

      for (const session of [pending, active]) {
        const stored = await storedSession(t, session.sessionId);
        expect(stored).toMatchObject({ status: 'closed', closed: 1, endedAt: expect.any(Date), lastSeq: stored?.messageCount });
        expect(stored?.audit.at(-1)).toMatchObject({ action: 'session.updated', actor: 'system', details: { status: 'closed', reason: 'idle' } });
        expect(stored?.lastMessage).toMatchObject({ type: 'system', content: 'This chat was closed due to inactivity.' });
        const names = events.filter((e) => (e.payload as { sessionId?: string }).sessionId === session.sessionId).map((e) => e.name);
        expect(names).toEqual(['session.status_changed', 'message.created']);
      }
      expect(await closedSessions()).toBe(closedBefore + 2);

      const messages = await t.http.get(`/api/live-chat/sessions/${active.sessionId}/messages`).set(guestHeaders(active)).expect(200);
      expect(messages.body.data.map((m: { seq: number; type: string }) => [m.seq, m.type])).toEqual([
        [1, 'system'],
        [2, 'user'],
        [3, 'system'],
      ]);
      expect(messages.body.data[2].content).toBe('This chat was closed due to inactivity.');
      expect((await storedSession(t, active.sessionId))?.messageCount).toBe(3);

      expect(await guest.next('session_status_changed')).toEqual({ type: 'session_status_changed', sessionId: active.sessionId, status: 'closed' });
      expect(await guest.next('agent_message')).toMatchObject({ message: { type: 'system', content: 'This chat was closed due to inactivity.', seq: 3 } });
      expect(await agent.waitFor((f) => f.type === 'session_status_changed' && f.sessionId === pending.sessionId)).toMatchObject({ status: 'closed' });

      const publicView = await t.http.get(`/api/live-chat/sessions/${active.sessionId}`).set(guestHeaders(active)).expect(200);
      expect(publicView.body.data).toMatchObject({ status: 'closed', endedAt: expect.any(String) });
      const refused = await t.http.post(`/api/live-chat/sessions/${active.sessionId}/messages`).set(guestHeaders(active)).send({ content: 'hello?' }).expect(409);
      expect(refused.body).toEqual({ success: false, message: 'Session is closed' });
    } finally {
      guest.terminate();
      agent.terminate();
    }
  });

  it('leaves recent, closed and archived sessions alone, and a second sweep finds nothing', async () => {
    const recent = await createSession(t);
    await idleFor(recent, IDLE_MINUTES - 1);
    const closed = await createSession(t);
    await t.http.patch(`${ADMIN}/sessions/${closed.sessionId}/status`).set('Authorization', bearer(admin)).send({ status: 'closed' }).expect(200);
    const archived = await createSession(t);
    await t.http.patch(`${ADMIN}/sessions/${archived.sessionId}/status`).set('Authorization', bearer(admin)).send({ status: 'archived' }).expect(200);
    for (const session of [closed, archived]) await idleFor(session, IDLE_MINUTES * 10);
    const before = await Promise.all([closed, archived].map((session) => storedSession(t, session.sessionId)));

    await sweep();
    expect(await sweep()).toBe(0);

    expect(await storedSession(t, recent.sessionId)).toMatchObject({ status: 'pending', messageCount: 1, closed: 0 });
    const after = await Promise.all([closed, archived].map((session) => storedSession(t, session.sessionId)));
    for (const [i, stored] of after.entries()) {
      expect(stored).toMatchObject({ status: before[i]?.status, messageCount: 1, endedAt: before[i]?.endedAt });
      expect(stored?.audit).toHaveLength(before[i]!.audit.length);
    }
  });

  it('a message resets the idle clock', async () => {
    const session = await createSession(t);
    await idleFor(session, IDLE_MINUTES + 1);
    await sendGuestMessage(t, session, 'still here');
    expect(await sweep()).toBe(0);
    expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'pending', messageCount: 2 });
  });

  it('re-checks inside the lock: a session active since the cutoff the sweep used, or gone, is not closed', async () => {
    const session = await createSession(t);
    const admins = t.app.get(AdminSessionsService);
    expect(await admins.closeIdle(session.sessionId, minutesAgo(1))).toBe(false);
    expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'pending', messageCount: 1 });
    expect(await admins.closeIdle('session-never-existed', new Date())).toBe(false);
    expect(await admins.closeIdle(session.sessionId, new Date(Date.now() + 1000))).toBe(true);
    expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'closed', messageCount: 2, lastSeq: 2 });
  });
});

describe('SESSION_IDLE_CLOSE_MINUTES=0 (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('closes nothing', async () => {
    const session = await createSession(t);
    await t.connection.collection('livechatsessions').updateOne({ sessionId: session.sessionId }, { $set: { updatedAt: minutesAgo(60 * 24 * 365) } });
    expect(await t.app.get(IdleSessionsJob).sweep()).toBe(0);
    expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'pending', closed: 0 });
  });
});
