import { execFile } from 'node:child_process';
import { access, constants, cp, mkdir, readFile, rm, writeFile, chmod, rename } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/** Our one change to FerretDB's source (see `patchIdLookups`); part of the cache key, so a binary built without it is rebuilt. */
const ID_LOOKUP_PATCH = {
  file: join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->\\"_id\\""`,
};

export function ferretDbCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'live-chat-backend', `ferretdb-${FERRETDB_VERSION}-id-index`);
}

/**
 * FerretDB 1.24's SQLite backend finds a document by `_id` with `_ferretdb_sjson->'$._id' = ?`, but
 * the unique `_id` index it creates is on `_ferretdb_sjson->"_id"`: SQLite does not see the two as
 * the same expression, so every `_id` query, update and delete scanned the whole table (EXPLAIN
 * QUERY PLAN: SCAN). Spelled like the index (a text label X means the path '$.X', the same value),
 * they become index searches (SEARCH … USING INDEX). docs/database.md.
 */
export async function patchIdLookups(sourceDir: string): Promise<void> {
  const path = join(sourceDir, ID_LOOKUP_PATCH.file);
  const source = await readFile(path, 'utf8');
  if (!source.includes(ID_LOOKUP_PATCH.from)) throw new Error(`FerretDB ${FERRETDB_VERSION} source changed: ${ID_LOOKUP_PATCH.file} has no ${ID_LOOKUP_PATCH.from}`);
  await writeFile(path, source.replace(ID_LOOKUP_PATCH.from, ID_LOOKUP_PATCH.to));
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a FerretDB binary: FERRETDB_BIN, or one cached under ~/.cache, building it from the Go
 * module proxy on first use. A plain `go install` builds a binary that panics at start because the
 * module ships without build/version/version.txt, so the module source is copied, that file
 * written and `_id` lookups patched to use their index (`patchIdLookups`) before `go build`.
 */
export async function ensureFerretDbBinary(explicitPath: string | undefined, log: (line: string) => void): Promise<string> {
  if (explicitPath) {
    if (!(await isExecutable(explicitPath))) throw new Error(`FERRETDB_BIN=${explicitPath} is not an executable file`);
    return explicitPath;
  }
  const target = join(ferretDbCacheDir(), 'ferretdb');
  if (await isExecutable(target)) return target;

  try {
    await run('go', ['version']);
  } catch {
    throw new Error(
      'The embedded database needs Go to build FerretDB once (about a minute). Install Go (https://go.dev/dl/) or set MONGODB_URI to use your own MongoDB.',
    );
  }
  log(`Building the embedded database (FerretDB ${FERRETDB_VERSION}) with Go; this happens once and takes about a minute...`);
  const { stdout } = await run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    cwd: tmpdir(),
    maxBuffer: 10 * 1024 * 1024,
  });
  const moduleDir: string = JSON.parse(stdout).Dir;
  const workDir = join(tmpdir(), `ferretdb-src-${process.pid}-${Date.now()}`);
  try {
    await cp(moduleDir, workDir, { recursive: true });
    await run('chmod', ['-R', 'u+w', workDir]);
    await writeFile(join(workDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await patchIdLookups(workDir);
    await mkdir(ferretDbCacheDir(), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    await run('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], {
      cwd: workDir,
      maxBuffer: 10 * 1024 * 1024,
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    await chmod(partial, 0o755);
    await rename(partial, target);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  log(`FerretDB built at ${target}`);
  return target;
}
