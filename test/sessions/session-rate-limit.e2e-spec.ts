import { createSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

// One environment per file: apps of one jest file share process.env and @nestjs/config's validated config.
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
