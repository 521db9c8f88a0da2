/**
 * The measured servers: each is a child `node` process (so its CPU and RSS are its own), preloaded
 * with the event-loop probe, started on its own port and database, ready once `GET /health` is 200.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { HttpClient } from './http-client';
import { cpuMs, rssKb } from './proc';

export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** The harness runs compiled: bench/.build/bench/lib/servers.js; the service is bench/.build/src/main.js. */
export const BUILD_ROOT = resolve(__dirname, '..', '..');
export const REPO_ROOT = resolve(BUILD_ROOT, '..', '..');
const PROBE = resolve(REPO_ROOT, 'bench', 'probe', 'event-loop-probe.js');

export class ServerProcess {
  private nextProbeId = 0;
  private stderr = '';

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
  }

  /** Throws (with the end of its stderr) when the process has died. */
  assertAlive(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new Error(`${this.name} died (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.trim().slice(-1500)}`);
    }
  }

  /** Starts `node --expose-gc -r probe <script>` with `env` and waits for `GET /health` (up to `timeoutMs`). */
  static async start(name: string, script: string, env: Record<string, string>, options: { cwd?: string; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), '-r', PROBE, script], {
      cwd: options.cwd,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const server = new ServerProcess(name, port, child);
    const http = new HttpClient(server.baseUrl, 1);
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${server.stderr.trim()}`);
        if (Date.now() > deadline) throw new Error(`${name} did not answer /health in time: ${server.stderr.trim()}`);
        const ok = await http.send('GET', '/health').then((res) => res.status === 200, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (err) {
      await server.stop();
      throw err;
    } finally {
      http.close();
    }
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws/live-chat`;
  }

  cpuMs(): number {
    return cpuMs(this.pid);
  }

  rssKb(): number {
    return rssKb(this.pid);
  }

  /** Resets (`reset`) or reads (`read`) the child's event-loop delay histogram, in milliseconds. */
  eventLoopDelay(command: 'reset' | 'read'): Promise<EventLoopDelay> {
    return this.probe({ probe: command });
  }

  /**
   * Memory after a full garbage collection in the child, in kB: RSS (what the machine gives) and the
   * live JavaScript heap + external buffers (what objects hold, without the allocator's slack).
   */
  async memoryAfterGcKb(): Promise<{ rss: number; heap: number }> {
    const answer = (await this.probe({ probe: 'gc' })) as EventLoopDelay & { heapUsed: number; external: number };
    await new Promise((r) => setTimeout(r, 300));
    return { rss: this.rssKb(), heap: (answer.heapUsed + answer.external) / 1024 };
  }

  /** Starts a CPU profile in the child, or stops it and writes it (`.cpuprofile`) to `path`. */
  async profile(command: 'start' | 'stop', path?: string): Promise<void> {
    await this.probe({ probe: `profile-${command}`, path });
  }

  private probe(message: { probe: string; path?: string }): Promise<EventLoopDelay> {
    const id = ++this.nextProbeId;
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.name}: no answer from the probe`)), 30_000);
      const onMessage = (answer: { id?: number } & EventLoopDelay) => {
        if (answer?.id !== id) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        done(answer);
      };
      this.child.on('message', onMessage);
      this.child.send({ ...message, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
