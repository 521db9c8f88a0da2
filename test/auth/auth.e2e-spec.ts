import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { AgentsService } from '../../src/agents/agents.service';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createTestApp, TEST_JWT_SECRET, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';
import { claims, craftToken, hmac, now, platformToken, rsa } from './tokens';

const me = (t: TestApp, authorization?: string) => {
  const req = t.http.get('/api/auth/me');
  return authorization === undefined ? req : req.set('Authorization', authorization);
};

describe('auth: login and tokens', () => {
  let t: TestApp;
  let support: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    support = await createAgent(t, { firstName: 'Jane', lastName: 'Smith', email: 'Jane.Smith@Company.com' });
  });
  afterAll(() => t.destroy());

  describe('POST /api/auth/login', () => {
    it('returns a token, its lifetime and the agent, never the password hash', async () => {
      const res = await t.http.post('/api/auth/login').send({ email: '  JANE.smith@company.com ', password: support.password }).expect(200);
      expect(res.body).toMatchObject({
        success: true,
        message: 'Login successful',
        data: {
          accessToken: expect.any(String),
          expiresIn: 28800,
          agent: { _id: support.agent.id, firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@company.com', role: 'support', active: true, source: 'local' },
        },
      });
      expect(res.body.data.agent.lastLoginAt).toEqual(expect.any(String));
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
      const profile = await me(t, `Bearer ${res.body.data.accessToken}`).expect(200);
      expect(profile.body.data._id).toBe(support.agent.id);
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const wrong = await t.http.post('/api/auth/login').send({ email: 'jane.smith@company.com', password: 'not-the-password' }).expect(401);
      const unknown = await t.http.post('/api/auth/login').send({ email: 'nobody@company.com', password: 'not-the-password' }).expect(401);
      expect(wrong.body).toEqual({ success: false, message: 'Invalid email or password' });
      expect(unknown.body).toEqual(wrong.body);
      expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
    });

    it('refuses a deactivated agent with the same answer', async () => {
      const gone = await createAgent(t);
      await t.app.get(AgentsService).update({ ...gone.agent, role: AgentRole.SuperAdmin, id: '0'.repeat(24) }, gone.agent.id, { active: false });
      const res = await t.http.post('/api/auth/login').send({ email: gone.agent.email, password: gone.password }).expect(401);
      expect(res.body).toEqual({ success: false, message: 'Invalid email or password' });
    });

    it('refuses agents provisioned from external tokens (they have no password here)', async () => {
      await me(t, `Bearer ${platformToken({ sub: 'aaaaaaaaaaaaaaaaaaaaaaa1', email: 'nopass@platform.example' })}`).expect(200);
      const res = await t.http.post('/api/auth/login').send({ email: 'nopass@platform.example', password: 'anything-at-all' }).expect(401);
      expect(res.body.message).toBe('Invalid email or password');
    });

    it.each([
      [{}, 'Email and password are required'],
      [{ email: 'jane.smith@company.com' }, 'Email and password are required'],
      [{ email: { $ne: null }, password: { $ne: null } }, 'Email and password are required'],
      [{ email: 'jane.smith@company.com', password: 'x'.repeat(129) }, 'Invalid email or password'],
    ])('400 for %j', async (body, message) => {
      const res = await t.http.post('/api/auth/login').send(body).expect(400);
      expect(res.body).toMatchObject({ success: false, message });
    });
  });

  describe('GET /api/auth/me', () => {
    it('returns the agent behind the token', async () => {
      const res = await me(t, bearer(support)).expect(200);
      expect(res.body).toEqual({ success: true, data: expect.objectContaining({ _id: support.agent.id, email: 'jane.smith@company.com', role: 'support' }) });
      expect(res.body.data.passwordHash).toBeUndefined();
    });

    it.each([
      ['no header', undefined],
      ['an empty bearer', 'Bearer '],
      ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ])('401 "No token, authorization denied" with %s', async (_name, header) => {
      const res = await me(t, header).expect(401);
      expect(res.body).toEqual({ success: false, message: 'No token, authorization denied' });
    });

    const sub = () => support.agent.id;
    it.each<[string, () => string, string]>([
      ['garbage', () => 'not.a.jwt', 'Token is not valid'],
      ['a forged signature (wrong secret)', () => craftToken({ alg: 'HS256' }, claims({ sub: sub() }), hmac('sha256', 'another-secret-another-secret-another')), 'Token is not valid'],
      ['an expired token', () => craftToken({ alg: 'HS256' }, claims({ sub: sub(), iat: now() - 7200, exp: now() - 3600 }), hmac('sha256', TEST_JWT_SECRET)), 'Token has expired'],
      ['alg none', () => craftToken({ alg: 'none' }, claims({ sub: sub() }), () => ''), 'Token is not valid'],
      ['alg None with a signature', () => craftToken({ alg: 'None' }, claims({ sub: sub() }), hmac('sha256', TEST_JWT_SECRET)), 'Token is not valid'],
      ['HS512 with the right secret', () => craftToken({ alg: 'HS512' }, claims({ sub: sub() }), hmac('sha512', TEST_JWT_SECRET)), 'Token is not valid'],
      ['RS256 without a configured public key', () => craftToken({ alg: 'RS256' }, claims({ sub: sub() }), rsa(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)), 'Token is not valid'],
      ['a tampered payload', () => { const [h, , s] = platformToken({ sub: sub() }).split('.'); return `${h}.${Buffer.from(JSON.stringify(claims({ sub: sub(), role: 'super_admin' }))).toString('base64url')}.${s}`; }, 'Token is not valid'],
      ['a malformed sub', () => platformToken({ sub: 'agent123' }), 'Token is not valid'],
      ['no sub', () => platformToken({ sub: undefined }), 'Token is not valid'],
      ['no expiry', () => platformToken({ sub: sub(), exp: undefined }), 'Token is not valid'],
    ])('401 for %s', async (_name, token, message) => {
      const res = await me(t, `Bearer ${token()}`).expect(401);
      expect(res.body).toEqual({ success: false, message });
    });

    it.each([['owner'], ['guest'], [''], [undefined]])('403 for role %j', async (role) => {
      const res = await me(t, `Bearer ${platformToken({ sub: support.agent.id, role })}`).expect(403);
      expect(res.body).toEqual({ success: false, message: 'Access denied: role must be one of super_admin, admin, support' });
    });

    it('uses the stored role of a built-in agent, not the role claimed by its token', async () => {
      const token = platformToken({ sub: support.agent.id, role: 'super_admin' });
      const res = await me(t, `Bearer ${token}`).expect(200);
      expect(res.body.data.role).toBe('support');
      await t.http.post('/api/admin/live-chat/agents').set('Authorization', `Bearer ${token}`).send({ firstName: 'X', email: 'x@y.io', password: 'password-123' }).expect(403);
    });

    it('401 at once for a deactivated agent, and its old tokens stay dead after re-activation', async () => {
      const agent = await createAgent(t);
      await me(t, bearer(agent)).expect(200);
      const system = { ...agent.agent, id: '0'.repeat(24), role: AgentRole.SuperAdmin };
      await t.app.get(AgentsService).deactivate(system, agent.agent.id);
      expect((await me(t, bearer(agent)).expect(401)).body).toEqual({ success: false, message: 'Agent account is deactivated' });
      await t.app.get(AgentsService).update(system, agent.agent.id, { active: true });
      expect((await me(t, bearer(agent)).expect(401)).body.message).toBe('Token has been revoked, please log in again');
      const login = await t.http.post('/api/auth/login').send({ email: agent.agent.email, password: agent.password }).expect(200);
      await me(t, `Bearer ${login.body.data.accessToken}`).expect(200);
    });
  });

  describe('tokens from an external platform (same secret)', () => {
    const sub = '6650aaaaaaaaaaaaaaaaaaaa';

    it('creates the agent profile from the claims of an unknown agent, then refreshes it', async () => {
      const first = await me(t, `Bearer ${platformToken({ sub, role: 'admin', firstName: 'Paula', lastName: 'Ext', email: 'Paula@Platform.example', avatar: 'https://cdn.example/p.png' })}`).expect(200);
      expect(first.body.data).toMatchObject({ _id: sub, role: 'admin', firstName: 'Paula', lastName: 'Ext', email: 'paula@platform.example', avatar: 'https://cdn.example/p.png', source: 'external', active: true });

      const second = await me(t, `Bearer ${platformToken({ sub, role: 'support', firstName: 'Paula', lastName: 'Renamed', email: 'paula@platform.example' })}`).expect(200);
      expect(second.body.data).toMatchObject({ _id: sub, role: 'support', lastName: 'Renamed', avatar: null });

      const listed = await t.http.get('/api/admin/live-chat/agents').set('Authorization', bearer(support)).expect(200);
      expect(listed.body.data.filter((a: { _id: string }) => a._id === sub)).toHaveLength(1);
    });

    it('provisions once when the first requests arrive together', async () => {
      const id = '6650bbbbbbbbbbbbbbbbbbbb';
      const token = `Bearer ${platformToken({ sub: id, email: 'together@platform.example' })}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => me(t, token)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect((await t.app.get(AgentsService).findManyByIds([id])).size).toBe(1);
    });

    it('401 when an unknown agent’s token lacks a valid email', async () => {
      const res = await me(t, `Bearer ${platformToken({ sub: '6650cccccccccccccccccccc', email: 'not-an-email' })}`).expect(401);
      expect(res.body.message).toBe('Token is not valid');
    });

    it('401 when the claimed email belongs to another agent', async () => {
      const res = await me(t, `Bearer ${platformToken({ sub: '6650dddddddddddddddddddd', email: 'jane.smith@company.com' })}`).expect(401);
      expect(res.body.message).toBe('Token email belongs to another agent');
      expect(await t.app.get(AgentsService).findById('6650dddddddddddddddddddd')).toBeNull();
    });

    it('a deactivated external agent stays deactivated whatever its tokens say', async () => {
      const id = '6650eeeeeeeeeeeeeeeeeeee';
      await me(t, `Bearer ${platformToken({ sub: id, email: 'leaver@platform.example' })}`).expect(200);
      await t.app.get(AgentsService).deactivate({ id: '0'.repeat(24), role: AgentRole.SuperAdmin, firstName: 'S', lastName: '', email: 's@x.io', avatar: null }, id);
      const res = await me(t, `Bearer ${platformToken({ sub: id, email: 'leaver@platform.example', iat: now() + 5 })}`).expect(401);
      expect(res.body.message).toBe('Agent account is deactivated');
    });
  });
});

describe('auth: the agent cache never outlives a change', () => {
  const AGENTS = '/api/admin/live-chat/agents';
  let t: TestApp;
  let superAdmin: TestAgent;

  beforeAll(async () => {
    // Far longer than the tests: only an invalidation, never expiry, can explain a refusal below.
    t = await createTestApp({ env: { AGENT_AUTH_CACHE_TTL_MS: '60000' } });
    superAdmin = await createAgent(t, { role: AgentRole.SuperAdmin });
  });
  afterAll(() => t.destroy());

  const list = (agent: TestAgent) => t.http.get(AGENTS).set('Authorization', bearer(agent));
  const patch = (actor: TestAgent, target: TestAgent, body: object) =>
    t.http.patch(`${AGENTS}/${target.agent.id}`).set('Authorization', bearer(actor)).send(body);

  it('is on: a deactivation written to the database behind AgentsService is not seen while cached', async () => {
    const agent = await createAgent(t);
    await list(agent).expect(200);
    await t.connection.collection('agents').updateOne({ _id: new Types.ObjectId(agent.agent.id) }, { $set: { active: false } });
    await list(agent).expect(200);
  });

  it('refuses a deactivated agent on the very next request, HTTP and WebSocket', async () => {
    const agent = await createAgent(t);
    await list(agent).expect(200);
    await t.http.delete(`${AGENTS}/${agent.agent.id}`).set('Authorization', bearer(superAdmin)).expect(200);
    expect((await list(agent).expect(401)).body.message).toBe('Agent account is deactivated');
    const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', userId: agent.agent.id, token: agent.token } });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).message).toBe('Agent account is deactivated');
  });

  it('applies a role change on the next request: a demoted admin loses admin routes, a promoted agent gains them', async () => {
    const admin = await createAgent(t, { role: AgentRole.Admin });
    const support = await createAgent(t);
    await patch(admin, support, { firstName: 'Renamed' }).expect(200);
    await patch(support, support, { firstName: 'Myself' }).expect(403);
    await patch(superAdmin, admin, { role: 'support' }).expect(200);
    await patch(superAdmin, support, { role: 'admin' }).expect(200);
    expect((await patch(admin, support, { firstName: 'Again' }).expect(403)).body.message).toBe('Access denied: insufficient permissions');
    await patch(support, admin, { firstName: 'Demoted' }).expect(200);
  });

  it('refuses tokens revoked by a password change on the next request, whoever changed it', async () => {
    const support = await createAgent(t);
    await list(support).expect(200);
    await patch(superAdmin, support, { password: 'reset-by-an-admin' }).expect(200);
    expect((await list(support).expect(401)).body.message).toBe('Token has been revoked, please log in again');

    const admin = await createAgent(t, { role: AgentRole.Admin });
    await list(admin).expect(200);
    await patch(admin, admin, { password: 'changed-by-myself' }).expect(200);
    expect((await list(admin).expect(401)).body.message).toBe('Token has been revoked, please log in again');
    const login = await t.http.post('/api/auth/login').send({ email: admin.agent.email, password: 'changed-by-myself' }).expect(200);
    await t.http.get(AGENTS).set('Authorization', `Bearer ${login.body.data.accessToken}`).expect(200);
  });
});

describe('auth: RS256 with JWT_PUBLIC_KEY', () => {
  let t: TestApp;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

  beforeAll(async () => {
    t = await createTestApp({ env: { JWT_PUBLIC_KEY: publicKey } });
  });
  afterAll(() => t.destroy());

  it('accepts RS256 tokens signed with the matching private key', async () => {
    const token = craftToken({ alg: 'RS256', typ: 'JWT' }, claims({ sub: '6651aaaaaaaaaaaaaaaaaaaa', email: 'rsa@platform.example' }), rsa(privateKey));
    const res = await me(t, `Bearer ${token}`).expect(200);
    expect(res.body.data).toMatchObject({ _id: '6651aaaaaaaaaaaaaaaaaaaa', source: 'external' });
  });

  it('still accepts HS256 tokens signed with JWT_SECRET', async () => {
    await me(t, `Bearer ${platformToken({ sub: '6651bbbbbbbbbbbbbbbbbbbb', email: 'hs@platform.example' })}`).expect(200);
  });

  it('refuses HS256 tokens signed with the public key as HMAC secret (algorithm confusion)', async () => {
    const token = craftToken({ alg: 'HS256' }, claims({ sub: '6651cccccccccccccccccccc' }), hmac('sha256', publicKey));
    expect((await me(t, `Bearer ${token}`).expect(401)).body.message).toBe('Token is not valid');
  });

  it('refuses RS256 tokens signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const token = craftToken({ alg: 'RS256' }, claims({ sub: '6651dddddddddddddddddddd' }), rsa(other));
    expect((await me(t, `Bearer ${token}`).expect(401)).body.message).toBe('Token is not valid');
  });
});

describe('auth: login rate limits', () => {
  let t: TestApp;
  let agent: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_ENABLED: 'true', LOGIN_MAX_ATTEMPTS: '3', TRUST_PROXY: '1' } });
    agent = await createAgent(t);
  });
  afterAll(() => t.destroy());

  const login = (ip: string, email: string, password: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('successful logins do not use up attempts', async () => {
    for (let i = 0; i < 5; i++) await login('10.0.0.1', agent.agent.email, agent.password).expect(200);
  });

  it('limits failures per email, whatever the IP', async () => {
    for (let i = 1; i <= 3; i++) await login(`10.0.1.${i}`, agent.agent.email, 'wrong-password').expect(401);
    const res = await login('10.0.1.9', agent.agent.email.toUpperCase(), agent.password).expect(429);
    expect(res.body).toEqual({ success: false, message: 'Too many login attempts, please try again later.' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits failures per IP, whatever the email', async () => {
    for (let i = 1; i <= 3; i++) await login('10.0.2.1', `nobody${i}@example.com`, 'wrong-password').expect(401);
    const res = await login('10.0.2.1', 'someone-else@example.com', 'wrong-password').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await login('10.0.2.2', 'someone-else@example.com', 'wrong-password').expect(401);
  });
});

describe('auth: login rate limits shared through Redis', () => {
  let redis: ChildProcess;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const env = { RATE_LIMIT_ENABLED: 'true', LOGIN_MAX_ATTEMPTS: '2', REDIS_URL: `redis://127.0.0.1:${port}` };
    a = await createTestApp({ env });
    b = await createTestApp({ env });
  });
  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
    redis?.kill();
  });

  it('failures counted on one instance refuse the next attempt on another', async () => {
    const email = 'victim@example.com';
    await a.http.post('/api/auth/login').send({ email, password: 'guess-number-1' }).expect(401);
    await b.http.post('/api/auth/login').send({ email, password: 'guess-number-2' }).expect(401);
    const res = await a.http.post('/api/auth/login').send({ email, password: 'guess-number-3' }).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await b.http.post('/api/auth/login').send({ email, password: 'guess-number-4' }).expect(429);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}
