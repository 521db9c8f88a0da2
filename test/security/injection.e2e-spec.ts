import { AgentRole } from '../../src/common/access/agent-role';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';
import { expectNoLeak } from './support/leaks';
import { fillPath, Operation, operationsOf } from './support/openapi';

/** Operator objects an attacker puts where a value is expected (NoSQL injection). */
const OPERATORS: Record<string, unknown>[] = [
  { $ne: null },
  { $gt: '' },
  { $regex: '.*' },
  { $where: 'return true' },
  { $expr: { $eq: [1, 1] } },
  { $in: [] },
];

/** A valid body per operation, so that the injected field is the only thing wrong with it. */
function validBody(op: Operation, ctx: { agentId: string; unique: string }): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /api/live-chat/sessions': { user: { name: 'Inj Ection', email: `inj-${ctx.unique}@example.com`, phone: '+1234567890' }, pageUrl: 'https://example.com' },
    'POST /api/live-chat/sessions/{sessionId}/messages': { content: 'hello', clientMessageId: `c-${ctx.unique}` },
    'PATCH /api/live-chat/sessions/{sessionId}/end': { rating: 5, feedback: 'fine' },
    'POST /api/live-chat/sessions/{sessionId}/rate': { score: 5, feedback: 'fine' },
    'POST /api/live-chat/sessions/{sessionId}/typing': { isTyping: true },
    'POST /api/auth/login': { email: 'nobody@example.com', password: 'long-enough-password' },
    'POST /api/admin/live-chat/agents': { firstName: 'New', lastName: 'Agent', email: `new-${ctx.unique}@example.com`, password: 'long-enough-password' },
    'PATCH /api/admin/live-chat/agents/{id}': { firstName: 'Renamed' },
    'PATCH /api/admin/live-chat/agents/me/availability': { availability: 'online' },
    'POST /api/admin/live-chat/sessions/{sessionId}/reply': { content: 'hello' },
    'PATCH /api/admin/live-chat/sessions/{sessionId}/assign': { agentId: ctx.agentId, agentName: 'Some Agent' },
    'PATCH /api/admin/live-chat/sessions/{sessionId}/status': { status: 'active', priority: 'high', department: 'sales', tags: ['a'] },
    'POST /api/admin/live-chat/sessions/{sessionId}/notes': { content: 'note' },
    'POST /api/admin/live-chat/sessions/{sessionId}/transfer': { toAgentId: ctx.agentId, toAgentName: 'Some Agent', reason: 'why' },
  };
  return { ...(bodies[op.name] ?? {}) };
}

/** Every key anywhere in a stored document; none may start with `$`. */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => keysOf(item, into));
  else if (value && typeof value === 'object' && !(value instanceof Date) && value.constructor?.name !== 'ObjectId') {
    for (const [key, child] of Object.entries(value)) {
      into.push(key);
      keysOf(child, into);
    }
  }
  return into;
}

describe('security: injection', () => {
  let t: TestApp;
  let operations: Operation[];
  let root: TestAgent;
  let other: TestAgent;
  let counter = 0;
  const unique = () => `${Date.now()}-${counter++}`;

  beforeAll(async () => {
    t = await createTestApp();
    operations = await operationsOf(t);
    root = await createAgent(t, { role: AgentRole.SuperAdmin });
    other = await createAgent(t);
  });
  afterAll(() => t.destroy());

  /** A request to the operation as its legitimate caller: the operation's own session and its guest token, or the super_admin. */
  const sessionsByOperation = new Map<string, TestSession>();
  async function legitimate(op: Operation) {
    const session = sessionsByOperation.get(op.name) ?? (await createSession(t));
    sessionsByOperation.set(op.name, session);
    const url = fillPath(op.path, { sessionId: session.sessionId, id: other.agent.id, email: 'nobody@example.com', attachmentId: '0'.repeat(24), name: 'x.txt' });
    const req = t.http[op.method](url);
    req.set(op.agentOnly ? { Authorization: bearer(root) } : guestHeaders(session));
    return { req, session };
  }

  const jsonOperations = () => operations.filter((op) => op.bodyProps.length > 0);

  it('finds JSON bodies to attack in the OpenAPI document', () => {
    expect(jsonOperations().map((op) => op.name)).toEqual(
      expect.arrayContaining(['POST /api/live-chat/sessions', 'POST /api/live-chat/sessions/{sessionId}/messages', 'POST /api/auth/login']),
    );
  });

  it('refuses a $-operator object in every JSON body field of every endpoint with 400', async () => {
    const failures: string[] = [];
    for (const op of jsonOperations()) {
      for (const field of op.bodyProps) {
        for (const operator of OPERATORS) {
          const { req } = await legitimate(op);
          const res = await req.send({ ...validBody(op, { agentId: other.agent.id, unique: unique() }), [field]: operator });
          if (res.status !== 400) failures.push(`${op.name} ${field}=${JSON.stringify(operator)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          expectNoLeak(res.body);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses operators in nested fields (user.name, user.email, user.phone)', async () => {
    for (const field of ['name', 'email', 'phone']) {
      for (const operator of OPERATORS) {
        const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'A', email: 'a@example.com', [field]: operator } });
        expect(res.status).toBe(400);
        expectNoLeak(res.body);
      }
    }
  });

  it('login with operator objects never authenticates', async () => {
    for (const body of [
      { email: { $ne: null }, password: { $ne: null } },
      { email: { $regex: '.*' }, password: 'x' },
      { email: root.agent.email, password: { $ne: 'wrong' } },
      { email: [root.agent.email], password: [root.password] },
    ]) {
      const res = await t.http.post('/api/auth/login').send(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain('accessToken');
    }
  });

  it('stores no $-key anywhere after all of the above', async () => {
    for (const name of ['livechatsessions', 'livechatmessages', 'agents']) {
      const documents = await t.connection.collection(name).find({}).toArray();
      expect(keysOf(documents).filter((key) => key.startsWith('$'))).toEqual([]);
    }
  });

  it('ignores or refuses bracket operators and repeated parameters in every query string, never widening a list', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((candidate) => candidate.queryParams.length > 0 && candidate.method === 'get')) {
      const { req: plainReq } = await legitimate(op);
      const plain = await plainReq;
      for (const param of op.queryParams) {
        for (const query of [`${param}[$ne]=x`, `${param}[$regex]=.*`, `${param}[$where]=1`, `${param}[$gt]=`, `${param}=a&${param}=b`, `${param}=%7B%22%24ne%22%3Anull%7D`]) {
          const { req } = await legitimate(op);
          req.url += `?${query}`;
          const res = await req;
          expectNoLeak(res.body);
          if (res.status >= 500) failures.push(`${op.name}?${query}: ${res.status}`);
          if (res.status === 200 && typeof res.body.total === 'number' && typeof plain.body.total === 'number' && res.body.total > plain.body.total) {
            failures.push(`${op.name}?${query} widened the list: ${res.body.total} > ${plain.body.total}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('treats operator-looking path parameters as plain, non-matching values', async () => {
    const session = await createSession(t);
    const failures: string[] = [];
    for (const op of operations.filter((candidate) => candidate.pathParams.length > 0)) {
      for (const value of ['{"$ne":null}', '[$ne]', '.*', '$where', '..%2F..%2Fetc%2Fpasswd']) {
        const values = { sessionId: value, id: value, email: value, attachmentId: value, name: value };
        const req = t.http[op.method](fillPath(op.path, values)).set(op.agentOnly ? { Authorization: bearer(root) } : guestHeaders(session));
        const res = await req.send(validBody(op, { agentId: other.agent.id, unique: unique() }));
        expectNoLeak(res.body);
        if (![400, 401, 403, 404].includes(res.status)) failures.push(`${op.name} with ${value}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  describe('search', () => {
    const list = (query: Record<string, string>) => t.http.get('/api/admin/live-chat/sessions').query(query).set('Authorization', bearer(root));

    beforeAll(async () => {
      await createSession(t, { user: { name: '(USD)+tax Price', email: 'literal.match@example.com' } });
      await createSession(t, { user: { name: 'Plain Person', email: 'plain@example.com' } });
    });

    it('matches regex metacharacters literally', async () => {
      const hit = await list({ search: '(USD)+' }).expect(200);
      expect(hit.body.data.map((s: { user: { name: string } }) => s.user.name)).toEqual(['(USD)+tax Price']);
      for (const pattern of ['.*', '^P', 'Pl.in', '[a-z]+', '\\w', 'a|b', '$']) {
        const res = await list({ search: pattern }).expect(200);
        expect(res.body.total).toBe(0);
      }
    });

    it('answers catastrophic patterns and huge inputs promptly, as a literal miss or a 400', async () => {
      for (const pattern of ['(a+)+$', '(a|aa)+$', '(.*a){25}', `${'a'.repeat(5000)}!`, '((((((((((x))))))))))*'.repeat(20)]) {
        const res = await list({ search: pattern }).timeout(10_000);
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) expect(res.body.total).toBe(0);
        expectNoLeak(res.body);
      }
    });

    it('keeps the status counts and totals of a search consistent with its rows', async () => {
      const res = await list({ search: 'literal.match@' }).expect(200);
      expect(res.body.total).toBe(1);
      const counts = Object.values(res.body.statusCounts as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(counts).toBe(1);
    });

    it('customer history takes the email literally', async () => {
      for (const email of ['.*', '.*@example.com', '{"$ne":null}', 'plain@example\\.com']) {
        const res = await t.http.get(`/api/admin/live-chat/customers/${encodeURIComponent(email)}/history`).set('Authorization', bearer(root));
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) expect(res.body.total).toBe(0);
      }
      const real = await t.http.get(`/api/admin/live-chat/customers/${encodeURIComponent('PLAIN@example.com')}/history`).set('Authorization', bearer(root)).expect(200);
      expect(real.body.total).toBe(1);
    });
  });

  describe('WebSocket payloads', () => {
    it('refuses operator objects in every field of every client frame, and acts on nothing', async () => {
      const session = await createSession(t);
      const sent = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'unread' }).expect(201);
      const guest = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
      const agent = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: root.token } });
      try {
        const frames = [
          { type: { $ne: null } },
          { type: 'typing', isTyping: { $ne: null } },
          { type: 'typing', isTyping: true, sessionId: { $ne: null } },
          { type: 'read_receipt', messageId: { $ne: null } },
          { type: 'read_receipt', messageId: { $gt: '' }, sessionId: session.sessionId },
          { type: 'resume', afterSeq: { $gt: -1 } },
          { type: 'subscribe_session', sessionId: { $ne: null } },
          { type: 'subscribe_session', sessionId: { $regex: '.*' } },
        ];
        for (const frame of frames) {
          guest.send(frame);
          agent.send(frame);
        }
        await guest.roundTrip();
        await agent.roundTrip();
        expect(guest.received('error').length).toBe(frames.length);
        expect(agent.received('error').length).toBe(frames.length);
        for (const frame of [...guest.frames, ...agent.frames]) expectNoLeak(frame);
        const stored = await t.connection.collection('livechatmessages').findOne({ sessionId: session.sessionId, seq: sent.body.data.seq });
        expect(stored?.isRead).toBe(false);
      } finally {
        guest.terminate();
        agent.terminate();
      }
    });
  });
});
