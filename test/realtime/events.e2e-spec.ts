import { AgentRole } from '../../src/common/access/agent-role';
import { bearer, createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, guestHeaders, sendGuestMessage, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';

const ADMIN = '/api/admin/live-chat';
const JANE_AVATAR = 'https://cdn.example.com/jane.png';

/** Events are driven through the real REST endpoints (guest and admin), never published by hand. */
describe('/ws/live-chat events', () => {
  let t: TestApp;
  let jane: TestAgent;
  let bob: TestAgent;
  let admin: TestAgent;
  const clients: WsTestClient[] = [];

  const track = (client: WsTestClient) => {
    clients.push(client);
    return client;
  };
  const guestSocket = async (session: TestSession) =>
    track(await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } }));
  const agentSocket = async (agent: TestAgent) => track(await WsTestClient.open(t.wsUrl, { query: { admin: 'true', userId: agent.agent.id, token: agent.token } }));
  const subscribe = async (client: WsTestClient, session: TestSession) => {
    client.send({ type: 'subscribe_session', sessionId: session.sessionId });
    expect(await client.next('subscribed')).toEqual({ type: 'subscribed', sessionId: session.sessionId });
  };
  /** POST /reply as the agent; the stored message. */
  const agentReply = async (session: TestSession, agent: TestAgent, content: string): Promise<Record<string, any>> => {
    const res = await t.http.post(`${ADMIN}/sessions/${session.sessionId}/reply`).set('Authorization', bearer(agent)).send({ content }).expect(201);
    return res.body.data;
  };
  /** PATCH /assign (by the agent itself), or POST /transfer from `previous` (by `previous`). */
  const assignTo = async (session: TestSession, agent: TestAgent, previous?: TestAgent): Promise<void> => {
    const base = `${ADMIN}/sessions/${session.sessionId}`;
    if (previous) await t.http.post(`${base}/transfer`).set('Authorization', bearer(previous)).send({ toAgentId: agent.agent.id }).expect(200);
    else await t.http.patch(`${base}/assign`).set('Authorization', bearer(agent)).send({ agentId: agent.agent.id }).expect(200);
  };
  const agentView = (agent: TestAgent) => ({
    id: agent.agent.id,
    name: `${agent.agent.firstName} ${agent.agent.lastName}`,
    ...(agent === jane ? { avatar: JANE_AVATAR } : {}),
  });

  beforeAll(async () => {
    t = await createTestApp();
    jane = await createAgent(t, { firstName: 'Jane', avatar: JANE_AVATAR });
    bob = await createAgent(t, { firstName: 'Bob' });
    admin = await createAgent(t, { role: AgentRole.Admin });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(() => t.destroy());

  it('sends new_session to every connected agent, never to guests', async () => {
    const existing = await createSession(t);
    const guest = await guestSocket(existing);
    const [a, b] = [await agentSocket(jane), await agentSocket(bob)];

    const created = await createSession(t, { user: { name: 'Ann Lee' } });

    for (const agent of [a, b]) {
      const event = await agent.next('new_session');
      expect(Object.keys(event).sort()).toEqual(['session', 'type']);
      expect(event.session).toMatchObject({ sessionId: created.sessionId, status: 'pending', user: { name: 'Ann Lee' } });
      expect(JSON.stringify(event)).not.toContain(created.guestToken);
    }
    await guest.roundTrip();
    expect(guest.received('new_session')).toEqual([]);
  });

  it('sends a guest message as user_message to its guest and to every agent, not to other guests', async () => {
    const session = await createSession(t);
    const stranger = await createSession(t);
    const guest = await guestSocket(session);
    const otherGuest = await guestSocket(stranger);
    const [a, b] = [await agentSocket(jane), await agentSocket(bob)];

    const sent = await sendGuestMessage(t, session, 'Hello, I need help');
    await sendGuestMessage(t, stranger, 'Another chat');

    for (const client of [guest, a, b]) {
      const event = await client.next('user_message');
      expect(event).toEqual({ type: 'user_message', sessionId: session.sessionId, message: expect.objectContaining({ _id: sent._id, seq: sent.seq, type: 'user', content: 'Hello, I need help' }) });
    }
    // The stranger's own message arrives after the first one was published: the first never reached it.
    expect((await otherGuest.next('user_message')).sessionId).toBe(stranger.sessionId);
    expect(otherGuest.received('user_message')).toHaveLength(1);
  });

  it('sends agent_message to the guest and to agents subscribed to or assigned to the session only', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const subscribed = await agentSocket(jane);
    const bystander = await agentSocket(bob);
    await subscribe(subscribed, session);

    const message = await agentReply(session, jane, 'Hi! How can I help?');
    await sendGuestMessage(t, session, 'marker');

    for (const client of [guest, subscribed]) {
      const event = await client.next('agent_message');
      expect(event).toEqual({
        type: 'agent_message',
        sessionId: session.sessionId,
        message: expect.objectContaining({ _id: message._id, type: 'agent', content: 'Hi! How can I help?', agentName: `Jane ${jane.agent.lastName}`, agentAvatar: JANE_AVATAR }),
      });
      expect(JSON.stringify(event)).not.toContain(jane.agent.email);
    }
    await bystander.next('user_message'); // the marker, published after the agent message
    expect(bystander.received('agent_message')).toEqual([]);
  });

  it('stops sending a session’s agent events after unsubscribe_session', async () => {
    const session = await createSession(t);
    const agent = await agentSocket(jane);
    await subscribe(agent, session);
    agent.send({ type: 'unsubscribe_session', sessionId: session.sessionId });
    expect(await agent.next('unsubscribed')).toEqual({ type: 'unsubscribed', sessionId: session.sessionId });

    await agentReply(session, bob, 'not for jane');
    await sendGuestMessage(t, session, 'marker');
    await agent.next('user_message');
    expect(agent.received('agent_message')).toEqual([]);
  });

  it('refuses subscribe_session to guests and for unknown sessions', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    guest.send({ type: 'subscribe_session', sessionId: session.sessionId });
    expect(await guest.next('error')).toEqual({ type: 'error', message: 'Only agents can subscribe to sessions' });

    const agent = await agentSocket(jane);
    agent.send({ type: 'subscribe_session', sessionId: 'session-does-not-exist' });
    expect(await agent.next('error')).toEqual({ type: 'error', message: 'Session not found' });
    agent.send({ type: 'subscribe_session' });
    expect(await agent.next('error')).toEqual({ type: 'error', message: 'Invalid session ID' });
  });

  it('routes agent events to the assigned agent without a subscription, and sends agent_assigned to the guest and agents', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const assignee = await agentSocket(jane);
    const other = await agentSocket(bob);

    await assignTo(session, jane);

    const expected = { type: 'agent_assigned', sessionId: session.sessionId, agent: { id: jane.agent.id, name: `Jane ${jane.agent.lastName}`, avatar: JANE_AVATAR } };
    for (const client of [guest, assignee, other]) {
      const event = await client.next('agent_assigned');
      expect(event).toEqual(expected);
      expect(JSON.stringify(event)).not.toContain(jane.agent.email);
    }
    // Assigning a pending session activates it.
    for (const client of [guest, assignee, other]) {
      expect(await client.next('session_status_changed')).toEqual({ type: 'session_status_changed', sessionId: session.sessionId, status: 'active' });
    }

    guest.send({ type: 'typing', isTyping: true });
    expect(await assignee.next('user_typing')).toEqual({ type: 'user_typing', sessionId: session.sessionId, isTyping: true });
    await agentReply(session, jane, 'On it');
    await sendGuestMessage(t, session, 'marker');
    expect((await assignee.next('agent_message')).message.content).toBe('On it');
    await other.next('user_message');
    expect(other.received('agent_message')).toEqual([]);
    expect(other.received('user_typing')).toEqual([]);
  });

  it('sends agent_assigned for a transfer and stops routing agent events to the previous assignee', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const first = await agentSocket(jane);
    const second = await agentSocket(bob);
    await assignTo(session, jane);
    await assignTo(session, bob, jane);
    const [assigned, transferred] = await first.take('agent_assigned', 2);
    expect(assigned.agent).toEqual(agentView(jane));
    expect(transferred).toEqual({ type: 'agent_assigned', sessionId: session.sessionId, agent: agentView(bob) });
    expect((await guest.take('agent_assigned', 2)).map((frame) => frame.agent)).toEqual([agentView(jane), agentView(bob)]);

    await agentReply(session, bob, 'I took over');
    await sendGuestMessage(t, session, 'marker');
    expect((await second.next('agent_message')).message.content).toBe('I took over');
    await first.next('user_message');
    expect(first.received('agent_message')).toEqual([]);
  });

  it('closes the guest sockets of a session an admin deletes with 4404; agents stay connected', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const secondTab = await guestSocket(session);
    const other = await guestSocket(await createSession(t));
    const agent = await agentSocket(jane);
    await subscribe(agent, session);

    await t.http.delete(`${ADMIN}/sessions/${session.sessionId}`).set('Authorization', bearer(admin)).expect(200);

    expect(await guest.closed).toEqual({ code: 4404, reason: 'Session not found' });
    expect(await secondTab.closed).toEqual({ code: 4404, reason: 'Session not found' });
    await agent.roundTrip();
    await other.roundTrip();
    agent.send({ type: 'subscribe_session', sessionId: session.sessionId });
    expect(await agent.next('error')).toEqual({ type: 'error', message: 'Session not found' });
  });

  it('sends session_status_changed to the guest and to every agent when an agent changes the status', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const [a, b] = [await agentSocket(jane), await agentSocket(bob)];
    const status = (body: object) => t.http.patch(`${ADMIN}/sessions/${session.sessionId}/status`).set('Authorization', bearer(jane)).send(body).expect(200);

    await status({ status: 'closed' });
    await status({ priority: 'high' });
    await status({ status: 'active' });

    for (const client of [guest, a, b]) {
      const frames = await client.take('session_status_changed', 3);
      expect(frames.map((frame) => frame.status)).toEqual(['closed', 'closed', 'active']);
      expect(frames[0]).toEqual({ type: 'session_status_changed', sessionId: session.sessionId, status: 'closed' });
    }
  });

  it('follows the open sessions already assigned to an agent when it connects', async () => {
    const session = await createSession(t);
    const carol = await createAgent(t, { firstName: 'Carol' });
    await assignTo(session, carol);
    const assignee = await agentSocket(carol);
    const other = await agentSocket(bob);

    await agentReply(session, bob, 'Carol, take a look');
    await sendGuestMessage(t, session, 'marker');
    expect((await assignee.next('agent_message')).message.content).toBe('Carol, take a look');
    await other.next('user_message');
    expect(other.received('agent_message')).toEqual([]);
  });

  describe('typing', () => {
    it('sends a guest’s typing (socket and REST) as user_typing to following agents, not to other agents or the guest', async () => {
      const session = await createSession(t);
      const guest = await guestSocket(session);
      const follower = await agentSocket(jane);
      const bystander = await agentSocket(bob);
      await subscribe(follower, session);

      guest.send({ type: 'typing', isTyping: true });
      expect(await follower.next('user_typing')).toEqual({ type: 'user_typing', sessionId: session.sessionId, isTyping: true });
      await t.http.post(`/api/live-chat/sessions/${session.sessionId}/typing`).set(guestHeaders(session)).send({ isTyping: false }).expect(200);
      expect(await follower.next('user_typing')).toEqual({ type: 'user_typing', sessionId: session.sessionId, isTyping: false });

      await sendGuestMessage(t, session, 'marker');
      await bystander.next('user_message');
      expect(bystander.received('user_typing')).toEqual([]);
      await guest.next('user_message');
      expect(guest.received('user_typing')).toEqual([]);
    });

    it('sends an agent’s typing as agent_typing to the guest and other following agents', async () => {
      const session = await createSession(t);
      const guest = await guestSocket(session);
      const typist = await agentSocket(jane);
      const colleague = await agentSocket(bob);
      await subscribe(colleague, session);

      typist.send({ type: 'typing', isTyping: true, sessionId: session.sessionId });
      expect(await guest.next('agent_typing')).toEqual({ type: 'agent_typing', sessionId: session.sessionId, isTyping: true });
      expect(await colleague.next('agent_typing')).toEqual({ type: 'agent_typing', sessionId: session.sessionId, isTyping: true });
    });

    it('refuses a guest typing into another session, an agent typing without a session, and a bad isTyping', async () => {
      const session = await createSession(t);
      const stranger = await createSession(t);
      const guest = await guestSocket(session);
      const strangerSocket = await guestSocket(stranger);
      const agent = await agentSocket(jane);

      guest.send({ type: 'typing', isTyping: true, sessionId: stranger.sessionId });
      expect(await guest.next('error')).toEqual({ type: 'error', message: 'You can only use your own session' });
      agent.send({ type: 'typing', isTyping: true });
      expect(await agent.next('error')).toEqual({ type: 'error', message: 'sessionId is required' });
      guest.send({ type: 'typing', isTyping: 'yes' });
      expect(await guest.next('error')).toEqual({ type: 'error', message: 'isTyping must be a boolean' });

      await sendGuestMessage(t, stranger, 'marker');
      await strangerSocket.next('user_message');
      expect(strangerSocket.received('agent_typing')).toEqual([]);
      expect(strangerSocket.received('user_typing')).toEqual([]);
    });
  });

  describe('read receipts', () => {
    it('an agent reading a guest message persists it, lowers unreadCount and sends read_receipt to the guest and followers', async () => {
      const session = await createSession(t);
      const guest = await guestSocket(session);
      const reader = await agentSocket(jane);
      const follower = await agentSocket(bob);
      await subscribe(follower, session);
      const sent = await sendGuestMessage(t, session, 'Please read me');

      reader.send({ type: 'read_receipt', sessionId: session.sessionId, messageId: sent._id });

      const expected = { type: 'read_receipt', sessionId: session.sessionId, messageId: sent._id, readBy: jane.agent.id };
      expect(await guest.next('read_receipt')).toEqual(expected);
      expect(await follower.next('read_receipt')).toEqual(expected);
      const stored = await t.connection.collection('livechatmessages').findOne({ sessionId: session.sessionId, seq: sent.seq });
      expect(stored).toMatchObject({ isRead: true, readAt: expect.any(Date) });
      expect(await t.connection.collection('livechatsessions').findOne({ sessionId: session.sessionId })).toMatchObject({ unreadCount: 0 });
    });

    it('a guest reading an agent message sends read_receipt readBy guest to following agents', async () => {
      const session = await createSession(t);
      const guest = await guestSocket(session);
      const follower = await agentSocket(jane);
      await subscribe(follower, session);
      const message = await agentReply(session, jane, 'Read this');

      guest.send({ type: 'read_receipt', messageId: message._id });

      expect(await follower.next('read_receipt')).toEqual({ type: 'read_receipt', sessionId: session.sessionId, messageId: message._id, readBy: 'guest' });
      expect(await guest.next('read_receipt')).toMatchObject({ messageId: message._id });
    });

    it('refuses a receipt for another session, an unknown message and a malformed id', async () => {
      const session = await createSession(t);
      const stranger = await createSession(t);
      const guest = await guestSocket(session);
      const agent = await agentSocket(jane);
      const theirs = await sendGuestMessage(t, stranger, 'not yours');

      guest.send({ type: 'read_receipt', messageId: theirs._id, sessionId: stranger.sessionId });
      expect(await guest.next('error')).toEqual({ type: 'error', message: 'You can only use your own session' });
      agent.send({ type: 'read_receipt', messageId: theirs._id, sessionId: session.sessionId });
      expect(await agent.next('error')).toEqual({ type: 'error', message: 'Message not found' });
      agent.send({ type: 'read_receipt', messageId: 'nope', sessionId: session.sessionId });
      expect(await agent.next('error')).toEqual({ type: 'error', message: 'Invalid message ID' });
      expect(await t.connection.collection('livechatmessages').findOne({ sessionId: stranger.sessionId, seq: theirs.seq })).toMatchObject({ isRead: false });
    });
  });

  it('sends session_status_changed to the guest and to agents when the guest ends the chat', async () => {
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const agent = await agentSocket(jane);

    await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).send({}).expect(200);

    const expected = { type: 'session_status_changed', sessionId: session.sessionId, status: 'closed' };
    expect(await guest.next('session_status_changed')).toEqual(expected);
    expect(await agent.next('session_status_changed')).toEqual(expected);
  });

  it('sends agent_presence online when an agent connects and offline when its last socket closes, to agents only', async () => {
    const watcher = await agentSocket(jane);
    const session = await createSession(t);
    const guest = await guestSocket(session);
    const carol = await createAgent(t, { firstName: 'Carol' });

    const first = await agentSocket(carol);
    expect(await watcher.waitFor((f) => f.type === 'agent_presence' && f.agentId === carol.agent.id)).toEqual({
      type: 'agent_presence',
      agentId: carol.agent.id,
      availability: 'online',
    });
    const second = await agentSocket(carol);
    await second.close();
    await first.close();
    expect(await watcher.waitFor((f) => f.type === 'agent_presence' && f.agentId === carol.agent.id)).toMatchObject({ availability: 'offline' });
    expect(watcher.received('agent_presence').filter((f) => f.agentId === carol.agent.id)).toHaveLength(2);
    const stored = await t.connection.collection('agents').findOne({ email: carol.agent.email });
    expect(stored).toMatchObject({ availability: 'offline' });

    await sendGuestMessage(t, session, 'marker');
    await guest.next('user_message');
    expect(guest.received('agent_presence')).toEqual([]);
  });

  it('keeps two agents apart: one agent’s subscription does not leak to another', async () => {
    const first = await createSession(t);
    const second = await createSession(t);
    const a = await agentSocket(jane);
    const b = await agentSocket(bob);
    await subscribe(a, first);
    await subscribe(b, second);

    await agentReply(first, bob, 'for first');
    await agentReply(second, jane, 'for second');

    expect((await a.next('agent_message')).sessionId).toBe(first.sessionId);
    expect((await b.next('agent_message')).sessionId).toBe(second.sessionId);
    await sendGuestMessage(t, second, 'marker');
    await a.waitFor((f) => f.type === 'user_message' && f.sessionId === second.sessionId);
    expect(a.received('agent_message')).toHaveLength(1);
    await b.waitFor((f) => f.type === 'user_message' && f.sessionId === second.sessionId);
    expect(b.received('agent_message')).toHaveLength(1);
  });
});
