import { createSession, guestHeaders, sendGuestMessage, uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

describe('GUEST_TOKEN_REQUIRED=false (the spec’s original behaviour)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { GUEST_TOKEN_REQUIRED: 'false', MESSAGE_MAX_LENGTH: '10', WELCOME_MESSAGE_TEMPLATE: 'Hi {name}, {name}!' } });
  });
  afterAll(() => t.destroy());

  it('the sessionId alone is enough for every guest endpoint', async () => {
    const session = await createSession(t, { user: { name: 'Ann' } });
    expect(session.guestToken).toEqual(expect.any(String));
    const base = `/api/live-chat/sessions/${session.sessionId}`;
    await t.http.get(base).expect(200);
    await t.http.post(`${base}/messages`).send({ content: 'hello' }).expect(201);
    const list = await t.http.get(`${base}/messages`).expect(200);
    expect(list.body.data.map((m: { content: string }) => m.content)).toEqual(['Hi Ann, Ann!', 'hello']);
    await t.http.post(`${base}/typing`).send({ isTyping: false }).expect(200);
    await t.http.post(`${base}/rate`).send({ score: 3 }).expect(200);
    await t.http.patch(`${base}/end`).expect(200);
  });

  it('404 "Session not found" for unknown sessions on every guest endpoint', async () => {
    const base = `/api/live-chat/sessions/${uniqueSessionId()}`;
    const requests = [
      t.http.get(base),
      t.http.post(`${base}/messages`).send({ content: 'hi' }),
      t.http.get(`${base}/messages`),
      t.http.patch(`${base}/end`),
      t.http.post(`${base}/rate`).send({ score: 3 }),
      t.http.post(`${base}/typing`).send({ isTyping: true }),
    ];
    for (const res of await Promise.all(requests)) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ success: false, message: 'Session not found' });
    }
  });

  it('400 for a malformed sessionId in the path', async () => {
    const res = await t.http.get('/api/live-chat/sessions/short').expect(400);
    expect(res.body.message).toBe('Invalid session ID');
  });

  it('MESSAGE_MAX_LENGTH is configurable', async () => {
    const session = await createSession(t);
    const url = `/api/live-chat/sessions/${session.sessionId}/messages`;
    await t.http.post(url).send({ content: 'x'.repeat(10) }).expect(201);
    expect((await t.http.post(url).send({ content: 'x'.repeat(11) }).expect(400)).body.message).toBe('Message cannot exceed 10 characters');
  });
});

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

  it('tokens signed with another JWT_SECRET are refused', async () => {
    const other = await createTestApp({ env: { JWT_SECRET: 'another-secret-that-is-long-enough-for-production-use' } });
    try {
      const foreign = await createSession(other);
      const session = await createSession(t, { sessionId: foreign.sessionId });
      await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(foreign)).expect(401);
      await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200);
    } finally {
      await other.destroy();
    }
  });
});

describe('sessions per IP per hour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_ENABLED: 'true', SESSIONS_PER_IP_PER_HOUR: '2', RATE_LIMIT_MAX: '1000' } });
  });
  afterAll(() => t.destroy());

  it('429 after SESSIONS_PER_IP_PER_HOUR new sessions', async () => {
    await createSession(t);
    await createSession(t);
    const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'A', email: 'a@example.com' } }).expect(429);
    expect(res.body).toEqual({ success: false, message: 'Too many requests, please try again later.' });
    expect(await t.connection.collection('livechatsessions').countDocuments({})).toBe(2);
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
});
