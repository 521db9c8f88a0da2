import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformToken } from '../auth/tokens';

const FUZZ_TIMEOUT_MS = 6 * 60_000;

function runFuzzer(baseUrl: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(__dirname, '../../scripts/fuzz-api.sh'), [baseUrl], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * schemathesis (pinned; scripts/fuzz-api.sh installs it on first use) generates valid and invalid requests for every operation
 * of /api/docs-json: none may answer 5xx, and every answer must match its documented schema.
 */
describe('security: schemathesis fuzzing of the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it(
    'finds no server error and no response off its schema',
    async () => {
      const created = await t.http
        .post('/api/live-chat/sessions')
        .send({ user: { name: 'Fuzz Target', email: 'fuzz@example.test' } })
        .expect(201);
      const env = { FUZZ_TOKEN: platformToken({ role: 'super_admin' }), FUZZ_SESSION_ID: created.body.data.session.sessionId, FUZZ_GUEST_TOKEN: created.body.data.guestToken };
      const { code, output } = await runFuzzer(t.url, env, t.dataDir);
      if (code !== 0) throw new Error(`schemathesis exited with ${code}:\n${output.slice(-20_000)}`);
      expect(output).toMatch(/No issues found|passed/i);
    },
    FUZZ_TIMEOUT_MS,
  );
});
