import { createHmac } from 'node:crypto';
import { AgentRole } from '../../src/common/access/agent-role';
import { claims, craftToken, hmac, now, platformToken } from '../auth/tokens';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, storedSession, TestSession, uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TEST_JWT_SECRET, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';
import { expectNoLeak } from './support/leaks';
import { fillPath, isGuestSessionOperation, Operation, operationsOf } from './support/openapi';

const newObjectId = () => [...Array(24)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');

/**
 * Access control, attacked as an outsider would: every guest endpoint with missing, empty, foreign
 * and forged guest tokens, every agent endpoint with every kind of bad JWT (the endpoint lists come
 * from the OpenAPI document, so new endpoints are attacked as they land), session-id guessing,
 * email reuse, mass assignment and racing requests.
 */
describe('security: access control', () => {
  let t: TestApp;
  let operations: Operation[];
  let victim: TestSession;
  let attacker: TestSession;
  let admin: TestAgent;
  let support: TestAgent;
  const victimEmail = 'victim.customer@example.com';
  const secretText = 'my card number is 4111 1111 1111 1111';

  beforeAll(async () => {
    t = await createTestApp();
    operations = await operationsOf(t);
    victim = await createSession(t, { user: { name: 'Victim', email: victimEmail } });
    await t.http.post(`/api/live-chat/sessions/${victim.sessionId}/messages`).set(guestHeaders(victim)).send({ content: secretText }).expect(201);
    attacker = await createSession(t, { user: { name: 'Mallory', email: 'mallory@example.com' } });
    admin = await createAgent(t, { role: AgentRole.Admin });
    support = await createAgent(t, { role: AgentRole.Support });
  });
  afterAll(() => t.destroy());

  const pathValues = () => ({ sessionId: victim.sessionId, id: support.agent.id, email: victimEmail, attachmentId: newObjectId(), name: 'x.png' });
  const call = (op: Operation, values: Record<string, string> = pathValues()) => t.http[op.method](fillPath(op.path, values));

  /** The victim's data must not appear in anything the attacker receives. */
  const expectNothingOfVictim = (body: unknown) => {
    const text = JSON.stringify(body);
    expect(text).not.toContain(secretText);
    expect(text).not.toContain(victimEmail);
    expect(text).not.toContain(victim.guestToken);
    expectNoLeak(body);
  };

  describe('guest endpoints (REST)', () => {
    const mac = (sessionId: string, secret: string) => createHmac('sha256', secret).update(sessionId).digest('base64url');
    const forgedTokens = (): [string, Record<string, string>][] => [
      ['no token', {}],
      ['an empty bearer', { Authorization: 'Bearer ' }],
      ['an empty X-Guest-Token', { 'X-Guest-Token': '' }],
      ['another session’s token', guestHeaders(attacker)],
      ['another session’s token as X-Guest-Token', { 'X-Guest-Token': attacker.guestToken }],
      ['the victim’s id with the attacker’s signature', { 'X-Guest-Token': `${victim.guestToken.split('.')[0]}.${attacker.guestToken.split('.')[1]}` }],
      ['a token MACed with a guessed key', { 'X-Guest-Token': `${Buffer.from(victim.sessionId).toString('base64url')}.${mac(victim.sessionId, 'secret')}` }],
      ['a token MACed with JWT_SECRET itself', { 'X-Guest-Token': `${Buffer.from(victim.sessionId).toString('base64url')}.${mac(victim.sessionId, TEST_JWT_SECRET)}` }],
      ['the victim’s session id as the token', { 'X-Guest-Token': victim.sessionId }],
      ['a token with an extra part', { 'X-Guest-Token': `${victim.guestToken}.x` }],
      ['a valid agent JWT', { Authorization: bearer(admin) }],
    ];

    it('documents at least the spec’s guest endpoints', () => {
      const names = operations.filter(isGuestSessionOperation).map((op) => op.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'GET /api/live-chat/sessions/{sessionId}',
          'GET /api/live-chat/sessions/{sessionId}/messages',
          'POST /api/live-chat/sessions/{sessionId}/messages',
          'PATCH /api/live-chat/sessions/{sessionId}/end',
          'POST /api/live-chat/sessions/{sessionId}/rate',
          'POST /api/live-chat/sessions/{sessionId}/typing',
        ]),
      );
    });

    it('refuses every guest endpoint of another session with 401 and reveals nothing, for every bad token', async () => {
      const failures: string[] = [];
      for (const op of operations.filter(isGuestSessionOperation)) {
        for (const [label, headers] of forgedTokens()) {
          const res = await call(op).set(headers).send({ content: 'hijack', isTyping: true, score: 1, rating: 1 });
          if (res.status !== 401) failures.push(`${op.name} with ${label}: ${res.status} ${JSON.stringify(res.body)}`);
          expectNothingOfVictim(res.body);
        }
      }
      expect(failures).toEqual([]);
      const session = await storedSession(t, victim.sessionId);
      expect(session).toMatchObject({ status: 'pending', messageCount: 2 });
      expect(session?.rating?.score ?? null).toBeNull();
    });

    it('the upload endpoint refuses a foreign or missing guest token for the session named in the form', async () => {
      const upload = (headers: Record<string, string>) =>
        t.http.post('/api/live-chat/upload').set(headers).field('sessionId', victim.sessionId).attach('files', Buffer.from('hello\n'), 'a.txt');
      for (const headers of [{}, guestHeaders(attacker)]) {
        const res = await upload(headers);
        expect(res.status).toBe(401);
        expectNothingOfVictim(res.body);
      }
      await upload(guestHeaders(victim)).expect(201);
    });

    it('gives no existence oracle: without a valid token an unknown session answers like a real one', async () => {
      const known = await t.http.get(`/api/live-chat/sessions/${victim.sessionId}`).set(guestHeaders(attacker));
      const unknown = await t.http.get(`/api/live-chat/sessions/${uniqueSessionId()}`).set(guestHeaders(attacker));
      const none = await t.http.get(`/api/live-chat/sessions/${uniqueSessionId()}`);
      const noneKnown = await t.http.get(`/api/live-chat/sessions/${victim.sessionId}`);
      expect([known.status, known.body]).toEqual([unknown.status, unknown.body]);
      expect([none.status, none.body]).toEqual([noneKnown.status, noneKnown.body]);
    });

    it('generates session ids nobody can guess (≥ 64 random bits, no sequence)', async () => {
      const ids = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'A', email: 'a@example.com' } }).expect(201);
          return res.body.data.session.sessionId as string;
        }),
      );
      for (const id of ids) expect(id).toMatch(/^session-\d+-[A-Za-z0-9_-]{16,}$/);
      expect(new Set(ids.map((id) => id.split('-')[2])).size).toBe(ids.length);
    });

    it('creating a session with an existing sessionId is refused and hands out no token for it', async () => {
      const res = await t.http.post('/api/live-chat/sessions').send({ sessionId: victim.sessionId, user: { name: 'Mallory', email: 'mallory@example.com' } });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ success: false, message: 'Session already exists' });
      expect((await storedSession(t, victim.sessionId))?.user.name).toBe('Victim');
    });

    it('a session deleted by an admin and created again under its id by someone else refuses the old guest token', async () => {
      const first = await createSession(t, { user: { name: 'First Owner', email: 'first.owner@example.com' } });
      await t.http.delete(`/api/admin/live-chat/sessions/${first.sessionId}`).set('Authorization', bearer(admin)).expect(200);
      const second = await createSession(t, { sessionId: first.sessionId, user: { name: 'Second Owner', email: 'second.owner@example.com' } });
      const privateText = 'the second owner’s private words';
      await t.http.post(`/api/live-chat/sessions/${second.sessionId}/messages`).set(guestHeaders(second)).send({ content: privateText }).expect(201);

      const failures: string[] = [];
      for (const op of operations.filter(isGuestSessionOperation)) {
        const res = await call(op, { ...pathValues(), sessionId: first.sessionId }).set(guestHeaders(first)).send({ content: 'stale', isTyping: true, score: 1, rating: 1 });
        if (res.status !== 401) failures.push(`${op.name}: ${res.status} ${JSON.stringify(res.body)}`);
        expect(JSON.stringify(res.body)).not.toContain(privateText);
      }
      expect(failures).toEqual([]);
      const refusal = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: first.sessionId, token: first.guestToken } });
      expect(refusal.status).toBe(401);
      expect(await storedSession(t, second.sessionId)).toMatchObject({ status: 'pending', messageCount: 2 });
    });

    it('opening a session with an existing customer’s email reveals none of their chats', async () => {
      const impostor = await createSession(t, { user: { name: 'Impostor', email: victimEmail.toUpperCase() } });
      expect(impostor.sessionId).not.toBe(victim.sessionId);
      expectNothingOfVictim({ ...impostor.data, session: { ...impostor.data.session, user: undefined } });
      const messages = await t.http.get(`/api/live-chat/sessions/${impostor.sessionId}/messages`).set(guestHeaders(impostor)).expect(200);
      expect(messages.body.total).toBe(1);
      expect(JSON.stringify(messages.body)).not.toContain(secretText);
      await t.http.get(`/api/live-chat/sessions/${victim.sessionId}/messages`).set(guestHeaders(impostor)).expect(401);
    });
  });

  describe('guest sockets', () => {
    it('refuses the upgrade for another session with no, foreign or forged token, before any event', async () => {
      for (const token of [undefined, '', attacker.guestToken, `${victim.guestToken.split('.')[0]}.${attacker.guestToken.split('.')[1]}`, platformToken()]) {
        const refusal = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: victim.sessionId, token } });
        expect(refusal.status).toBe(401);
        expectNothingOfVictim(refusal.body);
      }
    });

    it('a guest socket can neither act on nor hear another session', async () => {
      const mallory = await WsTestClient.open(t.wsUrl, { query: { sessionId: attacker.sessionId, token: attacker.guestToken } });
      const victimSocket = await WsTestClient.open(t.wsUrl, { query: { sessionId: victim.sessionId, token: victim.guestToken } });
      try {
        mallory.send({ type: 'subscribe_session', sessionId: victim.sessionId });
        mallory.send({ type: 'typing', isTyping: true, sessionId: victim.sessionId });
        mallory.send({ type: 'resume', sessionId: victim.sessionId, afterSeq: 0 });
        mallory.send({ type: 'read_receipt', sessionId: victim.sessionId, messageId: newObjectId() });
        await mallory.roundTrip();
        await t.http.post(`/api/live-chat/sessions/${victim.sessionId}/messages`).set(guestHeaders(victim)).send({ content: 'private follow-up' }).expect(201);
        await victimSocket.roundTrip();
        await mallory.roundTrip();
        const heard = JSON.stringify(mallory.frames);
        expect(heard).not.toContain('private follow-up');
        expect(heard).not.toContain(secretText);
        expect(heard).not.toContain(victim.sessionId);
        expect(mallory.received('error').length).toBeGreaterThanOrEqual(1);
        expect(victimSocket.received('user_typing')).toEqual([]);
      } finally {
        mallory.terminate();
        victimSocket.terminate();
      }
    });
  });

  describe('agent endpoints', () => {
    const sub = newObjectId;
    const badTokens = (): [string, string | undefined, number][] => [
      ['no Authorization header', undefined, 401],
      ['an empty bearer', 'Bearer ', 401],
      ['a non-JWT bearer', 'Bearer not-a-jwt', 401],
      ['a token signed with another secret', `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, claims({ sub: sub(), role: 'super_admin' }), hmac('sha256', 'guessed-secret'))}`, 401],
      ['an expired token', `Bearer ${platformToken({ sub: sub(), role: 'super_admin', iat: now() - 7200, exp: now() - 3600 })}`, 401],
      ['alg none', `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, claims({ sub: sub(), role: 'super_admin' }), () => '')}`, 401],
      ['alg NONE with a signature', `Bearer ${craftToken({ alg: 'NONE', typ: 'JWT' }, claims({ sub: sub(), role: 'super_admin' }), hmac('sha256', TEST_JWT_SECRET))}`, 401],
      ['HS512 with the right secret (algorithm not allowed)', `Bearer ${craftToken({ alg: 'HS512', typ: 'JWT' }, claims({ sub: sub(), role: 'super_admin' }), hmac('sha512', TEST_JWT_SECRET))}`, 401],
      ['RS256 header over an HMAC signature', `Bearer ${craftToken({ alg: 'RS256', typ: 'JWT' }, claims({ sub: sub(), role: 'super_admin' }), hmac('sha256', TEST_JWT_SECRET))}`, 401],
      ['a support token edited to super_admin', `Bearer ${editRole(support.token, 'super_admin')}`, 401],
      ['a token without exp', `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, { ...claims({ sub: sub(), role: 'super_admin' }), exp: undefined }, hmac('sha256', TEST_JWT_SECRET))}`, 401],
      ['a token whose sub is not an ObjectId', `Bearer ${platformToken({ sub: { $ne: null }, role: 'super_admin' })}`, 401],
      ['a guest token', `Bearer ${victim.guestToken}`, 401],
      ['a valid token with a role outside the three', `Bearer ${platformToken({ sub: sub(), role: 'customer', email: `c-${sub()}@example.com` })}`, 403],
    ];

    function editRole(token: string, role: string): string {
      const [header, payload, signature] = token.split('.');
      const edited = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role };
      return `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
    }

    it('documents the agent endpoints as bearer-protected', () => {
      const agentOps = operations.filter((op) => op.agentOnly).map((op) => op.name);
      expect(agentOps).toEqual(expect.arrayContaining(['GET /api/admin/live-chat/agents', 'GET /api/auth/me', 'GET /api/admin/live-chat/analytics']));
      const unprotectedAdmin = operations.filter((op) => op.path.startsWith('/api/admin') && !op.agentOnly).map((op) => op.name);
      expect(unprotectedAdmin).toEqual([]);
    });

    it('refuses every agent endpoint for every bad token (401), and unknown roles (403), revealing nothing', async () => {
      const failures: string[] = [];
      for (const op of operations.filter((candidate) => candidate.agentOnly)) {
        for (const [label, authorization, status] of badTokens()) {
          const req = call(op);
          if (authorization !== undefined) req.set('Authorization', authorization);
          const res = await req.send({});
          if (res.status !== status) failures.push(`${op.name} with ${label}: ${res.status} ${JSON.stringify(res.body)}`);
          expectNothingOfVictim(res.body);
        }
      }
      expect(failures).toEqual([]);
    });

    it('answers a missing token with the spec’s message', async () => {
      const res = await t.http.get('/api/admin/live-chat/agents').expect(401);
      expect(res.body).toEqual({ success: false, message: 'No token, authorization denied' });
    });

    it('a deactivated agent’s token stops at once and its open sockets are closed', async () => {
      const doomed = await createAgent(t);
      const socket = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', userId: doomed.agent.id, token: doomed.token } });
      await t.http.get('/api/auth/me').set('Authorization', bearer(doomed)).expect(200);
      await t.http.delete(`/api/admin/live-chat/agents/${doomed.agent.id}`).set('Authorization', bearer(admin)).expect(200);
      const closed = await socket.closed;
      expect(closed.code).toBe(4401);
      await t.http.get('/api/auth/me').set('Authorization', bearer(doomed)).expect(401);
      const refusal = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', token: doomed.token } });
      expect(refusal.status).toBe(401);
    });

    it('an admin socket whose userId is not the token’s subject is refused', async () => {
      const refusal = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', userId: admin.agent.id, token: support.token } });
      expect(refusal.status).toBe(403);
    });

    it('an admin upgrade without a token is refused (the spec’s token-less admin socket is not supported)', async () => {
      const refusal = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', userId: admin.agent.id } });
      expect(refusal.status).toBe(401);
    });
  });

  describe('mass assignment', () => {
    it('a guest cannot set status, agent, counters, rating, notes or ids when creating a session', async () => {
      const sessionId = uniqueSessionId();
      const res = await t.http
        .post('/api/live-chat/sessions')
        .send({
          sessionId,
          user: { name: 'Eve', email: 'eve@example.com', metadata: { ipAddress: '10.0.0.1' }, role: 'admin' },
          status: 'active',
          priority: 'urgent',
          department: 'billing',
          assignedAgent: admin.agent.id,
          agentName: 'Fake Agent',
          messageCount: 999,
          unreadCount: 999,
          lastSeq: 999,
          rating: { score: 5 },
          notes: [{ content: 'VIP', addedBy: admin.agent.id }],
          tags: ['vip'],
          _id: newObjectId(),
          createdAt: '2000-01-01T00:00:00.000Z',
          guestToken: 'chosen',
        });
      expect([201, 400]).toContain(res.status);
      const stored = await storedSession(t, sessionId);
      if (res.status === 400) {
        expect(stored).toBeNull();
        return;
      }
      expect(stored).toMatchObject({ status: 'pending', priority: 'medium', department: 'general', messageCount: 1, unreadCount: 0 });
      expect(stored?.assignedAgent ?? null).toBeNull();
      expect(stored?.notes ?? []).toEqual([]);
      expect(stored?.tags ?? []).toEqual([]);
      expect(stored?.rating?.score ?? null).toBeNull();
      expect(stored?.user.metadata?.ipAddress).not.toBe('10.0.0.1');
      expect(stored?.createdAt.getFullYear()).toBeGreaterThan(2000);
      expect(res.body.data.guestToken).not.toBe('chosen');
    });

    it('a guest message cannot pose as an agent or system message', async () => {
      const session = await createSession(t);
      const res = await t.http
        .post(`/api/live-chat/sessions/${session.sessionId}/messages`)
        .set(guestHeaders(session))
        .send({ content: 'hi', type: 'agent', agentName: 'Support Team', agentId: admin.agent.id, isRead: true, seq: 1, sessionId: victim.sessionId });
      expect([201, 400]).toContain(res.status);
      const stored = await t.connection.collection('livechatmessages').find({ sessionId: session.sessionId }).sort({ seq: 1 }).toArray();
      if (res.status === 201) {
        expect(res.body.data).toMatchObject({ type: 'user', sessionId: session.sessionId, isRead: false });
        expect(stored.map((m) => m.type)).toEqual(['system', 'user']);
        expect(stored[1].agentName ?? null).toBeNull();
        expect(stored[1].agentId ?? null).toBeNull();
      }
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: victim.sessionId, content: 'hi' })).toBe(0);
    });

    it('a clientMessageId used by the other party is a conflict, never their message back', async () => {
      const session = await createSession(t);
      const reply = await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(admin)).send({ content: 'agent text', clientMessageId: 'shared-key' }).expect(201);
      const guestTry = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'guest text', clientMessageId: 'shared-key' });
      expect(guestTry.status).toBe(409);
      expect(JSON.stringify(guestTry.body)).not.toContain('agent text');
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'guest text', clientMessageId: 'guest-key' }).expect(201);
      const agentTry = await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(support)).send({ content: 'x', clientMessageId: 'guest-key' });
      expect(agentTry.status).toBe(409);
      const otherAgentTry = await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(support)).send({ content: 'x', clientMessageId: 'shared-key' });
      expect(otherAgentTry.status).toBe(409);
      const retry = await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(admin)).send({ content: 'agent text', clientMessageId: 'shared-key' }).expect(200);
      expect(retry.body.data._id).toBe(reply.body.data._id);
    });

    it('a support agent cannot raise its own role, nor make itself active again by PATCH', async () => {
      const self = await createAgent(t);
      for (const body of [{ role: 'super_admin' }, { role: 'admin', firstName: 'X' }]) {
        const res = await t.http.patch(`/api/admin/live-chat/agents/${self.agent.id}`).set('Authorization', bearer(self)).send(body);
        expect(res.status).toBe(403);
      }
      const availability = await t.http.patch('/api/admin/live-chat/agents/me/availability').set('Authorization', bearer(self)).send({ availability: 'online', role: 'super_admin', active: true });
      expect([200, 400]).toContain(availability.status);
      const me = await t.http.get('/api/auth/me').set('Authorization', bearer(self)).expect(200);
      expect(JSON.stringify(me.body)).toContain('"role":"support"');
    });

    it('admin updates change only their documented fields', async () => {
      const session = await createSession(t, { user: { name: 'Kept', email: 'kept@example.com' } });
      await t.http
        .patch(`/api/admin/live-chat/sessions/${session.sessionId}/status`)
        .set('Authorization', bearer(admin))
        .send({ priority: 'high', sessionId: 'session-hijacked-0001', messageCount: 0, lastSeq: 0, notes: [{ content: 'x' }], user: { email: 'x@evil.example' }, rating: { score: 1 }, guestToken: 'x' })
        .expect(200);
      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({ priority: 'high', messageCount: 1, lastSeq: 1, user: expect.objectContaining({ email: 'kept@example.com' }) });
      expect(stored?.notes ?? []).toEqual([]);
      expect(await storedSession(t, 'session-hijacked-0001')).toBeNull();

      const target = await createAgent(t);
      await t.http
        .patch(`/api/admin/live-chat/agents/${target.agent.id}`)
        .set('Authorization', bearer(admin))
        .send({ firstName: 'Renamed', passwordHash: 'x', source: 'external', tokensNotBefore: null, _id: newObjectId() })
        .expect(200);
      const agent = await t.connection.collection('agents').findOne({ email: target.agent.email });
      expect(agent).toMatchObject({ firstName: 'Renamed', source: 'local' });
      expect(agent?.passwordHash).not.toBe('x');
      await t.http.post('/api/auth/login').send({ email: target.agent.email, password: target.password }).expect(200);
    });

    it('an admin cannot create a super_admin or raise its own role', async () => {
      const res = await t.http
        .post('/api/admin/live-chat/agents')
        .set('Authorization', bearer(admin))
        .send({ firstName: 'Root', email: 'root2@example.com', password: 'long-enough-password', role: 'super_admin' });
      expect(res.status).toBe(403);
      const self = await t.http.patch(`/api/admin/live-chat/agents/${admin.agent.id}`).set('Authorization', bearer(admin)).send({ role: 'super_admin' });
      expect(self.status).toBe(403);
    });
  });

  describe('races', () => {
    it('20 concurrent creates of one sessionId make one session, one welcome message and one token', async () => {
      const sessionId = uniqueSessionId();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.http.post('/api/live-chat/sessions').send({ sessionId, user: { name: `Racer ${i}`, email: `racer${i}@example.com` } })),
      );
      const statuses = results.map((res) => res.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      results.forEach((res) => expectNoLeak(res.body));
      expect(await t.connection.collection('livechatsessions').countDocuments({ sessionId })).toBe(1);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId })).toBe(1);
      const winner = results.find((res) => res.status === 201);
      expect((await storedSession(t, sessionId))?.user.name).toBe(winner?.body.data.session.user.name);
    });

    it('20 concurrent assigns of one session to different agents end in one consistent assignment', async () => {
      const session = await createSession(t);
      const agents = await Promise.all(Array.from({ length: 5 }, () => createAgent(t)));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const target = agents[i % agents.length];
          return t.http
            .patch(`/api/admin/live-chat/sessions/${session.sessionId}/assign`)
            .set('Authorization', bearer(admin))
            .send({ agentId: target.agent.id, agentName: `${target.agent.firstName} ${target.agent.lastName}` });
        }),
      );
      results.forEach((res) => expectNoLeak(res.body));
      expect(results.map((res) => res.status)).toEqual(Array(20).fill(200));
      const stored = await storedSession(t, session.sessionId);
      const assigned = agents.find((a) => a.agent.id === String(stored?.assignedAgent));
      expect(assigned).toBeDefined();
      expect(stored?.agentName).toBe(`${assigned?.agent.firstName} ${assigned?.agent.lastName}`);
      expect(stored?.status).toBe('active');
      const details = await t.http.get(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', bearer(admin)).expect(200);
      expect(details.body.data.session.assignedAgent._id).toBe(assigned?.agent.id);
      const messages = await t.connection.collection('livechatmessages').find({ sessionId: session.sessionId }).toArray();
      expect(new Set(messages.map((m) => m.seq)).size).toBe(messages.length);
      expect(stored?.messageCount).toBe(messages.length);
    });

    it('a burst of mixed writes to one session (assign, transfer, status, notes, replies, guest messages) leaves it consistent', async () => {
      const session = await createSession(t);
      const [a, b] = await Promise.all([createAgent(t), createAgent(t)]);
      const admin_ = { Authorization: bearer(admin) };
      const base = `/api/admin/live-chat/sessions/${session.sessionId}`;
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => t.http.patch(`${base}/assign`).set(admin_).send({ agentId: a.agent.id })),
        ...Array.from({ length: 5 }, () => t.http.post(`${base}/transfer`).set(admin_).send({ toAgentId: b.agent.id, reason: 'load' })),
        ...Array.from({ length: 5 }, (_, i) => t.http.patch(`${base}/status`).set(admin_).send({ priority: ['low', 'high'][i % 2], tags: [`t${i}`] })),
        ...Array.from({ length: 5 }, (_, i) => t.http.post(`${base}/notes`).set(admin_).send({ content: `note ${i}` })),
        ...Array.from({ length: 10 }, (_, i) => t.http.post(`${base}/reply`).set(admin_).send({ content: `reply ${i}` })),
        ...Array.from({ length: 10 }, (_, i) => t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: `guest ${i}` })),
      ]);
      results.forEach((res) => {
        expect(res.status).toBeLessThan(500);
        expectNoLeak(res.body);
      });
      const stored = await storedSession(t, session.sessionId);
      const messages = await t.connection.collection('livechatmessages').find({ sessionId: session.sessionId }).sort({ seq: 1 }).toArray();
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
      expect(stored?.messageCount).toBe(messages.length);
      expect(stored?.lastSeq).toBe(messages.length);
      expect(stored?.lastMessage?.content).toBe(messages[messages.length - 1].content);
      expect(messages.filter((m) => m.type === 'user')).toHaveLength(10);
      expect(messages.filter((m) => m.type === 'agent')).toHaveLength(10);
      expect(stored?.notes).toHaveLength(5);
      expect([a.agent.id, b.agent.id]).toContain(String(stored?.assignedAgent));
      const assignee = String(stored?.assignedAgent) === a.agent.id ? a : b;
      expect(stored?.agentName).toBe(`${assignee.agent.firstName} ${assignee.agent.lastName}`);
    });
  });
});
