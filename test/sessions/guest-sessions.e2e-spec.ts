import { BusEvent } from '../../src/common/events/domain-events';
import { createSession, guestHeaders, recordEvents, sendGuestMessage, storedSession, TestSession, uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { ISO_TIMESTAMP } from '../utils/matchers';


describe('guest sessions API', () => {
  let t: TestApp;
  let events: BusEvent[];
  beforeAll(async () => {
    t = await createTestApp();
    events = recordEvents(t);
  });
  afterAll(() => t.destroy());

  const eventsOf = (name: string, sessionId: string) => events.filter((e) => e.name === name && (e.payload as { sessionId?: string }).sessionId === sessionId);

  describe('POST /api/live-chat/sessions', () => {
    it('creates a session with its welcome message, metadata and guest token', async () => {
      const sessionId = uniqueSessionId();
      const res = await t.http
        .post('/api/live-chat/sessions')
        .set('User-Agent', 'Mozilla/5.0 test')
        .set('Referer', 'https://google.com/')
        .send({ sessionId, user: { name: '  John Doe ', email: ' John.Doe@Example.COM ', phone: '+1 234 567-890' }, pageUrl: 'https://example.com/pricing' })
        .expect(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Chat session created successfully',
        data: {
          session: {
            sessionId,
            user: {
              name: 'John Doe',
              email: 'John.Doe@Example.COM',
              phone: '+1 234 567-890',
              metadata: { userAgent: 'Mozilla/5.0 test', ipAddress: expect.stringMatching(/127\.0\.0\.1/), referrer: 'https://google.com/', pageUrl: 'https://example.com/pricing' },
            },
            status: 'pending',
            priority: 'medium',
            department: 'general',
            messageCount: 1,
            unreadCount: 0,
            startedAt: ISO_TIMESTAMP,
          },
          welcomeMessage: {
            _id: expect.any(String),
            sessionId,
            seq: 1,
            type: 'system',
            content: 'Welcome John Doe! A support agent will be with you shortly.',
            agentName: 'System',
            attachments: [],
            isRead: false,
            createdAt: ISO_TIMESTAMP,
          },
          guestToken: expect.any(String),
        },
      });

      const stored = await storedSession(t, sessionId);
      expect(stored?.user.emailNormalized).toBe('john.doe@example.com');
      expect(stored?.dayKey).toBe(res.body.data.session.startedAt.slice(0, 10));
      expect(stored).toMatchObject({ lastSeq: 1, rated: 0, closed: 0, lastMessage: { type: 'system' } });
      expect(stored?.audit).toEqual([expect.objectContaining({ action: 'session.created', actor: 'guest' })]);

      const created = events.find((e) => e.name === 'session.created' && e.payload.sessionId === sessionId);
      expect(created?.payload).toEqual({
        sessionId,
        session: expect.objectContaining({ sessionId, status: 'pending', messageCount: 1, unreadCount: 0, assignedAgent: null, lastMessage: expect.objectContaining({ type: 'system' }) }),
      });
      expect(JSON.stringify(created?.payload)).not.toContain('audit');
    });

    it('keeps no null pageUrl (optional fields may arrive as JSON null)', async () => {
      const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'A', email: 'a@example.com' }, pageUrl: null }).expect(201);
      expect(res.body.data.session.user.metadata).not.toHaveProperty('pageUrl');
      expect((await storedSession(t, res.body.data.session.sessionId))?.user.metadata).not.toHaveProperty('pageUrl');
    });

    it('generates a sessionId when none is given', async () => {
      const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'Ann', email: 'ann@example.com' } }).expect(201);
      expect(res.body.data.session.sessionId).toMatch(/^session-\d+-[0-9a-f]{16}$/);
    });

    it('never creates a session twice: 409 and no second welcome message', async () => {
      const session = await createSession(t);
      const res = await t.http
        .post('/api/live-chat/sessions')
        .send({ sessionId: session.sessionId, user: { name: 'Mallory', email: 'mallory@example.com' } })
        .expect(409);
      expect(res.body).toEqual({ success: false, message: 'Session already exists' });
      expect(await t.connection.collection('livechatsessions').countDocuments({ sessionId: session.sessionId })).toBe(1);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: session.sessionId })).toBe(1);
      expect((await storedSession(t, session.sessionId))?.user.name).toBe('John Doe');
    });

    it('parallel creates with one sessionId make one session and one welcome message', async () => {
      const sessionId = uniqueSessionId();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => t.http.post('/api/live-chat/sessions').send({ sessionId, user: { name: `Guest ${i}`, email: `g${i}@example.com` } })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await t.connection.collection('livechatsessions').countDocuments({ sessionId })).toBe(1);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId })).toBe(1);
      expect(await storedSession(t, sessionId)).toMatchObject({ messageCount: 1, lastSeq: 1 });
    });

    it.each([
      ['no user', {}, 'User name and email are required'],
      ['user not an object', { user: 'john' }, 'User name and email are required'],
      ['no name', { user: { email: 'a@example.com' } }, 'User name and email are required'],
      ['blank name', { user: { name: '   ', email: 'a@example.com' } }, 'User name and email are required'],
      ['no email', { user: { name: 'A' } }, 'User name and email are required'],
      ['bad email', { user: { name: 'A', email: 'not-an-email' } }, 'Please provide a valid email'],
      ['operator as email', { user: { name: 'A', email: { $ne: '' } } }, 'User name and email are required'],
      ['long name', { user: { name: 'x'.repeat(101), email: 'a@example.com' } }, 'Name cannot exceed 100 characters'],
      ['bad phone', { user: { name: 'A', email: 'a@example.com', phone: 'call me' } }, 'Please provide a valid phone number'],
      ['short sessionId', { sessionId: 'abc', user: { name: 'A', email: 'a@example.com' } }, 'Invalid session ID'],
      ['sessionId with bad characters', { sessionId: 'session/../../x', user: { name: 'A', email: 'a@example.com' } }, 'Invalid session ID'],
      ['long sessionId', { sessionId: 's'.repeat(129), user: { name: 'A', email: 'a@example.com' } }, 'Invalid session ID'],
    ])('400 for %s', async (_case, body, message) => {
      const res = await t.http.post('/api/live-chat/sessions').send(body).expect(400);
      expect(res.body).toMatchObject({ success: false, message });
    });
  });

  describe('GET /api/live-chat/sessions/:sessionId', () => {
    it('returns the public view only', async () => {
      const session = await createSession(t);
      const res = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200);
      expect(res.body).toEqual({
        success: true,
        data: {
          sessionId: session.sessionId,
          user: { name: 'John Doe', email: session.data.session.user.email },
          status: 'pending',
          assignedAgent: null,
          messageCount: 1,
          startedAt: session.data.session.startedAt,
        },
      });
    });

    it('accepts the token as X-Guest-Token', async () => {
      const session = await createSession(t);
      await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set('X-Guest-Token', session.guestToken).expect(200);
    });

    it('401 without a token, with a forged one or with another session’s', async () => {
      const [a, b] = [await createSession(t), await createSession(t)];
      const url = `/api/live-chat/sessions/${a.sessionId}`;
      expect((await t.http.get(url).expect(401)).body).toEqual({ success: false, message: 'No token, authorization denied' });
      expect((await t.http.get(url).set(guestHeaders(b)).expect(401)).body).toEqual({ success: false, message: 'Invalid guest token' });
      expect((await t.http.get(url).set('X-Guest-Token', b.guestToken).expect(401)).body.message).toBe('Invalid guest token');
      const [encoded] = a.guestToken.split('.');
      await t.http.get(url).set('Authorization', `Bearer ${encoded}.${'A'.repeat(43)}`).expect(401);
      await t.http.get(url).set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln').expect(401);
    });
  });

  describe('PATCH /api/live-chat/sessions/:sessionId/end', () => {
    it('closes the session once; repeating it is harmless', async () => {
      const session = await createSession(t);
      const url = `/api/live-chat/sessions/${session.sessionId}/end`;
      const first = await t.http.patch(url).set(guestHeaders(session)).expect(200);
      expect(first.body).toEqual({ success: true, message: 'Chat session ended', data: { sessionId: session.sessionId, status: 'closed', endedAt: ISO_TIMESTAMP } });
      const again = await t.http.patch(url).set(guestHeaders(session)).send({}).expect(200);
      expect(again.body.data).toEqual(first.body.data);

      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({ status: 'closed', closed: 1, rated: 0 });
      expect(stored?.audit.map((a: { action: string }) => a.action)).toEqual(['session.created', 'session.ended']);
      expect(events.filter((e) => e.name === 'session.status_changed' && e.payload.sessionId === session.sessionId).map((e) => e.payload)).toEqual([
        { sessionId: session.sessionId, status: 'closed' },
      ]);
    });

    it('takes an optional rating and feedback', async () => {
      const session = await createSession(t);
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).send({ rating: 4, feedback: 'Nice' }).expect(200);
      expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'closed', rating: { score: 4, feedback: 'Nice' }, rated: 1, ratingScore: 4 });
      expect(events.find((e) => e.name === 'session.rated' && e.payload.sessionId === session.sessionId)?.payload).toEqual({
        sessionId: session.sessionId,
        rating: { score: 4, feedback: 'Nice', ratedAt: ISO_TIMESTAMP },
      });
    });

    it('a rating sent with a repeated end is still stored; the end is not repeated', async () => {
      const session = await createSession(t);
      const url = `/api/live-chat/sessions/${session.sessionId}/end`;
      const first = await t.http.patch(url).set(guestHeaders(session)).expect(200);
      const again = await t.http.patch(url).set(guestHeaders(session)).send({ rating: 2 }).expect(200);
      expect(again.body.data).toEqual(first.body.data);
      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({ rated: 1, ratingScore: 2, closed: 1 });
      expect(stored?.audit.map((a: { action: string }) => a.action)).toEqual(['session.created', 'session.ended', 'session.rated']);
      expect(eventsOf('session.status_changed', session.sessionId)).toHaveLength(1);
      expect(eventsOf('session.rated', session.sessionId)).toHaveLength(1);
    });

    it.each([
      [{ rating: 6 }, 'Rating must be an integer from 1 to 5'],
      [{ rating: 0 }, 'Rating must be an integer from 1 to 5'],
      [{ rating: '5' }, 'Rating must be an integer from 1 to 5'],
      [{ feedback: 'no rating' }, 'Rating must be an integer from 1 to 5'],
      [{ rating: 5, feedback: 'x'.repeat(2001) }, 'Feedback cannot exceed 2000 characters'],
    ])('400 for %j', async (body, message) => {
      const session = await createSession(t);
      const res = await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).send(body).expect(400);
      expect(res.body.message).toBe(message);
      expect((await storedSession(t, session.sessionId))?.status).toBe('pending');
    });

    it('401 without the guest token', async () => {
      const session = await createSession(t);
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).expect(401);
      expect((await storedSession(t, session.sessionId))?.status).toBe('pending');
    });
  });

  describe('POST /api/live-chat/sessions/:sessionId/rate', () => {
    let session: TestSession;
    beforeAll(async () => {
      session = await createSession(t);
    });

    it('stores the rating and its analytics fields', async () => {
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/rate`).set(guestHeaders(session)).send({ score: 5, feedback: 'Excellent service!' }).expect(200);
      expect(res.body).toEqual({ success: true, message: 'Thank you for your feedback!', data: { rating: { score: 5, feedback: 'Excellent service!', ratedAt: ISO_TIMESTAMP } } });
      expect(await storedSession(t, session.sessionId)).toMatchObject({ rating: { score: 5, feedback: 'Excellent service!' }, rated: 1, ratingScore: 5 });
      expect(events.find((e) => e.name === 'session.rated' && e.payload.sessionId === session.sessionId)?.payload).toEqual({
        sessionId: session.sessionId,
        rating: { score: 5, feedback: 'Excellent service!', ratedAt: res.body.data.rating.ratedAt },
      });
    });

    it.each([
      [{}, 'Rating must be an integer from 1 to 5'],
      [{ score: 0 }, 'Rating must be an integer from 1 to 5'],
      [{ score: 6 }, 'Rating must be an integer from 1 to 5'],
      [{ score: 3.5 }, 'Rating must be an integer from 1 to 5'],
      [{ score: '5' }, 'Rating must be an integer from 1 to 5'],
      [{ score: 5, feedback: 'x'.repeat(2001) }, 'Feedback cannot exceed 2000 characters'],
      [{ score: 5, feedback: 42 }, 'Feedback cannot exceed 2000 characters'],
    ])('400 for %j', async (body, message) => {
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/rate`).set(guestHeaders(session)).send(body).expect(400);
      expect(res.body.message).toBe(message);
    });

    it('401 without the guest token', async () => {
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/rate`).send({ score: 1 }).expect(401);
      expect((await storedSession(t, session.sessionId))?.ratingScore).toBe(5);
    });
  });

  describe('POST /api/live-chat/sessions/:sessionId/typing', () => {
    it('publishes a typing event', async () => {
      const session = await createSession(t);
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/typing`).set(guestHeaders(session)).send({ isTyping: true }).expect(200);
      expect(res.body).toEqual({ success: true, message: 'Typing indicator sent' });
      expect(events.filter((e) => e.name === 'typing.changed' && e.payload.sessionId === session.sessionId).map((e) => e.payload)).toEqual([
        { sessionId: session.sessionId, isTyping: true, from: 'user' },
      ]);
    });

    it.each([[{}], [{ isTyping: 'yes' }], [{ isTyping: 1 }]])('400 for %j', async (body) => {
      const session = await createSession(t);
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/typing`).set(guestHeaders(session)).send(body).expect(400);
      expect(res.body.message).toBe('isTyping must be a boolean');
    });

    it('401 without the guest token', async () => {
      const session = await createSession(t);
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/typing`).send({ isTyping: true }).expect(401);
    });
  });

  it('a closed session refuses messages (409) and stores nothing', async () => {
    const session = await createSession(t);
    await sendGuestMessage(t, session, 'before');
    await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
    const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'after' }).expect(409);
    expect(res.body).toEqual({ success: false, message: 'Session is closed' });
    expect(await storedSession(t, session.sessionId)).toMatchObject({ messageCount: 2, lastSeq: 2 });
  });
});
