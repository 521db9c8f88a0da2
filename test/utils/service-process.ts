import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** `node` arguments that run src/main.ts the way `npm start` runs dist/main.js. */
export const SERVICE_ARGS = ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];

/** The variables a service process starts from: only PATH and HOME of the test's own. */
export function serviceEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env };
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  /** Its exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
}

/** Runs src/main.ts as a real process, the way `npm start` does, on its own embedded database. */
export function startService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, SERVICE_ARGS, { cwd: REPO_ROOT, env: serviceEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  return { child, output: () => output, exited };
}

export async function waitForHealth(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`service on ${port} never became healthy`);
}

/** Pids of the processes whose command line contains `text` (pgrep -f). */
export function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The embedded FerretDB of the service using this data folder (not its `sh` watchdog). */
export function ferretDbPids(dataDir: string): number[] {
  return processesMentioning(`^[^ ]*ferretdb --handler=sqlite .*${dataDir}`).map(Number);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `condition` holds, polling; false when `timeoutMs` passed first. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}
