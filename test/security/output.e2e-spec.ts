import { AgentRole } from '../../src/common/access/agent-role';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, recordEvents, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';
import { expectNoLeak, leaksIn } from './support/leaks';
import { fillPath, operationsOf } from './support/openapi';

const MAX_LENGTH = 300;

/**
 * Headers every HTTP answer carries, success or error (src/common/http/security-headers.ts); JSON
 * answers get the API policy: nothing framed or loaded from them, never stored, no ETag.
 */
function expectSecurityHeaders(res: { headers: Record<string, string | undefined> }, what: string): void {
  const h = res.headers;
  const json = /^application\/json/.test(h['content-type'] ?? '');
  const missing = [
    ['x-content-type-options', h['x-content-type-options'] === 'nosniff'],
    ['x-frame-options', /^(DENY|SAMEORIGIN)$/.test(h['x-frame-options'] ?? '')],
    ['content-security-policy', /default-src/.test(h['content-security-policy'] ?? '')],
    ['strict-transport-security', /max-age=\d+/.test(h['strict-transport-security'] ?? '')],
    ['referrer-policy', Boolean(h['referrer-policy'])],
    ['cross-origin-resource-policy', Boolean(h['cross-origin-resource-policy'])],
    ['no x-powered-by', h['x-powered-by'] === undefined],
    ...(json
      ? [
          ['API content-security-policy', h['content-security-policy'] === "default-src 'none';frame-ancestors 'none'"],
          ['x-frame-options DENY', h['x-frame-options'] === 'DENY'],
          ['cache-control no-store', h['cache-control'] === 'no-store'],
          ['no etag', h['etag'] === undefined],
        ]
      : []),
  ]
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  if (missing.length > 0) throw new Error(`${what}: missing or wrong ${missing.join(', ')}`);
}

describe('security: output', () => {
  let t: TestApp;
  let session: TestSession;
  let agent: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { MESSAGE_MAX_LENGTH: String(MAX_LENGTH) } });
    session = await createSession(t);
    agent = await createAgent(t, { role: AgentRole.Admin, email: 'private.agent@company.example' });
  });
  afterAll(() => t.destroy());

  describe('every response', () => {
    it('(the leak detector used everywhere recognises internals and passes ordinary text)', () => {
      for (const text of [
        'RangeError: x\n    at ValidationPipe.stripProtoKeys (/work/main/node_modules/@nestjs/common/pipes/validation.pipe.js:291:9)',
        'E11000 duplicate key error collection: t.livechatsessions',
        '[handlerparams.go:131 handlerparams.GetValidatedNumberParamWithMinValue] infinity',
        'Cast to ObjectId failed for value',
        'ENOENT: no such file, open "/tmp/live-chat-test-1/uploads/x"',
      ]) {
        expect(leaksIn(text)).not.toEqual([]);
      }
      expect(leaksIn(JSON.stringify({ success: false, message: 'Session not found', url: 'https://example.com/app/pricing' }))).toEqual([]);
    });

    it('carries the security headers and no internals, on every documented operation', async () => {
      const target = await createSession(t);
      for (const op of await operationsOf(t)) {
        const url = fillPath(op.path, { sessionId: target.sessionId, id: agent.agent.id, email: 'x@example.com', attachmentId: 'a'.repeat(32), name: 'x.txt' });
        for (const headers of [{}, op.agentOnly ? { Authorization: bearer(agent) } : guestHeaders(target)]) {
          const res = await t.http[op.method](url).set(headers).send(op.multipart ? undefined : {});
          expectSecurityHeaders(res, `${op.name} (${res.status})`);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/json/);
            expect(res.body).toEqual(expect.objectContaining({ success: false, message: expect.any(String) }));
          }
          expect(res.status).toBeLessThan(500);
          expectNoLeak(res.body);
        }
      }
    });

    it('serves Swagger UI with the document policy its inline script needs, and only it', async () => {
      const page = await t.http.get('/api/docs/').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
      expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
      expectSecurityHeaders(page, 'GET /api/docs/');
      const api = await t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200);
      expect(api.headers['content-security-policy']).not.toContain('unsafe-inline');
      expectSecurityHeaders(api, 'GET a session');
    });

    it.each([
      ['malformed JSON', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send('{"user":')],
      ['invalid UTF-8', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
      ['an unknown charset', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json; charset=utf-1000').send('{}')],
      ['a body over the limit', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send(`{"x":"${'a'.repeat(200_000)}"}`)],
      ['a deeply nested body', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send(`{"user":${'['.repeat(20000)}${']'.repeat(20000)}}`)],
      ['XML', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/xml').send('<user/>')],
      ['a JSON array body', (r: any) => r.post('/api/live-chat/sessions').send([{ user: { name: 'a', email: 'a@example.com' } }])],
      ['a JSON string body', (r: any) => r.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send('"just a string"')],
      ['huge numbers', (r: any) => r.get(`/api/live-chat/sessions/${session.sessionId}/messages?page=1e400&limit=-0`).set(guestHeaders(session))],
      ['an unknown route', (r: any) => r.get('/api/live-chat/%00/../../etc/passwd')],
      ['an unsupported method', (r: any) => r.put(`/api/live-chat/sessions/${session.sessionId}`)],
      ['a malformed percent-encoding', (r: any) => r.get('/api/live-chat/sessions/%E0%A4%A')],
    ])('%s → a 4xx envelope with headers and no internals', async (_label, request) => {
      const res = await request(t.http);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(expect.objectContaining({ success: false, message: expect.any(String) }));
      expectSecurityHeaders(res, _label);
      expectNoLeak(res.text);
    });

    it('refuses absurd page numbers on every paginated list with 400 (not a driver error)', async () => {
      const lists = (await operationsOf(t)).filter((op) => op.method === 'get' && op.queryParams.includes('page'));
      expect(lists.length).toBeGreaterThanOrEqual(4);
      for (const op of lists) {
        const url = fillPath(op.path, { sessionId: session.sessionId, id: agent.agent.id, email: 'x@example.com' });
        for (const page of ['6.9e307', '1000001', '9007199254740993']) {
          const res = await t.http.get(`${url}?page=${page}`).set(op.agentOnly ? { Authorization: bearer(agent) } : guestHeaders(session));
          expect([op.name, page, res.status]).toEqual([op.name, page, 400]);
          expectNoLeak(res.body);
        }
      }
    });

    it('a deeply nested body is refused with a clear 400', async () => {
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).set('Content-Type', 'application/json').send(`{"content":"x","extra":${'['.repeat(50)}${']'.repeat(50)}}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, message: 'Request body is nested too deeply' });
    });

    it('prototype keys in bodies pollute nothing', async () => {
      await t.http
        .post(`/api/live-chat/sessions/${session.sessionId}/messages`)
        .set(guestHeaders(session))
        .set('Content-Type', 'application/json')
        .send('{"content":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
        .expect(201);
      await t.http.post('/api/live-chat/sessions').set('Content-Type', 'application/json').send('{"user":{"name":"p","email":"p@example.com","__proto__":{"polluted":true}}}').expect(201);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('nothing of one party in another’s responses or events', () => {
    it('agents never see guest tokens: not in admin responses, socket events or bus events', async () => {
      const events = recordEvents(t);
      const socket = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: agent.token } });
      try {
        const fresh = await createSession(t, { user: { name: 'Token Owner', email: 'owner@example.com' } });
        await t.http.post(`/api/live-chat/sessions/${fresh.sessionId}/messages`).set(guestHeaders(fresh)).send({ content: 'hello agents' }).expect(201);
        await socket.waitFor((frame) => frame.type === 'user_message' && frame.sessionId === fresh.sessionId);
        const adminViews = await Promise.all([
          t.http.get('/api/admin/live-chat/sessions').set('Authorization', bearer(agent)),
          t.http.get(`/api/admin/live-chat/sessions/${fresh.sessionId}`).set('Authorization', bearer(agent)),
          t.http.get('/api/admin/live-chat/customers/owner%40example.com/history').set('Authorization', bearer(agent)),
        ]);
        for (const text of [JSON.stringify(socket.frames), JSON.stringify(events), ...adminViews.map((res) => res.text)]) {
          expect(text).not.toContain(fresh.guestToken);
          expect(text).not.toContain(fresh.guestToken.split('.')[1]);
        }
        expect(adminViews.map((res) => res.status)).toEqual([200, 200, 200]);
      } finally {
        socket.terminate();
      }
    });

    it('guests never see agent emails: not in session views, messages or socket events', async () => {
      const fresh = await createSession(t);
      const socket = await WsTestClient.open(t.wsUrl, { query: { sessionId: fresh.sessionId, token: fresh.guestToken } });
      try {
        await t.http.patch(`/api/admin/live-chat/sessions/${fresh.sessionId}/assign`).set('Authorization', bearer(agent)).send({ agentId: agent.agent.id, agentName: 'Private Agent' }).expect(200);
        await t.http.post(`/api/admin/live-chat/sessions/${fresh.sessionId}/reply`).set('Authorization', bearer(agent)).send({ content: 'hi there' }).expect(201);
        await t.http.post(`/api/admin/live-chat/sessions/${fresh.sessionId}/notes`).set('Authorization', bearer(agent)).send({ content: 'internal: VIP' }).expect(201);
        await socket.next('agent_message');
        const views = await Promise.all([
          t.http.get(`/api/live-chat/sessions/${fresh.sessionId}`).set(guestHeaders(fresh)),
          t.http.get(`/api/live-chat/sessions/${fresh.sessionId}/messages`).set(guestHeaders(fresh)),
        ]);
        for (const text of [JSON.stringify(socket.frames), ...views.map((res) => res.text)]) {
          expect(text).not.toContain(agent.agent.email);
          expect(text).not.toContain('internal: VIP');
        }
        expect(views[0].body.data.assignedAgent).toEqual({ _id: agent.agent.id, firstName: agent.agent.firstName, lastName: agent.agent.lastName });
      } finally {
        socket.terminate();
      }
    });
  });

  describe('user text', () => {
    const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> {{constructor.constructor('alert(1)')()}} '; DROP TABLE x; -- \u202eevil ✓ 😀`;

    it('stores and returns message text exactly as given (clients escape), as JSON', async () => {
      const sent = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: hostile }).expect(201);
      expect(sent.headers['content-type']).toMatch(/^application\/json/);
      expect(sent.body.data.content).toBe(hostile);
      const listed = await t.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).expect(200);
      expect(listed.body.data.map((m: { content: string }) => m.content)).toContain(hostile);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: session.sessionId, content: hostile })).toBe(1);
    });

    it('stores names exactly as given too', async () => {
      const name = '<b onmouseover=alert(1)>Zoë</b>';
      const created = await createSession(t, { user: { name } });
      expect(created.data.session.user.name).toBe(name);
      expect(created.data.welcomeMessage.content).toBe(`Welcome ${name}! A support agent will be with you shortly.`);
    });

    it('keeps guest-supplied URLs to http(s): no javascript: or data: link reaches an agent’s dashboard', async () => {
      for (const pageUrl of ['javascript:alert(document.cookie)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '//evil.example/x']) {
        const res = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'Url', email: 'url@example.com' }, pageUrl });
        expect(res.status).toBe(400);
        expect(res.body).toEqual(expect.objectContaining({ success: false, message: 'pageUrl must be an http(s) URL' }));
      }
      const res = await t.http
        .post('/api/live-chat/sessions')
        .set('Referer', 'javascript:alert(1)')
        .send({ user: { name: 'Url', email: 'url@example.com' }, pageUrl: 'http://localhost:3000/pricing?a=1' })
        .expect(201);
      expect(res.body.data.session.user.metadata.pageUrl).toBe('http://localhost:3000/pricing?a=1');
      expect(res.body.data.session.user.metadata.referrer).toBeUndefined();
      const stored = await t.connection.collection('livechatsessions').findOne({ sessionId: res.body.data.session.sessionId });
      expect(stored?.user.metadata.referrer).toBeUndefined();
    });

    it('enforces the documented maximum length (MESSAGE_MAX_LENGTH characters)', async () => {
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'x'.repeat(MAX_LENGTH) }).expect(201);
      const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content: 'x'.repeat(MAX_LENGTH + 1) }).expect(400);
      expect(res.body.success).toBe(false);
      const documented = (await t.http.get('/api/docs-json')).body.components.schemas.SendMessageDto.properties.content;
      expect(JSON.stringify(documented)).toMatch(/MESSAGE_MAX_LENGTH|maxLength/);
    });
  });
});
