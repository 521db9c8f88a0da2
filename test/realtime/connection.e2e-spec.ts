import { AgentRole } from '../../src/common/access/agent-role';
import { AgentsService } from '../../src/agents/agents.service';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, TestSession } from '../factories/session.factory';
import { platformToken } from '../auth/tokens';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';

const ALLOWED_ORIGIN = 'https://shop.example.com';

describe('/ws/live-chat connections', () => {
  let t: TestApp;
  let session: TestSession;
  let other: TestSession;
  let agent: TestAgent;
  const clients: WsTestClient[] = [];
  const open = async (query: Record<string, string | undefined>, extra: Parameters<typeof WsTestClient.open>[1] = {}) => {
    const client = await WsTestClient.open(t.wsUrl, { query, ...extra });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: `${ALLOWED_ORIGIN},https://admin.example.com`, WS_MAX_CONNECTIONS_PER_IP: '12' } });
    session = await createSession(t);
    other = await createSession(t);
    agent = await createAgent(t);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(() => t.destroy());

  describe('guests', () => {
    it('connects with its session and guest token and is welcomed with connection_established', async () => {
      const client = await WsTestClient.connect(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
      clients.push(client);
      const welcome = await client.next('connection_established');
      expect(Object.keys(welcome).sort()).toEqual(['timestamp', 'type']);
      expect(new Date(welcome.timestamp).toISOString()).toBe(welcome.timestamp);
    });

    it('connects with the guest token alone (it names its session)', async () => {
      const client = await open({ token: session.guestToken });
      await client.roundTrip();
    });

    it('is refused with 401 without a token', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: session.sessionId } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'No token, authorization denied' });
    });

    it('is refused with 401 with a forged token', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: session.sessionId, token: `${session.guestToken}x` } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'Invalid guest token' });
    });

    it("is refused with 401 with another session's token (foreign session)", async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: session.sessionId, token: other.guestToken } });
      expect(refused.status).toBe(401);
    });

    it('is refused with 401 with a garbage token and no sessionId', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { token: 'not-a-token' } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).message).toBe('Invalid guest token');
    });

    it('is refused with 400 with neither sessionId nor token', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).message).toBe('sessionId is required');
    });

    it('is refused with 404 for an archived session', async () => {
      const archived = await createSession(t);
      await t.http.patch(`/api/admin/live-chat/sessions/${archived.sessionId}/status`).set('Authorization', bearer(agent)).send({ status: 'archived' }).expect(200);
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: archived.sessionId, token: archived.guestToken } });
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'Session not found' });
    });

    it('is refused with 401 for a deleted session: its token died with it', async () => {
      const deleted = await createSession(t);
      const admin = await createAgent(t, { role: AgentRole.Admin });
      await t.http.delete(`/api/admin/live-chat/sessions/${deleted.sessionId}`).set('Authorization', bearer(admin)).expect(200);
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: deleted.sessionId, token: deleted.guestToken } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'Invalid guest token' });
    });
  });

  describe('Origin', () => {
    it('accepts an Origin listed in CORS_ORIGINS', async () => {
      await open({ sessionId: session.sessionId, token: session.guestToken }, { origin: ALLOWED_ORIGIN });
    });

    it('accepts the service’s own origin whatever CORS_ORIGINS says (the agent console it serves)', async () => {
      await open({ admin: 'true', token: agent.token }, { origin: t.url });
    });

    it('refuses the same host on another port', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', token: agent.token }, origin: t.url.replace(/:(\d+)$/, (_, port) => `:${Number(port) + 1}`) });
      expect(refused.status).toBe(403);
    });

    it('refuses any other Origin with 403 (cross-site WebSocket hijacking)', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, {
        query: { admin: 'true', token: agent.token },
        origin: 'https://evil.example.net',
      });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'Origin not allowed' });
    });
  });

  describe('agents', () => {
    it('connects with ?admin=true&userId=<id>&token=<JWT>', async () => {
      await open({ admin: 'true', userId: agent.agent.id, token: agent.token });
    });

    it('connects with the JWT in the Authorization header', async () => {
      await open({ admin: 'true' }, { headers: { Authorization: `Bearer ${agent.token}` } });
    });

    it('connects with the JWT as a Sec-WebSocket-Protocol bearer value', async () => {
      const client = await open({ admin: 'true' }, { protocols: ['bearer', agent.token] });
      expect(client.socket.protocol).toBe('bearer');
    });

    it('is refused with 401 without a token (the spec’s token-less admin socket is not supported)', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', userId: agent.agent.id } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ success: false, message: 'No token, authorization denied' });
    });

    it('is refused with 401 with a bad token', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', token: `${agent.token}x` } });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).message).toBe('Token is not valid');
    });

    it('is refused with 401 with a guest token', async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', token: session.guestToken } });
      expect(refused.status).toBe(401);
    });

    it("is refused with 403 when userId is not the token's subject", async () => {
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', userId: '665f1c2ab1e4c8a1d2f3e4a5', token: agent.token } });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).message).toBe('userId does not match the token');
    });

    it('accepts a token minted by an external platform sharing the secret', async () => {
      await open({ admin: 'true', token: platformToken({ sub: '665f1c2ab1e4c8a1d2f3e4b6', email: 'ws.ext@platform.example' }) });
    });

    it('closes the open sockets of an agent who is deactivated, and refuses its token afterwards', async () => {
      const admin = await createAgent(t, { role: AgentRole.SuperAdmin });
      const doomed = await createAgent(t);
      const first = await open({ admin: 'true', token: doomed.token });
      const second = await open({ admin: 'true', token: doomed.token });
      const bystander = await open({ admin: 'true', token: agent.token });

      await t.http.delete(`/api/admin/live-chat/agents/${doomed.agent.id}`).set('Authorization', `Bearer ${admin.token}`).expect(200);

      expect(await first.closed).toEqual({ code: 4401, reason: 'Agent account is deactivated' });
      expect((await second.closed).code).toBe(4401);
      await bystander.roundTrip();
      const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true', token: doomed.token } });
      expect(refused.status).toBe(401);
      expect(await t.app.get(AgentsService).findById(doomed.agent.id)).toMatchObject({ active: false });
    });
  });

  it('refuses connections over WS_MAX_CONNECTIONS_PER_IP with 429 and accepts again once one closes', async () => {
    const opened: WsTestClient[] = [];
    for (let i = 0; i < 12; i++) opened.push(await open({ sessionId: session.sessionId, token: session.guestToken }));
    const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).message).toBe('Too many connections from this IP');

    // The slot comes back once the server has seen the close (a moment after the client has).
    await opened[0].close();
    let reopened: WsTestClient | undefined;
    for (let attempt = 0; attempt < 50 && !reopened; attempt++) {
      reopened = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } }).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return undefined;
      });
    }
    expect(reopened).toBeDefined();
    clients.push(reopened!);
  });
});

describe('/ws/live-chat connections with GUEST_TOKEN_REQUIRED=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { GUEST_TOKEN_REQUIRED: 'false' } });
  });

  afterAll(() => t.destroy());

  it('lets a guest connect with its sessionId alone, and still refuses unknown sessions with 404', async () => {
    const session = await createSession(t);
    const client = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId } });
    await client.roundTrip();
    client.terminate();

    const refused = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: 'session-that-does-not-exist' } });
    expect(refused.status).toBe(404);
  });

  it('still requires an agent token', async () => {
    const refused = await WsTestClient.refusal(t.wsUrl, { query: { admin: 'true' } });
    expect(refused.status).toBe(401);
  });
});
