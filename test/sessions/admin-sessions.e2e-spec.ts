import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { BusEvent } from '../../src/common/events/domain-events';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, recordEvents, sendGuestMessage, storedSession, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { ISO_TIMESTAMP } from '../utils/matchers';

const ADMIN = '/api/admin/live-chat';
const marker = () => `m${randomBytes(4).toString('hex')}`;

describe('admin session endpoints', () => {
  let t: TestApp;
  let events: BusEvent[];
  let support: TestAgent;
  let jane: TestAgent;
  let bob: TestAgent;
  let admin: TestAgent;
  let superAdmin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    events = recordEvents(t);
    support = await createAgent(t);
    jane = await createAgent(t, { firstName: 'Jane', lastName: 'Smith', avatar: 'https://cdn.example.com/jane.png' });
    bob = await createAgent(t, { firstName: 'Bob', lastName: 'Wilson' });
    admin = await createAgent(t, { role: AgentRole.Admin });
    superAdmin = await createAgent(t, { role: AgentRole.SuperAdmin });
  });
  afterAll(() => t.destroy());

  const eventsOf = (name: string, sessionId: string) => events.filter((e) => e.name === name && (e.payload as { sessionId?: string }).sessionId === sessionId).map((e) => e.payload);

  describe('authentication', () => {
    it.each([
      ['get', `${ADMIN}/sessions`],
      ['get', `${ADMIN}/sessions/session-00000000`],
      ['post', `${ADMIN}/sessions/session-00000000/reply`],
      ['patch', `${ADMIN}/sessions/session-00000000/assign`],
      ['post', `${ADMIN}/sessions/session-00000000/transfer`],
      ['patch', `${ADMIN}/sessions/session-00000000/status`],
      ['post', `${ADMIN}/sessions/session-00000000/notes`],
      ['get', `${ADMIN}/customers/a@example.com/history`],
      ['delete', `${ADMIN}/sessions/session-00000000`],
    ] as const)('%s %s: 401 without a token or with a guest token', async (method, url) => {
      const res = await t.http[method](url).expect(401);
      expect(res.body).toEqual({ success: false, message: 'No token, authorization denied' });
      const session = await createSession(t);
      await t.http[method](url).set(guestHeaders(session)).expect(401);
    });

    it.each([
      ['support', () => support],
      ['admin', () => admin],
      ['super_admin', () => superAdmin],
    ])('%s may use every session endpoint but delete', async (_role, agentOf) => {
      const agent = agentOf();
      const auth = { Authorization: bearer(agent) };
      const session = await createSession(t);
      const base = `${ADMIN}/sessions/${session.sessionId}`;
      await t.http.get(`${ADMIN}/sessions`).set(auth).expect(200);
      await t.http.get(base).set(auth).expect(200);
      await t.http.post(`${base}/reply`).set(auth).send({ content: 'hi' }).expect(201);
      await t.http.patch(`${base}/assign`).set(auth).send({ agentId: jane.agent.id }).expect(200);
      await t.http.post(`${base}/transfer`).set(auth).send({ toAgentId: bob.agent.id }).expect(200);
      await t.http.post(`${base}/notes`).set(auth).send({ content: 'note' }).expect(201);
      await t.http.patch(`${base}/status`).set(auth).send({ priority: 'low' }).expect(200);
      await t.http.get(`${ADMIN}/customers/${encodeURIComponent(session.data.session.user.email)}/history`).set(auth).expect(200);
      const audit = (await storedSession(t, session.sessionId))?.audit.map((a: { action: string; actor: string }) => [a.action, a.actor]);
      expect(audit).toEqual([
        ['session.created', 'guest'],
        ['session.assigned', agent.agent.id],
        ['session.transferred', agent.agent.id],
        ['note.added', agent.agent.id],
        ['session.updated', agent.agent.id],
      ]);
    });
  });

  describe('GET /sessions', () => {
    const list = (query: Record<string, unknown>, agent: TestAgent = support) => t.http.get(`${ADMIN}/sessions`).query(query).set('Authorization', bearer(agent));

    it('filters, searches, pages and counts statuses', async () => {
      const m = marker();
      const a = await createSession(t, { user: { name: `${m} Alice`, email: `${m}-alice@example.com` } });
      const b = await createSession(t, { user: { name: `${m} Bob`, email: `${m}-BOB@Example.com` } });
      const c = await createSession(t, { user: { name: `${m} Carol`, email: `${m}-carol@example.com` } });
      await t.http.patch(`${ADMIN}/sessions/${a.sessionId}/status`).set('Authorization', bearer(support)).send({ department: 'billing', priority: 'high' }).expect(200);
      await t.http.patch(`${ADMIN}/sessions/${b.sessionId}/assign`).set('Authorization', bearer(support)).send({ agentId: jane.agent.id }).expect(200);
      await t.http.patch(`${ADMIN}/sessions/${c.sessionId}/status`).set('Authorization', bearer(support)).send({ status: 'closed' }).expect(200);
      await sendGuestMessage(t, a, 'latest activity');

      const all = await list({ search: m }).expect(200);
      expect(all.body).toMatchObject({ success: true, count: 3, total: 3, page: 1, pages: 1, statusCounts: { pending: 1, active: 1, closed: 1, archived: 0 } });
      expect(all.body.data.map((s: { sessionId: string }) => s.sessionId)).toEqual([a.sessionId, c.sessionId, b.sessionId]);
      expect(all.body.data[0]).toEqual({
        sessionId: a.sessionId,
        user: { name: `${m} Alice`, email: `${m}-alice@example.com` },
        status: 'pending',
        priority: 'high',
        department: 'billing',
        assignedAgent: null,
        tags: [],
        lastMessage: { content: 'latest activity', type: 'user', timestamp: ISO_TIMESTAMP },
        messageCount: 2,
        unreadCount: 1,
        startedAt: ISO_TIMESTAMP,
        createdAt: ISO_TIMESTAMP,
        updatedAt: ISO_TIMESTAMP,
      });

      const ids = async (query: Record<string, unknown>) => (await list({ search: m, ...query }).expect(200)).body.data.map((s: { sessionId: string }) => s.sessionId);
      expect(await ids({ status: 'active' })).toEqual([b.sessionId]);
      expect(await ids({ department: 'billing' })).toEqual([a.sessionId]);
      expect(await ids({ priority: 'high' })).toEqual([a.sessionId]);
      expect(await ids({ assignedAgent: jane.agent.id })).toEqual([b.sessionId]);
      expect((await ids({ assignedAgent: 'unassigned' })).sort()).toEqual([a.sessionId, c.sessionId].sort());
      expect(await ids({ search: `${m}-bob@EXAMPLE` })).toEqual([b.sessionId]);
      expect(await ids({ search: `${m.toUpperCase()} CAROL` })).toEqual([c.sessionId]);
      expect(await ids({ search: c.sessionId })).toEqual([c.sessionId]);
      expect(await ids({ search: 'Alice' })).toEqual([]);

      const status = await list({ search: m, status: 'closed' }).expect(200);
      expect(status.body).toMatchObject({ count: 1, total: 1, statusCounts: { pending: 1, active: 1, closed: 1, archived: 0 } });

      const assigned = await list({ search: m, assignedAgent: jane.agent.id }).expect(200);
      expect(assigned.body).toMatchObject({ count: 1, total: 1, statusCounts: { pending: 0, active: 1, closed: 0, archived: 0 } });
      const unassigned = await list({ search: m, assignedAgent: 'unassigned', department: 'billing' }).expect(200);
      expect(unassigned.body).toMatchObject({ count: 1, total: 1, statusCounts: { pending: 1, active: 0, closed: 0, archived: 0 } });

      const paged = await list({ search: m, limit: 2, page: 2 }).expect(200);
      expect(paged.body).toMatchObject({ count: 1, total: 3, page: 2, pages: 2 });
    });

    it('counts statuses without search exactly, from the counts kept at every write', async () => {
      const sessions = await Promise.all([0, 1, 2, 3].map(() => createSession(t)));
      await t.http.patch(`${ADMIN}/sessions/${sessions[0].sessionId}/status`).set('Authorization', bearer(support)).send({ department: 'sales', priority: 'urgent' }).expect(200);
      await t.http.patch(`${ADMIN}/sessions/${sessions[1].sessionId}/assign`).set('Authorization', bearer(support)).send({ agentId: jane.agent.id }).expect(200);
      await t.http.patch(`${ADMIN}/sessions/${sessions[2].sessionId}/status`).set('Authorization', bearer(support)).send({ status: 'archived', department: 'sales' }).expect(200);
      await t.http.patch(`${ADMIN}/sessions/${sessions[2].sessionId}/status`).set('Authorization', bearer(support)).send({ status: 'pending' }).expect(200);
      await t.http.delete(`${ADMIN}/sessions/${sessions[3].sessionId}`).set('Authorization', bearer(admin)).expect(200);

      const stored = t.connection.collection('livechatsessions');
      const expected = async (filter: Record<string, unknown>) => {
        const counts: Record<string, number> = {};
        for (const status of ['pending', 'active', 'closed', 'archived']) counts[status] = await stored.countDocuments({ ...filter, status });
        return counts;
      };
      for (const [query, filter] of [
        [{}, {}],
        [{ department: 'sales' }, { department: 'sales' }],
        [{ department: 'sales', priority: 'urgent' }, { department: 'sales', priority: 'urgent' }],
        [{ assignedAgent: jane.agent.id }, { assignedAgent: new Types.ObjectId(jane.agent.id) }],
        [{ assignedAgent: 'unassigned', department: 'sales' }, { assignedAgent: null, department: 'sales' }],
      ] as const) {
        const counts = await expected(filter);
        const res = await list({ ...query, status: 'pending' }).expect(200);
        expect({ query, statusCounts: res.body.statusCounts, total: res.body.total }).toEqual({ query, statusCounts: counts, total: counts.pending });
      }
      expect((await list({ department: 'sales' }).expect(200)).body.statusCounts.pending).toBeGreaterThanOrEqual(2);
    });

    it('search text is a literal prefix: regex characters and operators match nothing special', async () => {
      const m = marker();
      const literal = await createSession(t, { user: { name: `a+b (${m}).*`, email: `lit-${m}@example.com` } });
      await createSession(t, { user: { name: `aab ${m}`, email: `other-${m}@example.com` } });
      const ids = async (search: string) => (await list({ search }).expect(200)).body.data.map((s: { sessionId: string }) => s.sessionId);
      expect(await ids(`a+b (${m}).*`)).toEqual([literal.sessionId]);
      expect(await ids(`a+b (${m})`)).toEqual([literal.sessionId]);
      expect(await ids('a+b')).toEqual([literal.sessionId]);
      expect(await ids('.*zzz-no-such')).toEqual([]);
      expect(await ids('^')).toEqual([]);
    });

    it.each([
      [{ status: 'open' }, 'status must be one of: pending, active, closed, archived'],
      [{ department: 'hr' }, 'department must be one of: general, sales, support, billing, technical'],
      [{ priority: 'critical' }, 'priority must be one of: low, medium, high, urgent'],
      [{ assignedAgent: 'nobody' }, 'assignedAgent must be an agent id or "unassigned"'],
      [{ limit: 101 }, 'limit must be an integer from 1 to 100'],
      [{ page: 0 }, 'page must be a positive integer'],
      [{ search: 'x'.repeat(201) }, 'search must be text of at most 200 characters'],
    ])('400 for %j', async (query, message) => {
      expect((await list(query).expect(400)).body).toMatchObject({ success: false, message });
    });
  });

  describe('GET /sessions/:sessionId', () => {
    it('returns the session with agents and note authors populated, and its messages oldest first', async () => {
      const session = await createSession(t, { pageUrl: 'https://example.com/help' });
      await sendGuestMessage(t, session, 'I need help');
      await t.http.patch(`${ADMIN}/sessions/${session.sessionId}/assign`).set('Authorization', bearer(support)).send({ agentId: jane.agent.id }).expect(200);
      await t.http.post(`${ADMIN}/sessions/${session.sessionId}/notes`).set('Authorization', bearer(bob)).send({ content: 'Customer has premium subscription' }).expect(201);
      await t.http.post(`${ADMIN}/sessions/${session.sessionId}/reply`).set('Authorization', bearer(jane)).send({ content: 'Hi!' }).expect(201);
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/rate`).set(guestHeaders(session)).send({ score: 5, feedback: 'Great help!' }).expect(200);

      const res = await t.http.get(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(support)).expect(200);
      const { session: view, messages, messagesPagination } = res.body.data;
      expect(view).toMatchObject({
        sessionId: session.sessionId,
        user: { name: 'John Doe', email: session.data.session.user.email, metadata: { ipAddress: expect.any(String), pageUrl: 'https://example.com/help' } },
        status: 'active',
        priority: 'medium',
        department: 'general',
        assignedAgent: { _id: jane.agent.id, firstName: 'Jane', lastName: 'Smith', email: jane.agent.email },
        agentName: 'Jane Smith',
        notes: [{ _id: expect.any(String), content: 'Customer has premium subscription', addedBy: { _id: bob.agent.id, firstName: 'Bob', lastName: 'Wilson' }, addedAt: ISO_TIMESTAMP }],
        rating: { score: 5, feedback: 'Great help!', ratedAt: ISO_TIMESTAMP },
        messageCount: 3,
        firstResponseAt: ISO_TIMESTAMP,
      });
      expect(view.audit.map((a: { action: string; actor: string }) => [a.action, a.actor])).toEqual([
        ['session.created', 'guest'],
        ['session.assigned', support.agent.id],
        ['note.added', bob.agent.id],
        ['session.rated', 'guest'],
      ]);
      expect(messages.map((m: { seq: number; type: string }) => [m.seq, m.type])).toEqual([
        [1, 'system'],
        [2, 'user'],
        [3, 'agent'],
      ]);
      expect(messagesPagination).toEqual({ page: 1, limit: 100, total: 3, pages: 1 });

      const page2 = await t.http.get(`${ADMIN}/sessions/${session.sessionId}`).query({ page: 2, limit: 2 }).set('Authorization', bearer(support)).expect(200);
      expect(page2.body.data.messages.map((m: { seq: number }) => m.seq)).toEqual([3]);
      expect(page2.body.data.messagesPagination).toEqual({ page: 2, limit: 2, total: 3, pages: 2 });
    });

    it('404 for an unknown session, 400 for bad paging', async () => {
      const res = await t.http.get(`${ADMIN}/sessions/session-unknown-1`).set('Authorization', bearer(support)).expect(404);
      expect(res.body).toEqual({ success: false, message: 'Session not found' });
      const session = await createSession(t);
      await t.http.get(`${ADMIN}/sessions/${session.sessionId}`).query({ limit: 0 }).set('Authorization', bearer(support)).expect(400);
    });
  });

  describe('POST /sessions/:sessionId/reply', () => {
    const reply = (session: TestSession, body: object, agent: TestAgent = jane) =>
      t.http.post(`${ADMIN}/sessions/${session.sessionId}/reply`).set('Authorization', bearer(agent)).send(body);

    it('stores an agent message; the first reply sets the first response and activates the session', async () => {
      const session = await createSession(t);
      await sendGuestMessage(t, session, 'hello?');
      const res = await reply(session, { content: "  Hello! I'd be happy to help you with that. " }).expect(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Reply sent successfully',
        data: {
          _id: expect.any(String),
          sessionId: session.sessionId,
          seq: 3,
          type: 'agent',
          content: "Hello! I'd be happy to help you with that.",
          agentName: 'Jane Smith',
          agentId: jane.agent.id,
          agentAvatar: 'https://cdn.example.com/jane.png',
          attachments: [],
          isRead: false,
          createdAt: ISO_TIMESTAMP,
        },
      });
      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({ status: 'active', messageCount: 3, unreadCount: 1, lastSeq: 3, lastMessage: { type: 'agent' } });
      expect(stored?.firstResponseAt.toISOString()).toBe(res.body.data.createdAt);
      expect(stored?.firstResponseMs).toBe(stored?.firstResponseAt.getTime() - stored?.startedAt.getTime());

      await reply(session, { content: 'second' }, bob).expect(201);
      expect((await storedSession(t, session.sessionId))?.firstResponseAt.toISOString()).toBe(res.body.data.createdAt);
      expect(eventsOf('session.status_changed', session.sessionId)).toEqual([{ sessionId: session.sessionId, status: 'active' }]);
      expect(eventsOf('message.created', session.sessionId).map((p) => (p as { message: { type: string } }).message.type)).toEqual(['system', 'user', 'agent', 'agent']);
    });

    it('is idempotent per clientMessageId', async () => {
      const session = await createSession(t);
      const first = await reply(session, { content: 'once', clientMessageId: 'r-1' }).expect(201);
      const again = await reply(session, { content: 'once', clientMessageId: 'r-1' }).expect(200);
      expect(again.body.data._id).toBe(first.body.data._id);
      expect((await storedSession(t, session.sessionId))?.messageCount).toBe(2);
    });

    it('400 for empty content, 404 for an unknown session, 409 once closed', async () => {
      const session = await createSession(t);
      expect((await reply(session, { content: '  ' }).expect(400)).body.message).toBe('Message content is required');
      expect((await reply(session, { content: 'x'.repeat(5001) }).expect(400)).body.message).toBe('Message cannot exceed 5000 characters');
      await t.http.post(`${ADMIN}/sessions/session-unknown-1/reply`).set('Authorization', bearer(jane)).send({ content: 'hi' }).expect(404);
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
      expect((await reply(session, { content: 'too late' }).expect(409)).body).toEqual({ success: false, message: 'Session is closed' });
      expect(await storedSession(t, session.sessionId)).toMatchObject({ messageCount: 1, status: 'closed' });
    });
  });

  describe('PATCH /sessions/:sessionId/assign', () => {
    const assign = (sessionId: string, body: object) => t.http.patch(`${ADMIN}/sessions/${sessionId}/assign`).set('Authorization', bearer(support)).send(body);

    it('assigns, activates and publishes; the guest sees the agent without email', async () => {
      const session = await createSession(t);
      const res = await assign(session.sessionId, { agentId: jane.agent.id, agentName: 'Someone Else' }).expect(200);
      expect(res.body).toEqual({
        success: true,
        message: 'Session assigned successfully',
        data: { sessionId: session.sessionId, assignedAgent: jane.agent.id, agentName: 'Jane Smith', status: 'active' },
      });
      expect(eventsOf('session.assigned', session.sessionId)).toEqual([
        { sessionId: session.sessionId, agent: { id: jane.agent.id, name: 'Jane Smith', avatar: 'https://cdn.example.com/jane.png' } },
      ]);
      expect(eventsOf('session.status_changed', session.sessionId)).toEqual([{ sessionId: session.sessionId, status: 'active' }]);
      const guestView = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200);
      expect(guestView.body.data.assignedAgent).toEqual({ _id: jane.agent.id, firstName: 'Jane', lastName: 'Smith' });
      expect(JSON.stringify(guestView.body)).not.toContain(jane.agent.email);
    });

    it('400 for a malformed agent id, 404 for an unknown or deactivated agent or session, 409 when closed', async () => {
      const session = await createSession(t);
      expect((await assign(session.sessionId, { agentId: 'agent123' }).expect(400)).body.message).toBe('Invalid agent ID');
      expect((await assign(session.sessionId, {}).expect(400)).body.message).toBe('Invalid agent ID');
      expect((await assign(session.sessionId, { agentId: new Types.ObjectId().toString() }).expect(404)).body.message).toBe('Agent not found');
      const gone = await createAgent(t);
      await t.http.delete(`${ADMIN}/agents/${gone.agent.id}`).set('Authorization', bearer(admin)).expect(200);
      expect((await assign(session.sessionId, { agentId: gone.agent.id }).expect(404)).body.message).toBe('Agent not found');
      expect((await assign('session-unknown-1', { agentId: jane.agent.id }).expect(404)).body.message).toBe('Session not found');
      expect((await storedSession(t, session.sessionId))?.assignedAgent).toBeNull();
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
      expect((await assign(session.sessionId, { agentId: jane.agent.id }).expect(409)).body.message).toBe('Session is closed');
    });
  });

  describe('POST /sessions/:sessionId/transfer', () => {
    const transfer = (sessionId: string, body: object) => t.http.post(`${ADMIN}/sessions/${sessionId}/transfer`).set('Authorization', bearer(support)).send(body);

    it('moves the session and keeps the history', async () => {
      const session = await createSession(t);
      await t.http.patch(`${ADMIN}/sessions/${session.sessionId}/assign`).set('Authorization', bearer(support)).send({ agentId: jane.agent.id }).expect(200);
      const res = await transfer(session.sessionId, { toAgentId: bob.agent.id, toAgentName: 'ignored', reason: 'Billing expertise needed' }).expect(200);
      expect(res.body).toEqual({
        success: true,
        message: 'Session transferred successfully',
        data: { sessionId: session.sessionId, assignedAgent: bob.agent.id, agentName: 'Bob Wilson' },
      });
      const details = await t.http.get(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(support)).expect(200);
      expect(details.body.data.session).toMatchObject({
        assignedAgent: { _id: bob.agent.id },
        agentName: 'Bob Wilson',
        transfers: [{ from: jane.agent.id, to: bob.agent.id, reason: 'Billing expertise needed', by: support.agent.id, at: ISO_TIMESTAMP }],
      });
      expect(eventsOf('session.assigned', session.sessionId).at(-1)).toEqual({
        sessionId: session.sessionId,
        agent: { id: bob.agent.id, name: 'Bob Wilson' },
        previousAgentId: jane.agent.id,
      });
    });

    it('works on unassigned sessions too (from: null)', async () => {
      const session = await createSession(t);
      await transfer(session.sessionId, { toAgentId: bob.agent.id }).expect(200);
      expect((await storedSession(t, session.sessionId))?.transfers).toEqual([expect.not.objectContaining({ from: expect.anything() })]);
      expect((await storedSession(t, session.sessionId))?.status).toBe('active');
    });

    it('validation and error paths', async () => {
      const session = await createSession(t);
      await transfer(session.sessionId, { toAgentId: bob.agent.id }).expect(200);
      expect((await transfer(session.sessionId, { toAgentId: bob.agent.id }).expect(400)).body.message).toBe('Session is already assigned to this agent');
      expect((await transfer(session.sessionId, { toAgentId: 'agent456' }).expect(400)).body.message).toBe('Invalid agent ID');
      expect((await transfer(session.sessionId, { toAgentId: jane.agent.id, reason: 'x'.repeat(501) }).expect(400)).body.message).toBe('Reason cannot exceed 500 characters');
      expect((await transfer(session.sessionId, { toAgentId: new Types.ObjectId().toString() }).expect(404)).body.message).toBe('Agent not found');
      expect((await transfer('session-unknown-1', { toAgentId: jane.agent.id }).expect(404)).body.message).toBe('Session not found');
      expect((await storedSession(t, session.sessionId))?.transfers).toHaveLength(1);
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
      await transfer(session.sessionId, { toAgentId: jane.agent.id }).expect(409);
    });
  });

  describe('PATCH /sessions/:sessionId/status', () => {
    const update = (sessionId: string, body: object) => t.http.patch(`${ADMIN}/sessions/${sessionId}/status`).set('Authorization', bearer(support)).send(body);

    it('updates the fields; closing sets endedAt and closed, reopening clears them', async () => {
      const session = await createSession(t);
      const res = await update(session.sessionId, { status: 'closed', priority: 'high', department: 'billing', tags: [' refund ', 'urgent', 'refund'] }).expect(200);
      expect(res.body).toEqual({
        success: true,
        message: 'Session updated successfully',
        data: { sessionId: session.sessionId, status: 'closed', priority: 'high', department: 'billing', tags: ['refund', 'urgent'] },
      });
      const closed = await storedSession(t, session.sessionId);
      expect(closed).toMatchObject({ status: 'closed', closed: 1, endedAt: expect.any(Date) });
      expect(eventsOf('session.status_changed', session.sessionId)).toEqual([res.body.data]);

      await update(session.sessionId, { status: 'archived' }).expect(200);
      expect((await storedSession(t, session.sessionId))?.endedAt).toEqual(closed?.endedAt);

      await update(session.sessionId, { status: 'active' }).expect(200);
      const reopened = await storedSession(t, session.sessionId);
      expect(reopened).toMatchObject({ status: 'active', closed: 0 });
      expect(reopened?.endedAt).toBeUndefined();
      expect(reopened?.audit.at(-1)).toMatchObject({ action: 'session.updated', actor: support.agent.id, details: { status: 'active' } });
    });

    it.each([
      [{}, 'Nothing to update'],
      [{ status: 'done' }, 'status must be one of: pending, active, closed, archived'],
      [{ priority: 'p1' }, 'priority must be one of: low, medium, high, urgent'],
      [{ department: 'hr' }, 'department must be one of: general, sales, support, billing, technical'],
      [{ tags: 'refund' }, 'Tags must be at most 20 texts of 1 to 50 characters'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'Tags must be at most 20 texts of 1 to 50 characters'],
      [{ tags: ['x'.repeat(51)] }, 'Tags must be at most 20 texts of 1 to 50 characters'],
      [{ tags: [''] }, 'Tags must be at most 20 texts of 1 to 50 characters'],
      [{ tags: [{ $ne: 1 }] }, 'Tags must be at most 20 texts of 1 to 50 characters'],
    ])('400 for %j', async (body, message) => {
      const session = await createSession(t);
      expect((await update(session.sessionId, body).expect(400)).body.message).toBe(message);
      expect(await storedSession(t, session.sessionId)).toMatchObject({ status: 'pending', priority: 'medium', tags: [] });
    });

    it('404 for an unknown session', async () => {
      await update('session-unknown-1', { priority: 'low' }).expect(404);
    });
  });

  describe('POST /sessions/:sessionId/notes', () => {
    const note = (sessionId: string, body: object) => t.http.post(`${ADMIN}/sessions/${sessionId}/notes`).set('Authorization', bearer(support)).send(body);

    it('adds a note that no guest endpoint ever shows', async () => {
      const session = await createSession(t);
      const res = await note(session.sessionId, { content: '  Customer mentioned they have a premium subscription ' }).expect(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Note added successfully',
        data: { _id: expect.any(String), content: 'Customer mentioned they have a premium subscription', addedBy: support.agent.id, addedAt: ISO_TIMESTAMP },
      });
      const guestResponses = await Promise.all([
        t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)),
        t.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)),
        t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)),
      ]);
      for (const guestRes of guestResponses) {
        expect(guestRes.status).toBe(200);
        expect(JSON.stringify(guestRes.body)).not.toMatch(/premium|notes|audit/);
      }
      expect(JSON.stringify(events.filter((e) => (e.payload as { sessionId?: string }).sessionId === session.sessionId))).not.toContain('premium');
    });

    it.each([
      [{}, 'Note content is required'],
      [{ content: '   ' }, 'Note content is required'],
      [{ content: 'x'.repeat(5001) }, 'Note cannot exceed 5000 characters'],
    ])('400 for %j', async (body, message) => {
      const session = await createSession(t);
      expect((await note(session.sessionId, body).expect(400)).body.message).toBe(message);
    });

    it('404 for an unknown session', async () => {
      await note('session-unknown-1', { content: 'x' }).expect(404);
    });
  });

  describe('GET /customers/:email/history', () => {
    it('finds every session of the email, however it was typed, newest first', async () => {
      const m = marker();
      const first = await createSession(t, { user: { email: `Cust-${m}@Example.com` } });
      await t.http.post(`/api/live-chat/sessions/${first.sessionId}/rate`).set(guestHeaders(first)).send({ score: 4 }).expect(200);
      await t.http.patch(`/api/live-chat/sessions/${first.sessionId}/end`).set(guestHeaders(first)).expect(200);
      const second = await createSession(t, { user: { email: `cust-${m}@example.com` } });
      await createSession(t, { user: { email: `someone-${m}@example.com` } });

      const res = await t.http.get(`${ADMIN}/customers/${encodeURIComponent(`CUST-${m}@EXAMPLE.COM`)}/history`).set('Authorization', bearer(support)).expect(200);
      expect(res.body).toEqual({
        success: true,
        count: 2,
        total: 2,
        page: 1,
        pages: 1,
        data: [
          { sessionId: second.sessionId, status: 'pending', messageCount: 1, createdAt: ISO_TIMESTAMP },
          { sessionId: first.sessionId, status: 'closed', messageCount: 1, rating: { score: 4 }, createdAt: ISO_TIMESTAMP, endedAt: ISO_TIMESTAMP },
        ],
      });
      const paged = await t.http.get(`${ADMIN}/customers/cust-${m}@example.com/history`).query({ limit: 1, page: 2 }).set('Authorization', bearer(support)).expect(200);
      expect(paged.body).toMatchObject({ count: 1, total: 2, page: 2, pages: 2, data: [{ sessionId: first.sessionId }] });
    });

    it('400 for an invalid email or paging', async () => {
      expect((await t.http.get(`${ADMIN}/customers/not-an-email/history`).set('Authorization', bearer(support)).expect(400)).body.message).toBe('Please provide a valid email');
      await t.http.get(`${ADMIN}/customers/a@example.com/history`).query({ limit: 500 }).set('Authorization', bearer(support)).expect(400);
    });
  });

  describe('DELETE /sessions/:sessionId', () => {
    it('403 for support agents', async () => {
      const session = await createSession(t);
      const res = await t.http.delete(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(support)).expect(403);
      expect(res.body.success).toBe(false);
      expect(await storedSession(t, session.sessionId)).not.toBeNull();
    });

    it.each([
      ['admin', () => admin],
      ['super_admin', () => superAdmin],
    ])('%s deletes the session and all its messages; 404 afterwards', async (_role, agent) => {
      const session = await createSession(t);
      await sendGuestMessage(t, session, 'bye');
      const res = await t.http.delete(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(agent())).expect(200);
      expect(res.body).toEqual({ success: true, message: 'Session and all messages deleted successfully' });
      expect(await storedSession(t, session.sessionId)).toBeNull();
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: session.sessionId })).toBe(0);
      expect(eventsOf('session.deleted', session.sessionId)).toEqual([{ sessionId: session.sessionId }]);
      await t.http.get(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(support)).expect(404);
      // The guest token died with the session (it is bound to the session's secret).
      const guest = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(401);
      expect(guest.body).toEqual({ success: false, message: 'Invalid guest token' });
      await t.http.delete(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(agent())).expect(404);
    });
  });
});
