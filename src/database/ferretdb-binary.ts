import { execFile } from 'node:child_process';
import { access, constants, cp, mkdir, rm, writeFile, chmod, rename } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

export function ferretDbCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'live-chat-backend', `ferretdb-${FERRETDB_VERSION}`);
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
 * module ships without build/version/version.txt, so the module source is copied and that file
 * written before `go build`.
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
