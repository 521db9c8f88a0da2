/**
 * Builds the embedded database: FerretDB from the Go module proxy with our changes
 * (`embedded-db/ferretdb/*.patch` applied in name order, then its `*.go` files added), cached
 * under ~/.cache/live-chat-backend/ in a directory named after a hash of those files, and linked
 * at `embedded-db/bin/ferretdb`, where the service looks for it. `npm run db:build`; also run
 * before `npm start`, the scripts that use the database and the tests.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { builtFerretDbPath, embeddedDbDir } from '../src/database/embedded-binary';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
/** Where a `.go` file goes in FerretDB's source: its first line names it. */
const GO_TARGET = /^\/\/ FerretDB file: (\S+\.go)\n/;

export interface SourceChanges {
  patches: Array<{ name: string; text: string }>;
  goFiles: Array<{ name: string; target: string; text: string }>;
  /** Changes when any of them does: part of the cache directory's name. */
  hash: string;
}

export async function readSourceChanges(dir = join(embeddedDbDir(), 'ferretdb')): Promise<SourceChanges> {
  const names = (await readdir(dir)).sort();
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const patches = await Promise.all(names.filter((name) => name.endsWith('.patch')).map(async (name) => ({ name, text: await read(name) })));
  const goFiles = await Promise.all(
    names
      .filter((name) => name.endsWith('.go'))
      .map(async (name) => {
        const text = await read(name);
        const target = GO_TARGET.exec(text)?.[1];
        if (!target) throw new Error(`embedded-db/ferretdb/${name} must start with "// FerretDB file: <path>.go"`);
        return { name, target, text };
      }),
  );
  const hash = createHash('sha256');
  for (const file of [...patches, ...goFiles]) hash.update(`${file.name}\0${file.text}\0`);
  return { patches, goFiles, hash: hash.digest('hex').slice(0, 12) };
}

export function ferretDbCacheDir(changes: SourceChanges): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'live-chat-backend', `ferretdb-${FERRETDB_VERSION}-${changes.hash}`);
}

/** Applies the patches (`git apply`: no fuzz, so a patch whose context changed fails) and adds the Go files. */
export async function applySourceChanges(sourceDir: string, changes: SourceChanges): Promise<void> {
  for (const patch of changes.patches) {
    const file = join(tmpdir(), `ferretdb-${process.pid}-${patch.name}`);
    await writeFile(file, patch.text);
    try {
      await run('git', ['apply', '--whitespace=nowarn', file], { cwd: sourceDir });
    } catch (err) {
      const detail = ((err as { stderr?: string }).stderr ?? String(err)).trim();
      throw new Error(`FerretDB ${FERRETDB_VERSION} source changed: embedded-db/ferretdb/${patch.name} does not apply: ${detail}`);
    } finally {
      await rm(file, { force: true });
    }
  }
  for (const file of changes.goFiles) {
    const target = join(sourceDir, file.target);
    if (!existsSync(dirname(target))) throw new Error(`FerretDB ${FERRETDB_VERSION} source changed: no directory for ${file.target} (embedded-db/ferretdb/${file.name})`);
    if (existsSync(target)) throw new Error(`FerretDB ${FERRETDB_VERSION} source changed: ${file.target} already exists (embedded-db/ferretdb/${file.name})`);
    await writeFile(target, file.text);
  }
}

/**
 * A plain `go install` builds a binary that panics at start because the module ships without
 * build/version/version.txt, so the module source is copied, that file written and our changes
 * applied before `go build`.
 */
async function build(target: string, changes: SourceChanges, log: (line: string) => void): Promise<void> {
  try {
    await run('go', ['version']);
  } catch {
    throw new Error('The embedded database needs Go to build FerretDB once (about a minute). Install Go (https://go.dev/dl/) or set MONGODB_URI to use your own MongoDB.');
  }
  log(`Building the embedded database (FerretDB ${FERRETDB_VERSION}) with Go; this happens once and takes about a minute...`);
  const { stdout } = await run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], { cwd: tmpdir(), maxBuffer: 10 * 1024 * 1024 });
  const moduleDir: string = JSON.parse(stdout).Dir;
  const workDir = join(tmpdir(), `ferretdb-src-${process.pid}-${Date.now()}`);
  try {
    await cp(moduleDir, workDir, { recursive: true });
    await run('chmod', ['-R', 'u+w', workDir]);
    await writeFile(join(workDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await applySourceChanges(workDir, changes);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    await run('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], { cwd: workDir, maxBuffer: 10 * 1024 * 1024, env: { ...process.env, CGO_ENABLED: '0' } });
    await chmod(partial, 0o755);
    await rename(partial, target);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  log(`FerretDB built at ${target}`);
}

/** Builds the binary unless today's is cached, and links it at embedded-db/bin/ferretdb; returns that link. */
export async function buildEmbeddedDatabase(log: (line: string) => void): Promise<string> {
  const changes = await readSourceChanges();
  const target = join(ferretDbCacheDir(changes), 'ferretdb');
  if (!existsSync(target)) await build(target, changes, log);
  const link = builtFerretDbPath();
  await mkdir(dirname(link), { recursive: true });
  const temporary = `${link}.${process.pid}`;
  await rm(temporary, { force: true });
  await symlink(target, temporary);
  await rename(temporary, link);
  return link;
}

/** Builds it unless the environment names another database (MONGODB_URI) or binary (FERRETDB_BIN). */
export async function buildUnlessConfigured(env: { MONGODB_URI?: string; FERRETDB_BIN?: string }, log: (line: string) => void): Promise<void> {
  if (!env.MONGODB_URI && !env.FERRETDB_BIN) await buildEmbeddedDatabase(log);
}

if (require.main === module) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  buildUnlessConfigured(process.env, (line) => console.log(line)).catch((err: Error) => {
    console.error(`Building the embedded database failed: ${err.message}`);
    process.exit(1);
  });
}
