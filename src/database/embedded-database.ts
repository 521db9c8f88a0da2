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

export class EmbeddedDatabase {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  uri = '';

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  async start(): Promise<string> {
    const binary = await ferretDbBinary(this.options.binaryPath);
    const dataDir = resolve(this.options.dataDir);
    await mkdir(resolve(dataDir, 'db'), { recursive: true });
    const port = this.options.port || (await freePort());
    const args = [
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
    const child = spawn('sh', ['-c', WATCHDOG, 'ferretdb', binary, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));

    const deadline = Date.now() + 30_000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`The embedded database did not start on 127.0.0.1:${port}: ${stderr.trim() || 'timed out'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.uri = `mongodb://127.0.0.1:${port}/`;
    return this.uri;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.stdin?.end();
    child.kill('SIGTERM');
    const timeout = new Promise<void>((done) => setTimeout(done, 5000).unref());
    await Promise.race([this.exited, timeout]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
