import jwt from 'jsonwebtoken';
import { validateEnv } from '../../src/config/env.validation';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';

const SECRET = 'host-site-widget-identity-secret-0123456789';
const now = () => Math.floor(Date.now() / 1000);
/** What a host site does (README "Verified identity"). */
const sign = (claims: object, secret = SECRET, options: jwt.SignOptions = {}) => jwt.sign({ sub: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com', ...claims }, secret, { algorithm: 'HS256', ...options });
const valid = () => sign({ exp: now() + 3600 });

describe('widget identity: verified visitors (identityToken on POST /api/live-chat/sessions)', () => {
  let t: TestApp;
  let agent: TestAgent;
  beforeAll(async () => {
    t = await createTestApp({ env: { WIDGET_IDENTITY_SECRET: SECRET } });
    agent = await createAgent(t);
  });
  afterAll(() => t.destroy());

  const create = (body: object) => t.http.post('/api/live-chat/sessions').send({ sessionId: uniqueSessionId(), ...body });

  it('marks a visitor with a valid token verified, with the signed name and email winning over the body', async () => {
    const res = await create({ identityToken: valid(), user: { name: 'Mallory', email: 'mallory@example.com', phone: '+1 555 0100' } }).expect(201);
    const { sessionId } = res.body.data.session;
    expect(res.body.data.session.user).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+1 555 0100', verified: true });
    expect(res.body.data.welcomeMessage.content).toBe('Welcome Ada Lovelace! A support agent will be with you shortly.');

    const guest = await t.http.get(`/api/live-chat/sessions/${sessionId}`).set('Authorization', `Bearer ${res.body.data.guestToken}`).expect(200);
    expect(guest.body.data.user).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', verified: true });
    const details = await t.http.get(`/api/admin/live-chat/sessions/${sessionId}`).set('Authorization', bearer(agent)).expect(200);
    expect(details.body.data.session.user).toMatchObject({ name: 'Ada Lovelace', verified: true });
    const list = await t.http.get('/api/admin/live-chat/sessions').query({ search: sessionId }).set('Authorization', bearer(agent)).expect(200);
    expect(list.body.data[0].user).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', verified: true });
  });

  it('needs no user in the body with a token', async () => {
    const res = await create({ identityToken: valid() }).expect(201);
    expect(res.body.data.session.user).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', verified: true });
  });

  it('leaves visitors without a token unverified (no `verified` field)', async () => {
    const res = await create({ user: { name: 'Typed Name', email: 'typed@example.com' } }).expect(201);
    expect(res.body.data.session.user).not.toHaveProperty('verified');
  });

  it.each([
    ['an expired token', () => sign({ exp: now() - 10 }), 'Identity token expired'],
    ['a token valid for more than 24 hours', () => sign({ exp: now() + 24 * 3600 + 120 }), 'Identity token must expire within 24 hours'],
    ['a token without exp', () => sign({}), 'Invalid identity token'],
    ['a token signed with another secret', () => sign({ exp: now() + 3600 }, 'another-secret-another-secret-another-secret'), 'Invalid identity token'],
    ['a token with its payload changed', () => { const [h, , s] = valid().split('.'); return [h, Buffer.from(JSON.stringify({ sub: 'x', name: 'Eve', email: 'eve@example.com', exp: now() + 60 })).toString('base64url'), s].join('.'); }, 'Invalid identity token'],
    ['an unsigned token (alg none)', () => jwt.sign({ sub: 'x', name: 'Eve', email: 'eve@example.com', exp: now() + 60 }, '', { algorithm: 'none' }), 'Invalid identity token'],
    ['a token without sub', () => jwt.sign({ name: 'Ada', email: 'ada@example.com', exp: now() + 60 }, SECRET, { algorithm: 'HS256' }), 'Invalid identity token'],
    ['a token without a valid email', () => sign({ email: 'not-an-email', exp: now() + 60 }), 'Invalid identity token'],
    ['a token without a name', () => sign({ name: '', exp: now() + 60 }), 'Invalid identity token'],
    ['garbage', () => 'not.a.jwt', 'Invalid identity token'],
  ])('refuses %s with 401', async (_what, token, message) => {
    const res = await create({ identityToken: token(), user: { name: 'Mallory', email: 'mallory@example.com' } }).expect(401);
    expect(res.body).toEqual({ success: false, message });
  });

  it('refuses a non-string token with 400', async () => {
    const res = await create({ identityToken: 42, user: { name: 'Mallory', email: 'mallory@example.com' } }).expect(400);
    expect(res.body).toMatchObject({ success: false, message: 'Invalid identity token' });
  });

  it('still asks for the user without a token', async () => {
    const res = await create({}).expect(400);
    expect(res.body).toMatchObject({ success: false, message: 'User name and email are required' });
  });
});

describe('widget identity: WIDGET_IDENTITY_REQUIRED=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { WIDGET_IDENTITY_SECRET: SECRET, WIDGET_IDENTITY_REQUIRED: 'true' } });
  });
  afterAll(() => t.destroy());

  it('refuses unverified sessions with 403 and accepts verified ones', async () => {
    const refused = await t.http.post('/api/live-chat/sessions').send({ user: { name: 'Typed', email: 'typed@example.com' } }).expect(403);
    expect(refused.body).toEqual({ success: false, message: 'A verified identity is required to start a chat' });
    await t.http.post('/api/live-chat/sessions').send({ identityToken: valid() }).expect(201);
  });

  it('is a configuration error without a secret', () => {
    expect(() => validateEnv({ WIDGET_IDENTITY_REQUIRED: 'true' })).toThrow('WIDGET_IDENTITY_REQUIRED: needs WIDGET_IDENTITY_SECRET to verify identities');
    expect(() => validateEnv({ WIDGET_IDENTITY_SECRET: 'too-short' })).toThrow(/WIDGET_IDENTITY_SECRET/);
  });
});

describe('widget identity: no WIDGET_IDENTITY_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('refuses identity tokens (nothing can verify them)', async () => {
    const res = await t.http.post('/api/live-chat/sessions').send({ identityToken: valid() }).expect(401);
    expect(res.body).toEqual({ success: false, message: 'Invalid identity token' });
  });
});
