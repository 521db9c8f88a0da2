import { createSession, guestHeaders, sendGuestMessage } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

// One environment per file: apps of one jest file share process.env and @nestjs/config's validated config.
describe('GUEST_TOKEN_REQUIRED=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('a valid token for a session that no longer exists gets 404', async () => {
    const session = await createSession(t);
    await t.connection.collection('livechatsessions').deleteOne({ sessionId: session.sessionId });
    const res = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(404);
    expect(res.body).toEqual({ success: false, message: 'Session not found' });
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
