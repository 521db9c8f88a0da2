import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The repository's `embedded-db/` folder, found upwards from this file (it also runs compiled, from dist/ or bench/.build/). */
export function embeddedDbDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'embedded-db', 'ferretdb'))) return join(dir, 'embedded-db');
  }
  throw new Error(`No embedded-db/ folder above ${__dirname}: set MONGODB_URI or FERRETDB_BIN`);
}

/** Where `npm run db:build` (embedded-db/build.ts) links the FerretDB it built. */
export function builtFerretDbPath(): string {
  return join(embeddedDbDir(), 'bin', 'ferretdb');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The FerretDB binary to run: FERRETDB_BIN, or the one `npm run db:build` made. */
export async function ferretDbBinary(explicitPath: string | undefined): Promise<string> {
  if (explicitPath) {
    if (!(await isExecutable(explicitPath))) throw new Error(`FERRETDB_BIN=${explicitPath} is not an executable file`);
    return explicitPath;
  }
  const built = builtFerretDbPath();
  if (!(await isExecutable(built))) {
    throw new Error('The embedded database is not built: run `npm run db:build` (needs Go; `npm start` and `npm test` do it), or set MONGODB_URI or FERRETDB_BIN');
  }
  return built;
}
