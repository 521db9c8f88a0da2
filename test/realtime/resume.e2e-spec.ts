import { EventBus } from '../../src/common/events/event-bus';
import { MessagesService } from '../../src/chat/messages/messages.service';
import { createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, sendGuestMessage, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsFrame, WsTestClient } from '../utils/ws-client';

const isMessage = (frame: WsFrame) => frame.type === 'user_message' || frame.type === 'agent_message';

describe('/ws/live-chat resume', () => {
  let t: TestApp;
  let agent: TestAgent;
  const clients: WsTestClient[] = [];
  const guestSocket = async (session: TestSession) => {
    const client = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
    clients.push(client);
    return client;
  };
  const agentMessage = (session: TestSession, content: string) =>
    t.app.get(MessagesService).createMessage({ sessionId: session.sessionId, type: 'agent', content, agent: { id: agent.agent.id, name: 'Jane Smith' } });
  /** Message frames until (and including) the one with this seq. */
  const messagesUpTo = async (client: WsTestClient, seq: number): Promise<WsFrame[]> => {
    await client.waitFor((frame) => isMessage(frame) && frame.message.seq === seq);
    return client.frames.filter(isMessage);
  };

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createAgent(t);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(() => t.destroy());

  it('resends the 10 messages sent while the guest was away: none lost, none duplicated, in order', async () => {
    const session = await createSession(t);
    const first = await guestSocket(session);
    const seen = await sendGuestMessage(t, session, 'before the disconnect');
    await first.next('user_message');
    await first.close();

    const missed: number[] = [];
    for (let i = 0; i < 10; i++) {
      const message = i % 2 === 0 ? await sendGuestMessage(t, session, `guest ${i}`) : (await agentMessage(session, `agent ${i}`)).message;
      missed.push(message.seq);
    }

    const again = await guestSocket(session);
    again.send({ type: 'resume', afterSeq: seen.seq });
    const resumed = await again.next('resumed');
    expect(resumed).toEqual({ type: 'resumed', sessionId: session.sessionId, lastSeq: missed[9] });

    const frames = again.frames.filter(isMessage);
    expect(frames.map((frame) => frame.message.seq)).toEqual(missed);
    expect(frames.map((frame) => frame.type)).toEqual(missed.map((_, i) => (i % 2 === 0 ? 'user_message' : 'agent_message')));
    expect(frames[1]).toEqual({ type: 'agent_message', sessionId: session.sessionId, message: expect.objectContaining({ content: 'agent 1', agentName: 'Jane Smith' }) });

    // Live delivery carries on after the backlog, without repeats.
    const next = await sendGuestMessage(t, session, 'after the resume');
    await again.waitFor((frame) => isMessage(frame) && frame.message.seq === next.seq);
    await again.roundTrip();
    expect(again.frames.filter(isMessage).map((frame) => frame.message.seq)).toEqual([...missed, next.seq]);
  });

  it('resumes from 0 with the whole history, the welcome message (system) as agent_message', async () => {
    const session = await createSession(t);
    await sendGuestMessage(t, session, 'hello');
    const client = await guestSocket(session);
    client.send({ type: 'resume', afterSeq: 0 });
    await client.next('resumed');
    const frames = client.frames.filter(isMessage);
    expect(frames.map((frame) => [frame.type, frame.message.type, frame.message.seq])).toEqual([
      ['agent_message', 'system', 1],
      ['user_message', 'user', 2],
    ]);
  });

  it('delivers messages published during a resume exactly once, in seq order', async () => {
    const session = await createSession(t);
    for (let i = 0; i < 30; i++) await sendGuestMessage(t, session, `old ${i}`);
    const client = await guestSocket(session);

    client.send({ type: 'resume', afterSeq: 0 });
    const live = await Promise.all(Array.from({ length: 10 }, (_, i) => sendGuestMessage(t, session, `live ${i}`)));
    const lastSeq = Math.max(...live.map((message) => message.seq));

    const seqs = (await messagesUpTo(client, lastSeq)).map((frame) => frame.message.seq);
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    await client.next('resumed');
    await client.roundTrip();
    expect(client.frames.filter(isMessage)).toHaveLength(lastSeq);
  });

  it('holds messages published while the backlog is read: newer ones follow it, repeats are dropped', async () => {
    const session = await createSession(t);
    await sendGuestMessage(t, session, 'old');
    const client = await guestSocket(session);
    const messages = t.app.get(MessagesService);
    const listAfter = messages.listAfter.bind(messages);
    let live: Record<string, any> | undefined;
    const spy = jest.spyOn(messages, 'listAfter').mockImplementationOnce(async (sessionId, afterSeq, limit) => {
      const backlog = await listAfter(sessionId, afterSeq, limit);
      // While the backlog is on its way: a new message, and a repeat of one the backlog holds.
      live = await sendGuestMessage(t, session, 'live');
      await t.app.get(EventBus).publish('message.created', { sessionId, message: { ...backlog[1] } });
      return backlog;
    });

    client.send({ type: 'resume', afterSeq: 0 });
    expect(await client.next('resumed')).toEqual({ type: 'resumed', sessionId: session.sessionId, lastSeq: 3 });
    spy.mockRestore();

    expect(live?.seq).toBe(3);
    expect(client.frames.filter(isMessage).map((frame) => [frame.message.seq, frame.message.content])).toEqual([
      [1, expect.stringContaining('Welcome')],
      [2, 'old'],
      [3, 'live'],
    ]);
  });

  it('lets an agent resume any session it names, and refuses a guest naming another session', async () => {
    const session = await createSession(t);
    const stranger = await createSession(t);
    await sendGuestMessage(t, session, 'one');

    const admin = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: agent.token } });
    clients.push(admin);
    admin.send({ type: 'resume', afterSeq: 1 });
    expect(await admin.next('error')).toEqual({ type: 'error', message: 'sessionId is required' });
    admin.send({ type: 'resume', afterSeq: 1, sessionId: session.sessionId });
    expect(await admin.next('resumed')).toEqual({ type: 'resumed', sessionId: session.sessionId, lastSeq: 2 });
    expect((await admin.next('user_message')).message.content).toBe('one');

    const guest = await guestSocket(session);
    guest.send({ type: 'resume', afterSeq: 0, sessionId: stranger.sessionId });
    expect(await guest.next('error')).toEqual({ type: 'error', message: 'You can only use your own session' });
    guest.send({ type: 'resume', afterSeq: 'zero' });
    expect(await guest.next('error')).toEqual({ type: 'error', message: 'afterSeq must be a non-negative integer' });
    await guest.roundTrip();
    expect(guest.frames.filter(isMessage)).toEqual([]);
  });

  it('answers a resume beyond the last message with nothing but resumed', async () => {
    const session = await createSession(t);
    const client = await guestSocket(session);
    client.send({ type: 'resume', afterSeq: 99 });
    expect(await client.next('resumed')).toEqual({ type: 'resumed', sessionId: session.sessionId, lastSeq: 99 });
    expect(client.frames.filter(isMessage)).toEqual([]);
  });
});
