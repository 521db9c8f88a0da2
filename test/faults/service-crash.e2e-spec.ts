import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { eventually, processesMentioning, startService, waitForHealth } from '../utils/service-process';
import { Burst, createGuestSession, GuestSession, verifyStored } from './support/burst';

/** Case 2 of issue 22: kill -9 of the service mid-burst, then a restart on the same DATA_DIR. */
describe('the service killed mid-burst', () => {
  let dataDir: string;
  let service: ReturnType<typeof startService> | undefined;
  afterEach(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no database process behind, and after a restart on the same DATA_DIR keeps every acknowledged message once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'live-chat-faults-kill-'));
    const [port, dbPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort), RATE_LIMIT_ENABLED: 'false' };
    service = startService(env);
    await waitForHealth(port);
    const sessions: GuestSession[] = [];
    for (let i = 0; i < 8; i++) sessions.push(await createGuestSession(base, `kill${i}`));

    const burst = new Burst(base, sessions);
    expect(await eventually(() => burst.acknowledged().length >= 40, 30_000)).toBe(true);
    service.child.kill('SIGKILL');
    await service.exited;
    // The watchdog sees its pipe close and takes the database down with the service.
    expect(await eventually(() => processesMentioning(dataDir).length === 0, 10_000)).toBe(true);

    service = startService(env);
    await waitForHealth(port);
    const atRestart = burst.acknowledged().length;
    expect(await eventually(() => burst.acknowledged().length >= atRestart + 40, 30_000)).toBe(true);
    const outcomes = await burst.stop();

    // While it was down, connections failed (status 0); it never answered 500.
    expect(outcomes.map((o) => o.status).filter((status) => ![0, 200, 201, 503].includes(status))).toEqual([]);
    const { stored, acknowledged } = await verifyStored(`mongodb://127.0.0.1:${dbPort}/`, sessions, outcomes);
    expect(stored).toBeGreaterThanOrEqual(acknowledged);
  });
});
