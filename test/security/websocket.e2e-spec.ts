import { connect } from 'node:net';
import { createSession, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { WsRefusedError, WsTestClient } from '../utils/ws-client';
import { expectNoLeak } from './support/leaks';

/**
 * WebSocket abuse beyond test/realtime (which covers non-JSON, binary and unknown frames,
 * oversized frames, the listed Origin, floods, the per-IP cap and slow consumers): hostile
 * upgrades, Origin look-alikes, forged X-Forwarded-For against the per-IP cap, hostile JSON, and
 * one abusive socket never hurting another.
 */
describe('security: WebSocket abuse', () => {
  let t: TestApp;
  let session: TestSession;
  const open: WsTestClient[] = [];
  const guest = () => ({ query: { sessionId: session.sessionId, token: session.guestToken } });

  beforeAll(async () => {
    t = await createTestApp({
      env: { CORS_ORIGINS: 'https://shop.example.com', TRUST_PROXY: '1', WS_MAX_CONNECTIONS_PER_IP: '4', WS_MESSAGES_PER_SECOND: '20' },
    });
    session = await createSession(t);
  });
  afterEach(() => {
    open.splice(0).forEach((client) => client.terminate());
  });
  afterAll(() => t.destroy());

  /** Raw bytes to the HTTP port; resolves with whatever comes back before the server closes. */
  function rawRequest(payload: string, timeoutMs = 5000): Promise<string> {
    const { port } = new URL(t.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      const done = () => {
        socket.destroy();
        resolve(answer);
      };
      socket.setTimeout(timeoutMs, done);
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', done);
      socket.on('error', done);
      socket.write(payload);
    });
  }

  it.each([
    ['a look-alike suffix', 'https://shop.example.com.evil.example'],
    ['a look-alike prefix', 'https://evil-shop.example.com'],
    ['another scheme', 'http://shop.example.com'],
    ['another port', 'https://shop.example.com:8443'],
    ['the null origin (sandboxed iframes, file://)', 'null'],
  ])('refuses %s Origin with 403', async (_label, origin) => {
    const refusal = await WsTestClient.refusal(t.wsUrl, { ...guest(), origin });
    expect(refusal.status).toBe(403);
  });

  it('accepts the listed Origin', async () => {
    open.push(await WsTestClient.open(t.wsUrl, { ...guest(), origin: 'https://shop.example.com' }));
  });

  it('REST CORS follows the same list: no Access-Control-Allow-Origin for a look-alike', async () => {
    for (const origin of ['https://shop.example.com.evil.example', 'null']) {
      const preflight = await t.http.options('/api/live-chat/sessions').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    }
    const allowed = await t.http.options('/api/live-chat/sessions').set('Origin', 'https://shop.example.com').set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses an upgrade with thousands of headers before the WebSocket exists, and keeps serving', async () => {
    const headers = Array.from({ length: 5000 }, (_, i) => `X-Filler-${i}: ${'a'.repeat(20)}`).join('\r\n');
    const answer = await rawRequest(
      `GET /ws/live-chat?sessionId=${session.sessionId}&token=${encodeURIComponent(session.guestToken)} HTTP/1.1\r\n` +
        `Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${headers}\r\n\r\n`,
    );
    expect(answer).not.toMatch(/^HTTP\/1\.1 101/);
    expect(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer)).toBe(true);
    open.push(await WsTestClient.open(t.wsUrl, guest()));
  });

  it('refuses upgrades on other paths and malformed upgrades', async () => {
    const wrongPath = await WsTestClient.connect(t.wsUrl.replace('/ws/live-chat', '/ws/other'), guest()).catch((err: unknown) => err);
    expect(wrongPath).not.toBeInstanceOf(WsTestClient);
    const badKey = await rawRequest(
      `GET /ws/live-chat?sessionId=${session.sessionId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n\r\n`,
    );
    expect(badKey).toMatch(/^HTTP\/1\.1 400/);
    const badVersion = await rawRequest(
      `GET /ws/live-chat?sessionId=${session.sessionId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(badVersion).toMatch(/^HTTP\/1\.1 4\d\d/);
  });

  it('a forged X-Forwarded-For gets no fresh connection slots (TRUST_PROXY=1: the last address is the client)', async () => {
    const viaProxy = (forged: string) => ({ ...guest(), headers: { 'X-Forwarded-For': `${forged}, 198.51.100.20` } });
    for (let i = 0; i < 4; i++) open.push(await WsTestClient.open(t.wsUrl, viaProxy(`10.0.0.${i}`)));
    const refusal = await WsTestClient.refusal(t.wsUrl, viaProxy('10.0.0.99'));
    expect(refusal.status).toBe(429);
    // Another real client behind the same proxy still gets in.
    open.push(await WsTestClient.open(t.wsUrl, { ...guest(), headers: { 'X-Forwarded-For': '198.51.100.21' } }));
  });

  it('answers hostile JSON (deep nesting, prototype keys) with error frames, leaks nothing and pollutes nothing', async () => {
    const client = await WsTestClient.open(t.wsUrl, guest());
    open.push(client);
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    client.send(`{"type":"typing","isTyping":true,"x":${deep}}`);
    client.send(`{"type":"typing","isTyping":true,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`);
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(10_000)]) client.send({ type });
    await client.roundTrip();
    const errors = client.received('error');
    expect(errors[0]).toEqual({ type: 'error', message: 'Frame is nested too deeply' });
    expect(errors).toHaveLength(6);
    errors.forEach((frame) => {
      expectNoLeak(frame);
      expect(frame.message.length).toBeLessThan(200);
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('one socket flooding frames and garbage does not slow or silence another', async () => {
    const flooder = await WsTestClient.open(t.wsUrl, guest());
    const bystander = await WsTestClient.open(t.wsUrl, guest());
    open.push(flooder, bystander);
    for (let i = 0; i < 2000; i++) flooder.socket.send(i % 2 ? 'not json' : Buffer.from([0xff, 0x00, 0xfe]));
    await bystander.roundTrip();
    await t.http.get('/health').expect(200);
    // The flooder was told once and is still usable after the window.
    expect(flooder.received('error').filter((frame) => frame.message === 'Too many messages, slow down').length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a guest socket for a session id that only looks like one, without an oracle', async () => {
    const unknown = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: 'session-0-doesnotexist0000' } });
    const known = await WsTestClient.refusal(t.wsUrl, { query: { sessionId: session.sessionId } });
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(known).toBeInstanceOf(WsRefusedError);
  });
});
