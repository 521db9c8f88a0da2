import { Types } from 'mongoose';
import { AgentRole } from '../../src/common/access/agent-role';
import { AgentsService } from '../../src/agents/agents.service';
import { AgentTokenVerifier } from '../../src/auth/agent-token.verifier';
import { EventBus } from '../../src/common/events/event-bus';
import { PresenceStore } from '../../src/common/fleet/presence-store';
import { RedisConnection } from '../../src/common/redis/redis-connection';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, sendGuestMessage, storedSession, TestSession, uniqueSessionId } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { TestRedisServer } from '../utils/redis-server';
import { useTwoInstances } from '../utils/two-instances';
import { WsFrame, WsTestClient } from '../utils/ws-client';

const isMessage = (frame: WsFrame) => frame.type === 'user_message' || frame.type === 'agent_message';

/** Waits until every Redis connection of these apps is up again (after a Redis restart). */
async function redisReady(...apps: TestApp[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!apps.every((t) => t.app.get(RedisConnection).client?.status === 'ready')) {
    if (Date.now() > deadline) throw new Error('Redis connections did not come back');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Two instances (A and B) on one database and one Redis, as behind a load balancer: whichever
 * instance a request or a socket lands on, everybody sees the same chat.
 */
describe('several instances behind a load balancer', () => {
  let redis: TestRedisServer;
  let a: TestApp;
  let b: TestApp;
  /** A third instance, killed mid-conversation. Started first: passport keeps one JWT strategy per
   * process, the last app's, and every app of this process validates tokens with it. */
  let c: TestApp;
  let jane: TestAgent;
  const clients: WsTestClient[] = [];

  const track = (client: WsTestClient) => {
    clients.push(client);
    return client;
  };
  const guestSocket = async (t: TestApp, session: TestSession) =>
    track(await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } }));
  const agentSocket = async (t: TestApp, agent: TestAgent) =>
    track(await WsTestClient.open(t.wsUrl, { query: { admin: 'true', userId: agent.agent.id, token: agent.token } }));
  const subscribe = async (client: WsTestClient, session: TestSession) => {
    client.send({ type: 'subscribe_session', sessionId: session.sessionId });
    await client.next('subscribed');
  };
  const reply = async (t: TestApp, session: TestSession, content: string) =>
    (await t.http.post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`).set('Authorization', bearer(jane)).send({ content }).expect(201)).body
      .data;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    c = await createTestApp({ env: { REDIS_URL: redis.url } });
    a = await createTestApp({ env: { REDIS_URL: redis.url }, reuse: c });
    b = await createTestApp({ env: { REDIS_URL: redis.url }, reuse: c });
    jane = await createAgent(a, { firstName: 'Jane' });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(async () => {
    await a?.connection.dropDatabase();
    await b?.close();
    await a?.close();
    await c?.destroy();
    await redis?.stop();
  });

  it('shows an agent on A the sessions and messages created through B', async () => {
    const agent = await agentSocket(a, jane);

    const session = await createSession(b, { user: { name: 'Bea Guest' } });
    const created = await agent.next('new_session');
    expect(created.session).toMatchObject({ sessionId: session.sessionId, user: { name: 'Bea Guest' } });

    const sent = await sendGuestMessage(b, session, 'Hello from B');
    expect(await agent.next('user_message')).toEqual({
      type: 'user_message',
      sessionId: session.sessionId,
      message: expect.objectContaining({ _id: sent._id, seq: sent.seq, content: 'Hello from B' }),
    });

    const list = await a.http.get('/api/admin/live-chat/sessions').query({ search: session.sessionId }).set('Authorization', bearer(jane)).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ sessionId: session.sessionId, messageCount: 2, lastMessage: expect.objectContaining({ content: 'Hello from B' }) })]);

    // Each event reached the agent once, though two instances share the bus.
    await agent.roundTrip();
    expect(agent.received('new_session').filter((f) => f.session.sessionId === session.sessionId)).toHaveLength(1);
    expect(agent.received('user_message')).toHaveLength(1);
  });

  it('delivers to a guest on B the replies sent through A', async () => {
    const session = await createSession(a);
    const guest = await guestSocket(b, session);

    const sent = await reply(a, session, 'Hi, Jane here');

    expect(await guest.next('agent_message')).toEqual({
      type: 'agent_message',
      sessionId: session.sessionId,
      message: expect.objectContaining({ _id: sent._id, seq: sent.seq, content: 'Hi, Jane here', agentName: expect.stringContaining('Jane') }),
    });
    await guest.roundTrip();
    expect(guest.received('agent_message')).toHaveLength(1);
  });

  it('carries typing indicators and read receipts between instances, both ways', async () => {
    const session = await createSession(b);
    const guest = await guestSocket(b, session);
    const agent = await agentSocket(a, jane);
    await subscribe(agent, session);

    await b.http.post(`/api/live-chat/sessions/${session.sessionId}/typing`).set(guestHeaders(session)).send({ isTyping: true }).expect(200);
    expect(await agent.next('user_typing')).toEqual({ type: 'user_typing', sessionId: session.sessionId, isTyping: true });

    agent.send({ type: 'typing', sessionId: session.sessionId, isTyping: true });
    expect(await guest.next('agent_typing')).toMatchObject({ type: 'agent_typing', sessionId: session.sessionId, isTyping: true });

    const answer = await reply(a, session, 'Read this, please');
    await guest.next('agent_message');
    guest.send({ type: 'read_receipt', messageId: answer._id });
    expect(await guest.next('read_receipt')).toMatchObject({ messageId: answer._id, readBy: 'guest' });
    expect(await agent.next('read_receipt')).toMatchObject({ type: 'read_receipt', sessionId: session.sessionId, messageId: answer._id });

    const question = await sendGuestMessage(b, session, 'Did you see mine?');
    await agent.waitFor((f) => f.type === 'user_message' && f.message._id === question._id);
    agent.send({ type: 'read_receipt', sessionId: session.sessionId, messageId: question._id });
    expect(await guest.next('read_receipt')).toMatchObject({ type: 'read_receipt', sessionId: session.sessionId, messageId: question._id, readBy: jane.agent.id });
  });

  it('gives 100 parallel sends spread over both instances 100 distinct, consecutive seq values', async () => {
    const session = await createSession(a);
    const guest = await guestSocket(a, session);
    const welcomeSeq = (await storedSession(a, session.sessionId))?.lastSeq as number;

    const sent = await Promise.all(Array.from({ length: 100 }, (_, i) => sendGuestMessage(i % 2 === 0 ? a : b, session, `message ${i}`)));

    const seqs = sent.map((m) => m.seq as number).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => welcomeSeq + 1 + i));
    const stored = await storedSession(b, session.sessionId);
    expect(stored).toMatchObject({ messageCount: 101, lastSeq: welcomeSeq + 100 });
    const messages = await a.connection.collection('livechatmessages').find({ sessionId: session.sessionId }).sort({ seq: 1 }).toArray();
    expect(messages.map((m) => m.seq)).toEqual([welcomeSeq, ...seqs]);

    // The guest's socket got every one once: those sent through B came over Redis.
    const frames = await guest.take('user_message', 100);
    expect(new Set(frames.map((f) => f.message.seq)).size).toBe(100);
    await guest.roundTrip();
    expect(guest.received('user_message')).toHaveLength(100);
  });

  it('loses and duplicates nothing when an instance dies mid-conversation and the guest resumes on the other', async () => {
    const session = await createSession(c);
    const guest = await guestSocket(c, session);
    // An agent whose only socket is on the dying instance, watched by Jane on A.
    const watcher = await agentSocket(a, jane);
    const bob = await createAgent(a, { firstName: 'Bob' });
    await agentSocket(c, bob);
    expect(await watcher.waitFor((f) => f.type === 'agent_presence' && f.agentId === bob.agent.id)).toMatchObject({ availability: 'online' });
    await sendGuestMessage(c, session, 'first');
    await reply(b, session, 'answer 1');
    const lastSeen = (await guest.next('agent_message')).message.seq as number;
    await guest.next('user_message');

    await c.close();
    await guest.closed;

    const missed: number[] = [];
    for (let i = 0; i < 6; i++) {
      const message = i % 2 === 0 ? await sendGuestMessage(b, session, `guest ${i}`) : await reply(a, session, `agent ${i}`);
      missed.push(message.seq);
    }

    const again = await guestSocket(b, session);
    again.send({ type: 'resume', afterSeq: lastSeen });
    expect(await again.next('resumed')).toEqual({ type: 'resumed', sessionId: session.sessionId, lastSeq: missed[5] });
    const live = await reply(a, session, 'after the resume');
    await again.waitFor((f) => f.type === 'agent_message' && f.message.seq === live.seq);

    expect(again.frames.filter(isMessage).map((f) => f.message.seq)).toEqual([...missed, live.seq]);

    // Bob's sockets died with the instance: the fleet sees him offline.
    expect(await watcher.waitFor((f) => f.type === 'agent_presence' && f.agentId === bob.agent.id)).toMatchObject({ availability: 'offline' });
    expect(await a.app.get(PresenceStore).isOnline(bob.agent.id)).toBe(false);
    expect(await a.app.get(AgentsService).findById(bob.agent.id)).toMatchObject({ availability: 'offline' });
  });

  it('survives a Redis restart: local events flow during the outage, writes wait with 503, everything flows after', async () => {
    const before = await createSession(b);
    const agentOnA = await agentSocket(a, jane);
    const agentOnB = await agentSocket(b, jane);
    await subscribe(agentOnB, before);

    await redis.stop();
    await b.http.post(`/api/live-chat/sessions/${before.sessionId}/typing`).set(guestHeaders(before)).send({ isTyping: true }).expect(200);
    expect(await agentOnB.next('user_typing')).toMatchObject({ sessionId: before.sessionId, isTyping: true });
    const refused = await b.http.post(`/api/live-chat/sessions/${before.sessionId}/messages`).set(guestHeaders(before)).send({ content: 'during the outage' });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ success: false, message: 'Service temporarily unavailable, please try again' });

    await redis.start();
    await redisReady(a, b);

    const after = await createSession(b);
    await agentOnA.waitFor((f) => f.type === 'new_session' && f.session.sessionId === after.sessionId, 10_000);
    const guest = await guestSocket(b, after);
    const sent = await reply(a, after, 'Redis is back');
    expect((await guest.next('agent_message')).message._id).toBe(sent._id);
    const stored = await a.connection.collection('livechatmessages').countDocuments({ sessionId: before.sessionId });
    expect(stored).toBe(1); // the welcome message only: the refused send stored nothing
  });
});

describe('limits shared by several instances', () => {
  const LIMIT = 6;
  const LOGINS = 3;
  const SOCKETS_PER_IP = 3;
  /** The client address as the one trusted proxy reports it: each test is its own client. */
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const fleet = useTwoInstances({
    TRUST_PROXY: '1',
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_MAX: String(LIMIT),
    LOGIN_MAX_ATTEMPTS: String(LOGINS),
    WS_MAX_CONNECTIONS_PER_IP: String(SOCKETS_PER_IP),
  });

  it('trips the HTTP limit after RATE_LIMIT_MAX requests in total, wherever they land', async () => {
    const { a, b } = fleet;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await (i % 2 === 0 ? a : b).http.get('/api/live-chat/sessions/session-does-not-exist').set(from('203.0.113.10'));
      statuses.push(res.status);
    }
    expect(statuses.slice(0, LIMIT)).not.toContain(429);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });

  it('counts failed logins across the fleet', async () => {
    const { a, b } = fleet;
    const agent = await createAgent(a);
    const login = (t: TestApp) => t.http.post('/api/auth/login').set(from('203.0.113.20')).send({ email: agent.agent.email, password: 'wrong password!' });
    for (let i = 0; i < LOGINS; i++) {
      const res = await login(i % 2 === 0 ? a : b);
      expect(res.status).toBe(401);
    }
    for (const t of [a, b]) {
      const res = await login(t);
      expect(res.status).toBe(429);
      expect(res.body).toEqual({ success: false, message: 'Too many login attempts, please try again later.' });
    }
  });

  it('caps WebSockets per IP across the fleet and frees the slot of a closed one', async () => {
    const { a, b } = fleet;
    const agent = await createAgent(a);
    const query = { query: { admin: 'true', userId: agent.agent.id, token: agent.token } };
    const opened = [await WsTestClient.open(a.wsUrl, query), await WsTestClient.open(b.wsUrl, query), await WsTestClient.open(a.wsUrl, query)];
    try {
      for (const t of [a, b]) {
        const refused = await WsTestClient.refusal(t.wsUrl, query);
        expect(refused.status).toBe(429);
        expect(JSON.parse(refused.body).message).toBe('Too many connections from this IP');
      }
      // The slot comes back once instance A has seen the close (a moment after the client has).
      await opened.shift()!.close();
      let reopened: WsTestClient | undefined;
      for (let attempt = 0; attempt < 50 && !reopened; attempt++) {
        reopened = await WsTestClient.open(b.wsUrl, query).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return undefined;
        });
      }
      expect(reopened).toBeDefined();
      opened.push(reopened!);
    } finally {
      for (const client of opened) client.terminate();
    }
  });
});

describe('agent changes across instances', () => {
  // Far longer than the test: only the bus, never expiry, can explain B's refusal.
  const fleet = useTwoInstances({ AGENT_AUTH_CACHE_TTL_MS: '60000' });

  it('refuses on B an agent deactivated through A as soon as B gets agent.changed', async () => {
    const { a, b } = fleet;
    const agent = await createAgent(a);
    const onB = () => b.app.get(AgentTokenVerifier).verify(agent.token);
    expect(await onB()).toMatchObject({ id: agent.agent.id, role: 'support' });
    // B answers from its cache now: a change written behind AgentsService is not seen there.
    await a.connection.collection('agents').updateOne({ _id: new Types.ObjectId(agent.agent.id) }, { $set: { role: 'admin' } });
    expect(await onB()).toMatchObject({ role: 'support' });

    const changedOnB = new Promise<void>((resolve) => {
      const off = b.app.get(EventBus).subscribe((event) => {
        if (event.name === 'agent.changed' && event.payload.agentId === agent.agent.id) {
          off();
          resolve();
        }
      });
    });
    const system = { ...agent.agent, id: '0'.repeat(24), role: AgentRole.SuperAdmin };
    await a.app.get(AgentsService).deactivate(system, agent.agent.id);
    await changedOnB;
    const refused = await WsTestClient.refusal(b.wsUrl, { query: { admin: 'true', userId: agent.agent.id, token: agent.token } });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).message).toBe('Agent account is deactivated');
  });
});

describe('guest access across instances', () => {
  // Far longer than the test: only the bus, never expiry, can explain B's refusals.
  const fleet = useTwoInstances({ GUEST_ACCESS_CACHE_TTL_MS: '600000' });

  /** Resolves when `t` has received this event of the session from the bus. */
  const sessionEventOn = (t: TestApp, name: 'session.created' | 'session.deleted', sessionId: string) =>
    new Promise<void>((resolve) => {
      const off = t.app.get(EventBus).subscribe((event) => {
        if (event.name === name && event.payload.sessionId === sessionId) {
          off();
          resolve();
        }
      });
    });

  it('checks guests on B from its copy of the guest secret, and refuses them once A deletes the session or creates it again', async () => {
    const { a, b } = fleet;
    const admin = await createAgent(a, { role: AgentRole.Admin });
    const sessionId = uniqueSessionId();
    // session.created reaches B through Redis after A answers; it drops B's copy, so wait for it first.
    const createdOnB = sessionEventOn(b, 'session.created', sessionId);
    const session = await createSession(a, { sessionId });
    await createdOnB;
    const messagesOnB = (guest: Pick<TestSession, 'guestToken'>) => b.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(guest));
    await messagesOnB(session).expect(200);
    // B answers from its copy now: a secret changed behind the service is not read there.
    await a.connection.collection('livechatsessions').updateOne({ _id: session.sessionId as never }, { $set: { guestSecret: 'changed-behind-the-service' } });
    await messagesOnB(session).expect(200);

    const deletedOnB = sessionEventOn(b, 'session.deleted', session.sessionId);
    await a.http.delete(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', bearer(admin)).expect(200);
    await deletedOnB;
    expect((await messagesOnB(session).expect(401)).body.message).toBe('Invalid guest token');

    const again = await createSession(a, { sessionId: session.sessionId });
    await messagesOnB(again).expect(200);
    expect((await messagesOnB(session).expect(401)).body.message).toBe('Invalid guest token');
  });
});
