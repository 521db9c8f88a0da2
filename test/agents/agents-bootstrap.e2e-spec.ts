import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from '../utils/create-test-app';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

const login = (t: TestApp, email: string, password: string) => t.http.post('/api/auth/login').send({ email, password });

describe('first super_admin from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let t: TestApp;
  afterAll(() => t.destroy());

  it('is created on first start, and not again once a super_admin exists', async () => {
    t = await createTestApp({ env: { ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'first-admin-password' } });
    const res = await login(t, 'root@example.com', 'first-admin-password').expect(200);
    expect(res.body.data.agent).toMatchObject({ email: 'root@example.com', role: 'super_admin', active: true });

    await t.close();
    t = await createTestApp({ reuse: t, env: { ADMIN_EMAIL: 'second@example.com', ADMIN_PASSWORD: 'second-admin-password' } });
    await login(t, 'second@example.com', 'second-admin-password').expect(401);
    await login(t, 'root@example.com', 'first-admin-password').expect(200);
  });
});

describe('npm run agent:create', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  const createAgent = (...args: string[]) =>
    run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/create-agent.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: `${process.env.TEST_MONGODB_BASE_URI}${t.dbName}`, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' },
      timeout: 120_000,
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it('creates a super_admin who can log in and manage admins', async () => {
    const result = await createAgent('--email', 'Boss@Example.com', '--password', 'boss-password-1', '--role', 'super_admin', '--first-name', 'Ada', '--last-name', 'Boss');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Created super_admin boss@example.com \(id [0-9a-f]{24}\)/) });
    const res = await login(t, 'boss@example.com', 'boss-password-1').expect(200);
    expect(res.body.data.agent).toMatchObject({ firstName: 'Ada', lastName: 'Boss', role: 'super_admin' });
    await t.http
      .post('/api/admin/live-chat/agents')
      .set('Authorization', `Bearer ${res.body.data.accessToken}`)
      .send({ firstName: 'Al', email: 'al@example.com', password: 'al-password-1', role: 'admin' })
      .expect(201);
  });

  it('fails with exit code 1 when the email exists', async () => {
    const result = await createAgent('--email', 'boss@example.com', '--password', 'other-password-1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('An agent with this email already exists');
  });

  it.each([
    [['--password', 'long-enough-1'], 'A valid email is required'],
    [['--email', 'x@example.com', '--password', 'short'], 'Password must be 8 to 128 characters'],
    [['--email', 'x@example.com', '--password', 'long-enough-1', '--role', 'owner'], 'Role must be one of: super_admin, admin, support'],
    [['--email', 'x@example.com', '--password', 'long-enough-1', '--bogus'], "Unknown option '--bogus'"],
  ])('fails with exit code 2 and the usage for %j', async (args, message) => {
    const result = await createAgent(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run agent:create');
  });
});
