import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { eventually, ferretDbPids, isAlive, processesMentioning, REPO_ROOT, SERVICE_ARGS, serviceEnv, startService, waitForHealth } from '../utils/service-process';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'fault-suite-secret-that-is-long-enough-0123456789', CORS_ORIGINS: 'http://localhost' };
const SHUTDOWN_TIMEOUT_MS = 3000;
/** Far more than a shutdown takes (about a second): a service still running after it hangs. */
const OWN_EXIT_MS = 20_000;

describe('shutdown', () => {
  let dataDir: string;
  let port: number;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'live-chat-faults-'));
    port = await freePort();
  });
  afterEach(async () => {
    for (const pid of processesMentioning(dataDir)) process.kill(Number(pid), 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ends on SIGTERM to its process group when the reader of its stdout exits at once (npm start | pino-pretty, Ctrl-C)', async () => {
    // The deadline is far away: an exit within OWN_EXIT_MS is the service's own.
    const env = serviceEnv({ ...PRODUCTION, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '100', SHUTDOWN_TIMEOUT_MS: '120000' });
    const reader = spawn(process.execPath, [join(__dirname, 'fixtures', 'pipe-reader.js'), process.execPath, ...SERVICE_ARGS], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = Number(await new Promise<string>((done) => reader.stdout.once('data', (d: Buffer) => done(d.toString().trim()))));
    try {
      await waitForHealth(port);
      // Enough requests that log lines (201s and 429s) are still in the log batch at the signal.
      const statuses: number[] = [];
      for (let i = 0; i < 130; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/api/live-chat/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: { name: 'Pipe', email: `pipe${i}@example.com` } }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toContain(429);
      reader.stdin.write('stop\n');
      await new Promise((done) => reader.once('exit', done));

      expect(await eventually(() => !isAlive(pid), OWN_EXIT_MS)).toBe(true);
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('exits with 1 and one line on stderr when shutdown is not done within SHUTDOWN_TIMEOUT_MS (a request stuck on a frozen database)', async () => {
    const service = startService({ PORT: String(port), DATA_DIR: dataDir, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), GUEST_TOKEN_REQUIRED: 'false' });
    try {
      await waitForHealth(port);
      const [database] = ferretDbPids(dataDir);
      process.kill(database, 'SIGSTOP');
      const stuck = fetch(`http://127.0.0.1:${port}/api/live-chat/sessions/session-stuck/messages`).catch((err: Error) => err);
      await new Promise((r) => setTimeout(r, 300));
      service.child.kill('SIGTERM');

      expect(await service.exited).toBe(1);
      expect(service.output().match(/^Shutdown did not finish within 3000 ms; exiting$/gm)).toHaveLength(1);
      // The waiting client is disconnected, not left hanging.
      expect(String(await stuck)).toMatch(/fetch failed/);
      process.kill(database, 'SIGCONT');
      expect(await eventually(() => processesMentioning(dataDir).length === 0, 10_000)).toBe(true);
    } finally {
      service.child.kill('SIGKILL');
    }
  });
});
