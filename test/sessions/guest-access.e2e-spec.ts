import { AgentRole } from '../../src/common/access/agent-role';
import { bearer, createAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, sendGuestMessage, storedSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';

// One environment per file: apps of one jest file share process.env and @nestjs/config's validated config.
describe('GUEST_TOKEN_REQUIRED=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('the token of a session that no longer exists gets 401, like any invalid token', async () => {
    const session = await createSession(t);
    await t.connection.collection('livechatsessions').deleteOne({ sessionId: session.sessionId });
    const res = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(401);
    expect(res.body).toEqual({ success: false, message: 'Invalid guest token' });
  });

  it('a session deleted and created again under its id refuses the old token and takes the new one', async () => {
    const admin = await createAgent(t, { role: AgentRole.Admin });
    const old = await createSession(t);
    await sendGuestMessage(t, old, 'from the first chat');
    await t.http.delete(`/api/admin/live-chat/sessions/${old.sessionId}`).set('Authorization', bearer(admin)).expect(200);
    const recreated = await createSession(t, { sessionId: old.sessionId });
    expect(recreated.guestToken).not.toBe(old.guestToken);

    const base = `/api/live-chat/sessions/${old.sessionId}`;
    for (const res of [await t.http.get(base).set(guestHeaders(old)), await t.http.get(`${base}/messages`).set(guestHeaders(old))]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ success: false, message: 'Invalid guest token' });
    }
    await t.http.post(`${base}/messages`).set(guestHeaders(old)).send({ content: 'stale widget' }).expect(401);
    const refusal = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: old.sessionId, token: old.guestToken } });
    expect(refusal.status).toBe(401);

    const list = await t.http.get(`${base}/messages`).set(guestHeaders(recreated)).expect(200);
    expect(list.body.data.map((m: { content: string }) => m.content)).toEqual(['Welcome John Doe! A support agent will be with you shortly.']);
    const socket = await WsTestClient.open(t.wsUrl, { query: { token: recreated.guestToken } });
    socket.terminate();
  });

  it('never returns the guest secret the token is bound to', async () => {
    const session = await createSession(t);
    const stored = await storedSession(t, session.sessionId);
    expect(stored?.guestSecret).toMatch(/^[0-9a-f]{32}$/);
    const admin = await createAgent(t, { role: AgentRole.Admin });
    const bodies = [
      session.data,
      (await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200)).body,
      (await t.http.get(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', bearer(admin)).expect(200)).body,
      (await t.http.get('/api/admin/live-chat/sessions').set('Authorization', bearer(admin)).expect(200)).body,
    ];
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(stored!.guestSecret);
  });
});

describe('persistence across a restart', () => {
  it('sessions, messages, seq and guest tokens survive', async () => {
    const first = await createTestApp();
    const session = await createSession(first);
    await sendGuestMessage(first, session, 'before restart');
    await first.close();

    const second = await createTestApp({ reuse: first });
    try {
      const base = `/api/live-chat/sessions/${session.sessionId}`;
      const after = await second.http.post(`${base}/messages`).set(guestHeaders(session)).send({ content: 'after restart' }).expect(201);
      expect(after.body.data.seq).toBe(3);
      const list = await second.http.get(`${base}/messages`).set(guestHeaders(session)).expect(200);
      expect(list.body.data.map((m: { seq: number; content: string }) => [m.seq, m.content])).toEqual([
        [1, 'Welcome John Doe! A support agent will be with you shortly.'],
        [2, 'before restart'],
        [3, 'after restart'],
      ]);
      expect((await second.http.get(base).set(guestHeaders(session)).expect(200)).body.data.messageCount).toBe(3);
    } finally {
      await second.destroy();
    }
  });

  it('rotating JWT_SECRET revokes guest tokens', async () => {
    const first = await createTestApp();
    const session = await createSession(first);
    await first.close();
    const second = await createTestApp({ reuse: first, env: { JWT_SECRET: 'another-secret-that-is-long-enough-for-production-use' } });
    try {
      const res = await second.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(401);
      expect(res.body.message).toBe('Invalid guest token');
    } finally {
      await second.destroy();
    }
  });
});
