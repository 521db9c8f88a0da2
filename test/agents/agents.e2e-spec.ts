import { AgentRole } from '../../src/common/access/agent-role';
import { BusEvent } from '../../src/common/events/domain-events';
import { EventBus } from '../../src/common/events/event-bus';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

const BASE = '/api/admin/live-chat/agents';

describe('admin agents API', () => {
  let t: TestApp;
  let superAdmin: TestAgent;
  let admin: TestAgent;
  let support: TestAgent;
  let events: BusEvent[];

  beforeAll(async () => {
    t = await createTestApp();
    superAdmin = await createAgent(t, { role: AgentRole.SuperAdmin, firstName: 'Sue' });
    admin = await createAgent(t, { role: AgentRole.Admin, firstName: 'Adam' });
    support = await createAgent(t, { role: AgentRole.Support, firstName: 'Sam' });
    events = [];
    t.app.get(EventBus).subscribe((event) => events.push(event));
  });
  afterAll(() => t.destroy());

  const as = (agent: TestAgent) => ({
    get: (path = '') => t.http.get(`${BASE}${path}`).set('Authorization', bearer(agent)),
    post: (body: object) => t.http.post(BASE).set('Authorization', bearer(agent)).send(body),
    patch: (path: string, body: object) => t.http.patch(`${BASE}${path}`).set('Authorization', bearer(agent)).send(body),
    delete: (path: string) => t.http.delete(`${BASE}${path}`).set('Authorization', bearer(agent)),
  });
  let n = 0;
  const newAgent = (overrides: object = {}) => ({ firstName: 'New', lastName: 'Agent', email: `new${++n}@example.com`, password: 'new-agent-password', ...overrides });

  it('401 without a token on every route', async () => {
    for (const res of [await t.http.get(BASE), await t.http.post(BASE).send(newAgent()), await t.http.patch(`${BASE}/${support.agent.id}`).send({}), await t.http.delete(`${BASE}/${support.agent.id}`), await t.http.patch(`${BASE}/me/availability`).send({ availability: 'online' })]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ success: false, message: 'No token, authorization denied' });
    }
  });

  describe('GET /agents', () => {
    it.each(['superAdmin', 'admin', 'support'] as const)('lists agents for %s, without password hashes', async (who) => {
      const res = await as({ superAdmin, admin, support }[who]).get().expect(200);
      expect(res.body).toMatchObject({ success: true, page: 1, pages: 1 });
      expect(res.body.count).toBe(res.body.data.length);
      expect(res.body.total).toBeGreaterThanOrEqual(3);
      expect(res.body.data.map((a: { _id: string }) => a._id)).toEqual(expect.arrayContaining([superAdmin.agent.id, admin.agent.id, support.agent.id]));
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
    });

    it('filters by role and paginates', async () => {
      const admins = await as(support).get('?role=admin').expect(200);
      expect(admins.body.data.every((a: { role: string }) => a.role === 'admin')).toBe(true);
      expect(admins.body.data.map((a: { _id: string }) => a._id)).toContain(admin.agent.id);
      const page = await as(support).get('?limit=1&page=2').expect(200);
      expect(page.body).toMatchObject({ count: 1, page: 2 });
      expect(page.body.pages).toBe(page.body.total);
    });

    it.each([
      ['?role=owner', 'Role must be one of: super_admin, admin, support'],
      ['?availability=busy', 'Availability must be one of: online, away, offline'],
      ['?active=maybe', 'active must be true or false'],
      ['?limit=101', 'limit must be between 1 and 100'],
      ['?page=0', 'page must be a positive integer'],
    ])('400 for %s', async (query, message) => {
      expect((await as(support).get(query).expect(400)).body).toMatchObject({ success: false, message });
    });
  });

  describe('GET /agents/:id', () => {
    it('returns one agent', async () => {
      const res = await as(support).get(`/${admin.agent.id}`).expect(200);
      expect(res.body.data).toMatchObject({ _id: admin.agent.id, role: 'admin', firstName: 'Adam' });
    });
    it('404 for an unknown agent, 400 for a malformed id', async () => {
      expect((await as(support).get('/665f1c2ab1e4c8a1d2f3e4a5').expect(404)).body).toEqual({ success: false, message: 'Agent not found' });
      expect((await as(support).get('/agent123').expect(400)).body).toMatchObject({ success: false, message: 'Invalid agent id' });
    });
  });

  describe('POST /agents', () => {
    it('an admin creates a support agent who can log in; extra fields are ignored', async () => {
      const body = newAgent({ email: '  Mixed.Case@Example.com ', departments: ['billing'], maxConcurrentChats: 3, passwordHash: 'x', active: false, source: 'external', _id: '665f1c2ab1e4c8a1d2f3e4a5', availability: 'online' });
      const res = await as(admin).post(body).expect(201);
      expect(res.body).toMatchObject({
        success: true,
        message: 'Agent created successfully',
        data: { email: 'mixed.case@example.com', role: 'support', departments: ['billing'], maxConcurrentChats: 3, active: true, source: 'local', availability: 'offline' },
      });
      expect(res.body.data._id).not.toBe('665f1c2ab1e4c8a1d2f3e4a5');
      expect(res.body.data.passwordHash).toBeUndefined();
      await t.http.post('/api/auth/login').send({ email: 'mixed.case@example.com', password: 'new-agent-password' }).expect(200);
    });

    it('403 for a support agent', async () => {
      expect((await as(support).post(newAgent()).expect(403)).body).toEqual({ success: false, message: 'Access denied: insufficient permissions' });
    });

    it.each(['admin', 'super_admin'])('only a super_admin creates a %s', async (role) => {
      expect((await as(admin).post(newAgent({ role })).expect(403)).body).toEqual({ success: false, message: 'Only a super_admin can create or promote admins' });
      const res = await as(superAdmin).post(newAgent({ role })).expect(201);
      expect(res.body.data.role).toBe(role);
    });

    it('409 for an email already in use, whatever its case', async () => {
      const res = await as(admin).post(newAgent({ email: support.agent.email.toUpperCase() })).expect(409);
      expect(res.body).toEqual({ success: false, message: 'An agent with this email already exists' });
    });

    it.each([
      [{ firstName: '' }, 'First name is required'],
      [{ firstName: undefined }, 'First name is required'],
      [{ email: 'not-an-email' }, 'A valid email is required'],
      [{ email: { $gt: '' } }, 'A valid email is required'],
      [{ password: 'short' }, 'Password must be 8 to 128 characters'],
      [{ password: 'x'.repeat(129) }, 'Password must be 8 to 128 characters'],
      [{ role: 'owner' }, 'Role must be one of: super_admin, admin, support'],
      [{ avatar: 'javascript:alert(1)' }, 'Avatar must be an http(s) URL'],
      [{ departments: ['marketing'] }, 'Departments must be among: general, sales, support, billing, technical'],
      [{ maxConcurrentChats: 0 }, 'maxConcurrentChats must not be less than 1'],
    ])('400 for %j', async (override, message) => {
      expect((await as(admin).post(newAgent(override)).expect(400)).body).toMatchObject({ success: false, message });
    });
  });

  describe('PATCH /agents/:id', () => {
    it('an admin updates a support agent', async () => {
      const target = await createAgent(t);
      const res = await as(admin).patch(`/${target.agent.id}`, { firstName: 'Renamed', departments: ['sales'], maxConcurrentChats: 8, passwordHash: 'x', source: 'external' }).expect(200);
      expect(res.body).toMatchObject({ success: true, message: 'Agent updated successfully', data: { firstName: 'Renamed', departments: ['sales'], maxConcurrentChats: 8, source: 'local' } });
      await t.http.post('/api/auth/login').send({ email: target.agent.email, password: target.password }).expect(200);
    });

    it('null fields change nothing (as if absent)', async () => {
      const target = await createAgent(t);
      const nulls = { firstName: null, lastName: null, role: null, departments: null, maxConcurrentChats: null, active: null, avatar: null };
      const res = await as(admin).patch(`/${target.agent.id}`, nulls).expect(200);
      expect(res.body.data).toMatchObject({ firstName: target.agent.firstName, role: 'support', departments: expect.any(Array), maxConcurrentChats: expect.any(Number), active: true });
    });

    it('a password reset revokes the old tokens', async () => {
      const target = await createAgent(t);
      await as(admin).patch(`/${target.agent.id}`, { password: 'brand-new-password' }).expect(200);
      await as(target).get().expect(401);
      await t.http.post('/api/auth/login').send({ email: target.agent.email, password: target.password }).expect(401);
      await t.http.post('/api/auth/login').send({ email: target.agent.email, password: 'brand-new-password' }).expect(200);
    });

    it('an admin cannot promote anyone to admin; a super_admin can', async () => {
      const target = await createAgent(t);
      expect((await as(admin).patch(`/${target.agent.id}`, { role: 'admin' }).expect(403)).body.message).toBe('Only a super_admin can create or promote admins');
      await as(superAdmin).patch(`/${target.agent.id}`, { role: 'admin' }).expect(200);
      expect((await as(target).get(`/${target.agent.id}`).expect(200)).body.data.role).toBe('admin');
    });

    it('an admin cannot change another admin or a super_admin', async () => {
      const other = await createAgent(t, { role: AgentRole.Admin });
      expect((await as(admin).patch(`/${other.agent.id}`, { firstName: 'X' }).expect(403)).body.message).toBe('Only a super_admin can manage admins');
      await as(admin).patch(`/${superAdmin.agent.id}`, { role: 'support' }).expect(403);
      await as(superAdmin).patch(`/${other.agent.id}`, { firstName: 'Fine' }).expect(200);
    });

    it('nobody changes their own role', async () => {
      expect((await as(admin).patch(`/${admin.agent.id}`, { role: 'super_admin' }).expect(403)).body.message).toBe('You cannot change your own role');
      await as(superAdmin).patch(`/${superAdmin.agent.id}`, { role: 'support' }).expect(403);
      expect((await as(admin).patch(`/${admin.agent.id}`, { lastName: 'Myself' }).expect(200)).body.data).toMatchObject({ role: 'admin', lastName: 'Myself' });
    });

    it('a support agent can never raise its own role', async () => {
      expect((await as(support).patch(`/${support.agent.id}`, { role: 'admin' }).expect(403)).body.message).toBe('Access denied: insufficient permissions');
      await as(support).patch('/me/availability', { availability: 'away', role: 'super_admin' }).expect(200);
      expect((await t.http.get('/api/auth/me').set('Authorization', bearer(support)).expect(200)).body.data.role).toBe('support');
    });

    it('409 for an email in use, 404 for an unknown agent, 400 for a malformed id or body', async () => {
      const target = await createAgent(t);
      expect((await as(admin).patch(`/${target.agent.id}`, { email: admin.agent.email }).expect(409)).body.message).toBe('An agent with this email already exists');
      expect((await as(admin).patch('/665f1c2ab1e4c8a1d2f3e4a5', { firstName: 'X' }).expect(404)).body.message).toBe('Agent not found');
      expect((await as(admin).patch('/nope', { firstName: 'X' }).expect(400)).body.message).toBe('Invalid agent id');
      expect((await as(admin).patch(`/${target.agent.id}`, { active: 'no' }).expect(400)).body.message).toBe('active must be a boolean');
    });
  });

  describe('DELETE /agents/:id (deactivate)', () => {
    it('deactivates: the agent’s token stops working at once and agent.deactivated is published', async () => {
      const target = await createAgent(t);
      await as(target).get().expect(200);
      events.length = 0;
      const res = await as(admin).delete(`/${target.agent.id}`).expect(200);
      expect(res.body).toMatchObject({ success: true, message: 'Agent deactivated successfully', data: { _id: target.agent.id, active: false, availability: 'offline' } });
      expect(events).toContainEqual({ name: 'agent.deactivated', payload: { agentId: target.agent.id } });
      expect((await as(target).get().expect(401)).body.message).toBe('Agent account is deactivated');
      expect((await as(support).get(`/${target.agent.id}`).expect(200)).body.data.active).toBe(false);
    });

    it('a super_admin re-activates; old tokens stay revoked, a new login works', async () => {
      const target = await createAgent(t);
      await as(admin).delete(`/${target.agent.id}`).expect(200);
      await as(admin).patch(`/${target.agent.id}`, { active: true }).expect(200);
      expect((await as(target).get().expect(401)).body.message).toBe('Token has been revoked, please log in again');
      const login = await t.http.post('/api/auth/login').send({ email: target.agent.email, password: target.password }).expect(200);
      await t.http.get(BASE).set('Authorization', `Bearer ${login.body.data.accessToken}`).expect(200);
    });

    it('403 for support agents, for an admin removing an admin, and for oneself', async () => {
      const target = await createAgent(t);
      expect((await as(support).delete(`/${target.agent.id}`).expect(403)).body.message).toBe('Access denied: insufficient permissions');
      const otherAdmin = await createAgent(t, { role: AgentRole.Admin });
      expect((await as(admin).delete(`/${otherAdmin.agent.id}`).expect(403)).body.message).toBe('Only a super_admin can manage admins');
      expect((await as(admin).delete(`/${admin.agent.id}`).expect(403)).body.message).toBe('You cannot deactivate your own account');
      await as(superAdmin).delete(`/${otherAdmin.agent.id}`).expect(200);
    });

    it('404 for an unknown agent, 400 for a malformed id', async () => {
      expect((await as(admin).delete('/665f1c2ab1e4c8a1d2f3e4a5').expect(404)).body.message).toBe('Agent not found');
      expect((await as(admin).delete('/x').expect(400)).body.message).toBe('Invalid agent id');
    });
  });

  describe('PATCH /agents/me/availability', () => {
    it.each(['superAdmin', 'admin', 'support'] as const)('%s sets its availability and agent.presence is published', async (who) => {
      const agent = { superAdmin, admin, support }[who];
      events.length = 0;
      const res = await as(agent).patch('/me/availability', { availability: 'online' }).expect(200);
      expect(res.body).toEqual({ success: true, message: 'Availability updated', data: { _id: agent.agent.id, availability: 'online' } });
      expect(events).toContainEqual({ name: 'agent.presence', payload: { agentId: agent.agent.id, availability: 'online' } });
      expect((await as(agent).get(`/${agent.agent.id}`).expect(200)).body.data.availability).toBe('online');
    });

    it.each([[{}], [{ availability: 'busy' }]])('400 for %j', async (body) => {
      expect((await as(support).patch('/me/availability', body).expect(400)).body).toMatchObject({ success: false, message: 'Availability must be one of: online, away, offline' });
    });
  });
});
