import { EventBus } from '../../src/common/events/event-bus';
import { createAgent, TestAgent } from '../factories/agent.factory';
import { createSession, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsTestClient } from '../utils/ws-client';

describe('/ws/live-chat frames and limits', () => {
  let t: TestApp;
  let session: TestSession;
  const clients: WsTestClient[] = [];
  const guestSocket = async () => {
    const client = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { WS_MAX_PAYLOAD_BYTES: '2048', WS_MESSAGES_PER_SECOND: '5' } });
    session = await createSession(t);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(() => t.destroy());

  it('answers ping with pong {timestamp}', async () => {
    const client = await guestSocket();
    client.send({ type: 'ping' });
    const pong = await client.next('pong');
    expect(Object.keys(pong).sort()).toEqual(['timestamp', 'type']);
    expect(new Date(pong.timestamp).toISOString()).toBe(pong.timestamp);
  });

  it.each([
    ['non-JSON text', 'hello there', 'Invalid JSON'],
    ['a JSON array', '[1,2]', 'A frame must be a JSON object with a string "type"'],
    ['a JSON string', '"typing"', 'A frame must be a JSON object with a string "type"'],
    ['an object without type', '{"isTyping":true}', 'A frame must be a JSON object with a string "type"'],
    ['a non-string type', '{"type":42}', 'A frame must be a JSON object with a string "type"'],
    ['an unknown type', '{"type":"launch_missiles"}', 'Unknown message type: launch_missiles'],
    ['a payload failing validation', '{"type":"resume","afterSeq":-1}', 'afterSeq must be a non-negative integer'],
    ['an operator object where a string belongs', '{"type":"read_receipt","messageId":{"$ne":null}}', 'Invalid message ID'],
  ])('answers %s with an error frame and keeps the socket open', async (_what, raw, message) => {
    const client = await guestSocket();
    client.send(raw);
    expect(await client.next('error')).toEqual({ type: 'error', message });
    await client.roundTrip();
  });

  it('answers a binary frame like a text one', async () => {
    const client = await guestSocket();
    client.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    await client.next('pong');
  });

  it('closes a socket sending a frame over WS_MAX_PAYLOAD_BYTES with 1009, and only that socket', async () => {
    const offender = await guestSocket();
    const neighbour = await guestSocket();
    offender.send({ type: 'typing', isTyping: true, padding: 'x'.repeat(4096) });
    expect((await offender.closed).code).toBe(1009);
    await neighbour.roundTrip();
  });

  it('accepts a frame just under WS_MAX_PAYLOAD_BYTES', async () => {
    const client = await guestSocket();
    client.send({ type: 'ping', padding: 'x'.repeat(1900) });
    await client.next('pong');
  });

  it('answers frames over WS_MESSAGES_PER_SECOND with one error and drops them, keeping the socket open', async () => {
    const client = await guestSocket();
    for (let i = 0; i < 20; i++) client.send({ type: 'ping' });
    // However the 20 frames fall across one-second windows, at most 5 of each window are answered.
    expect(await client.next('error')).toEqual({ type: 'error', message: 'Too many messages, slow down' });
    await client.waitFor((frame) => frame.type === 'pong', 5000);
    const pongs = () => client.received('pong').length;
    expect(pongs()).toBeLessThan(20);
    // The socket still works once the window has passed.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = pongs();
    await client.roundTrip();
    expect(pongs()).toBe(before + 1);
  });
});

describe('/ws/live-chat liveness', () => {
  let t: TestApp;
  let watcher: TestAgent;
  let slow: TestAgent;
  let session: TestSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { WS_HEARTBEAT_INTERVAL_MS: '1000', WS_MAX_BUFFERED_BYTES: '65536' } });
    watcher = await createAgent(t);
    slow = await createAgent(t);
    session = await createSession(t);
  });

  afterAll(() => t.destroy());

  it('keeps a socket that answers pings open across heartbeats', async () => {
    const client = await WsTestClient.open(t.wsUrl, { query: { sessionId: session.sessionId, token: session.guestToken } });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await client.roundTrip();
    client.terminate();
  });

  it('terminates a socket that stops answering pings, and the agent goes offline', async () => {
    const observer = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: watcher.token } });
    const dead = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: slow.token }, autoPong: false });
    await observer.waitFor((f) => f.type === 'agent_presence' && f.agentId === slow.agent.id && f.availability === 'online');

    expect((await dead.closed).code).toBe(1006);
    await observer.waitFor((f) => f.type === 'agent_presence' && f.agentId === slow.agent.id && f.availability === 'offline');
    await observer.roundTrip();
    observer.terminate();
  });

  it('terminates a consumer that stops reading once its unsent data passes WS_MAX_BUFFERED_BYTES', async () => {
    const observer = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: watcher.token } });
    const reader = await WsTestClient.open(t.wsUrl, { query: { admin: 'true', token: slow.token } });
    await observer.waitFor((f) => f.type === 'agent_presence' && f.agentId === slow.agent.id && f.availability === 'online');
    reader.send({ type: 'subscribe_session', sessionId: session.sessionId });
    await reader.next('subscribed');
    reader.pauseReading();

    // Agent messages go to the session's followers (the reader), not to the observer. Publish far
    // more than the socket buffers hold, until the server gives up on the reader.
    const bus = t.app.get(EventBus);
    const content = 'x'.repeat(60_000);
    const offline = observer.waitFor((f) => f.type === 'agent_presence' && f.agentId === slow.agent.id && f.availability === 'offline', 30_000);
    let gone = false;
    void offline.then(() => (gone = true));
    for (let seq = 1; !gone && seq <= 2000; seq++) {
      await bus.publish('message.created', { sessionId: session.sessionId, message: { _id: `m${seq}`, sessionId: session.sessionId, seq, type: 'agent', content } });
      if (seq % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await offline;

    reader.resumeReading();
    expect((await reader.closed).code).toBe(1006);
    expect(reader.received('agent_message').length).toBeLessThan(2000);
    await observer.roundTrip();
    expect(observer.received('agent_message')).toEqual([]);
    observer.terminate();
  });
});
