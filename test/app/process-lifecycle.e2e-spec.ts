import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../../src/database/embedded-database';
import { processesMentioning, startService, waitForHealth } from '../utils/service-process';

describe('the service process', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'live-chat-process-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses a bad configuration with one clear line', async () => {
    const service = startService({ PORT: 'not-a-port', DATA_DIR: dataDir });
    expect(await service.exited).toBe(1);
    expect(service.output().trim()).toMatch(/^Failed to start: Invalid configuration: PORT: .*not-a-port/);
    expect(service.output().trim().split('\n')).toHaveLength(1);
  });

  it('logs each request as one short JSON line: id, method, path and status, never a token', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const service = startService({ PORT: String(port), DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort), LOG_LEVEL: 'info' });
    try {
      await waitForHealth(port);
      const base = `http://127.0.0.1:${port}/api/live-chat/sessions`;
      const created = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { name: 'Log', email: 'log@example.com' } }) });
      const { data } = (await created.json()) as { data: { session: { sessionId: string }; guestToken: string } };
      const messages = `${base}/${data.session.sessionId}/messages`;
      await fetch(`${messages}?token=${data.guestToken}`, { headers: { 'x-guest-token': data.guestToken, authorization: `Bearer ${data.guestToken}` } });
      const deadline = Date.now() + 5000;
      const logged = () => service.output().split('\n').filter((line) => line.includes('"request completed"') && line.includes('/messages'));
      while (logged().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

      const [line] = logged();
      expect(JSON.parse(line)).toMatchObject({ req: { method: 'GET', url: `/api/live-chat/sessions/${data.session.sessionId}/messages` }, res: { statusCode: 200 } });
      expect(Object.keys(JSON.parse(line).req)).toEqual(['id', 'method', 'url']);
      expect(Object.keys(JSON.parse(line).res)).toEqual(['statusCode']);
      expect(service.output()).not.toContain(data.guestToken);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('writes its buffered log lines before it exits on SIGTERM', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const service = startService({ PORT: String(port), DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort), LOG_LEVEL: 'info' });
    await waitForHealth(port);
    await fetch(`http://127.0.0.1:${port}/api/live-chat/no-such-route`);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe('SIGTERM');
    expect(service.output()).toMatch(/"url":"\/api\/live-chat\/no-such-route".*"request completed"/);
  });

  it('starts its embedded database, keeps data across restarts and leaves no database process on SIGTERM', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort) };

    const first = startService(env);
    await waitForHealth(port);
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${dbPort}/`);
    await client.db('livechat').collection('restart_probe').insertOne({ kept: true });
    await client.close();
    first.child.kill('SIGTERM');
    // Nest finishes its shutdown hooks, then re-raises the signal.
    expect(await first.exited).toBe('SIGTERM');
    expect(processesMentioning(dataDir)).toEqual([]);

    const second = startService(env);
    await waitForHealth(port);
    const again = await MongoClient.connect(`mongodb://127.0.0.1:${dbPort}/`);
    expect(await again.db('livechat').collection('restart_probe').findOne({})).toMatchObject({ kept: true });
    await again.close();
    second.child.kill('SIGKILL');
    await second.exited;
    // Even a killed service takes its database with it: the watchdog sees the pipe close.
    const deadline = Date.now() + 5000;
    while (processesMentioning(dataDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});
