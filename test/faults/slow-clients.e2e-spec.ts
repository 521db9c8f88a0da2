import { connect, Socket } from 'node:net';
import { createTestApp, TestApp } from '../utils/create-test-app';

const SLOW_CLIENTS = 40;

/** Case 6 of issue 22: slowloris connections do not keep others from being served, and are cut off. */
describe('slow clients', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await createTestApp({ env: { HTTP_HEADERS_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await t.destroy();
  });

  it('serves other clients while a few dozen connections trickle their headers, then answers those 408 and closes them', async () => {
    const { port } = new URL(t.url);
    const endings = Array.from({ length: SLOW_CLIENTS }, () => {
      const socket = connect(Number(port), '127.0.0.1');
      sockets.push(socket);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
      // One header byte every 200 ms: never a complete request.
      const trickle = setInterval(() => socket.writable && socket.write('X'), 200);
      return new Promise<string>((done) =>
        socket.once('close', () => {
          clearInterval(trickle);
          done(received);
        }),
      );
    });

    for (let i = 0; i < 20; i++) await t.http.get('/health').expect(200);

    const answers = await Promise.all(endings);
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});
