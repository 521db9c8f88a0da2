import { createSession, uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

// One environment per file: apps of one jest file share process.env and @nestjs/config's validated config.
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
    const res = await t.http.get('/api/live-chat/sessions/bad!id!x').expect(400);
    expect(res.body.message).toBe('Invalid session ID');
  });

  it('MESSAGE_MAX_LENGTH is configurable', async () => {
    const session = await createSession(t);
    const url = `/api/live-chat/sessions/${session.sessionId}/messages`;
    await t.http.post(url).send({ content: 'x'.repeat(10) }).expect(201);
    expect((await t.http.post(url).send({ content: 'x'.repeat(11) }).expect(400)).body.message).toBe('Message cannot exceed 10 characters');
  });
});
