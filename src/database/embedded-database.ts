import { ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { resolve } from 'node:path';
import { ferretDbBinary } from './embedded-binary';

/**
 * Runs FerretDB as a child that cannot outlive this process: it is started through `sh`, which
 * also waits on our stdin pipe and kills FerretDB when the pipe closes (our process died, however).
 */
const WATCHDOG = `exec 3<&0
"$@" </dev/null & child=$!
trap 'kill -TERM $child 2>/dev/null' TERM INT
(read _unused <&3; kill -TERM $child 2>/dev/null) &
wait $child; wait $child`;

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  binaryPath?: string;
  log: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

/**
 * SQLite connection settings for FerretDB's files. FerretDB keeps SQLite's WAL journal with
 * `synchronous=FULL`, which waits for the disk at every commit: on a virtual disk some of those
 * waits took 100-200 ms, stalling every write behind them. With `NORMAL` a commit waits for the disk
 * only at checkpoints: a crash of the service or the database loses nothing, a power loss or OS
 * crash may lose the last commits (the files never end up corrupt). Production runs MongoDB.
 */
const SQLITE_URL_PARAMS = '?_pragma=synchronous(NORMAL)';

/** Restart attempts after the database died wait this long, doubling up to RESTART_MAX_DELAY_MS. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 5000;
const START_TIMEOUT_MS = 30_000;

/**
 * FerretDB as a child process. If it dies while the service runs (killed, crashed), it is started
 * again on the same port and files: the driver reconnects by itself, requests meanwhile wait for
 * server selection or fail with 503 (docs/security.md, "Faults"). One service process therefore
 * needs no supervisor for its database; attempts that fail are retried, backing off to one every 5 s.
 */
export class EmbeddedDatabase {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private args: string[] = [];
  private binary = '';
  private stopping = false;
  /** It accepted connections and has not exited since. */
  running = false;
  uri = '';

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  async start(): Promise<string> {
    this.binary = await ferretDbBinary(this.options.binaryPath);
    const dataDir = resolve(this.options.dataDir);
    await mkdir(resolve(dataDir, 'db'), { recursive: true });
    const port = this.options.port || (await freePort());
    this.args = [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/db/${SQLITE_URL_PARAMS}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dataDir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      // Lets dotted paths reach our build's WHERE clause (prepareWhereClause, docs/database.md).
      '--test-enable-nested-pushdown',
      '--log-level=error',
    ];
    await this.launch(port);
    this.uri = `mongodb://127.0.0.1:${port}/`;
    return this.uri;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.end();
  }

  private async end(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    child.kill('SIGTERM');
    const timeout = new Promise<void>((done) => setTimeout(done, 5000).unref());
    await Promise.race([this.exited, timeout]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  /** Starts FerretDB and waits until it accepts connections; throws (after stopping it) when it does not. */
  private async launch(port: number): Promise<void> {
    const child = spawn('sh', ['-c', WATCHDOG, 'ferretdb', this.binary, ...this.args], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await this.end();
        throw new Error(`The embedded database did not start on 127.0.0.1:${port}: ${stderr.trim() || 'timed out'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.running = true;
    child.once('exit', (code, signal) => {
      this.running = false;
      // Its watchdog waits on this pipe: closing it lets that end too.
      child.stdin?.end();
      if (!this.stopping) void this.restart(port, `exited (${signal ?? `code ${code}`})`);
    });
  }

  private async restart(port: number, reason: string): Promise<void> {
    this.options.log(`The embedded database ${reason}; starting it again`);
    for (let delay = RESTART_FIRST_DELAY_MS; !this.stopping; delay = Math.min(delay * 2, RESTART_MAX_DELAY_MS)) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.stopping) return;
      try {
        await this.launch(port);
        this.options.log(`The embedded database is back on 127.0.0.1:${port}`);
        return;
      } catch (err) {
        this.options.log(`Restarting the embedded database failed (${(err as Error).message}); retrying in ${delay} ms`);
      }
    }
  }
}
