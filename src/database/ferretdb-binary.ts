import { execFile } from 'node:child_process';
import { access, constants, cp, mkdir, readFile, rm, writeFile, chmod, rename } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PREPARE_WHERE_CLAUSE_GO } from './ferretdb-where-clause';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

interface SourcePatch {
  file: string;
  from: string;
  to: string;
}

const METADATA_GO = join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
const FSQL_DB_GO = join('internal', 'util', 'fsql', 'db.go');
const COLLECTION_GO = join('internal', 'backends', 'sqlite', 'collection.go');
const TAKE_WRITE_LOCK = '\tdb.writeMu.Lock()\n\tdefer db.writeMu.Unlock()\n\n';

/**
 * FerretDB 1.24's `_id`-only WHERE clause, as written in `collection.Query` (and, with
 * `explainFlag`, in `collection.Explain`, which also flags it): what the third patch replaces.
 */
export function stockIdOnlyWhereClause(explainFlag: boolean): string {
  return [
    ...(explainFlag ? ['\tvar filterPushdown bool'] : []),
    '\tvar whereClause string',
    '\tvar args []any',
    '',
    '\t// that logic should exist in one place',
    '\t// TODO https://github.com/FerretDB/FerretDB/issues/3235',
    '\tif params.Filter.Len() == 1 {',
    '\t\tv, _ := params.Filter.Get("_id")',
    '\t\tswitch v.(type) {',
    '\t\tcase string, types.ObjectID:',
    ...(explainFlag ? ['\t\t\tfilterPushdown = true'] : []),
    '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
    '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
    '\t\t}',
    '\t}',
    '',
  ].join('\n');
}
const INSERT_ALL_COMMENT = '// InsertAll implements backends.Collection interface.\n';

/**
 * Our changes to FerretDB's source, each applied where its `from` text is (docs/database.md):
 *
 * - `_id` lookups spelled like the `_id` index. FerretDB 1.24's SQLite backend finds a document
 *   with `_ferretdb_sjson->'$._id' = ?`, but the unique index it creates is on
 *   `_ferretdb_sjson->"_id"`: SQLite does not see the two as the same expression, so every `_id`
 *   query, update and delete scanned the whole table (EXPLAIN QUERY PLAN: SCAN). Spelled like the
 *   index (a text label X means the path '$.X', the same value) they are index searches.
 * - One writer at a time per database file, queued on a Go mutex. SQLite allows one writer; the
 *   others got SQLITE_BUSY and slept in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 … ms between
 *   tries), so under concurrent writes the database sat idle while writers slept. Every write of
 *   the SQLite backend is an `InTransaction` or an `ExecContext` of `fsql.DB`, and neither is called
 *   from inside the other.
 * - Equality filters in SQL. FerretDB sent SQLite a WHERE clause only for a filter that is exactly
 *   `{_id: value}`; any other query read and decoded every document of the collection in Go (a
 *   session's messages: all messages). `prepareWhereClause` (ferretdb-where-clause.ts) puts every
 *   equality to (or `$in` of) strings, ObjectIds and booleans into SQL, `_id` beside other fields
 *   and dotted paths included, as conditions every matching document meets; FerretDB still filters
 *   what comes back, so a condition that lets extra documents through costs time, never a wrong
 *   answer.
 */
const SOURCE_PATCHES: SourcePatch[] = [
  { file: METADATA_GO, from: `IDColumn = DefaultColumn + "->'$._id'"`, to: `IDColumn = DefaultColumn + "->\\"_id\\""` },
  { file: FSQL_DB_GO, from: '\t"log/slog"\n', to: '\t"log/slog"\n\t"sync"\n' },
  { file: FSQL_DB_GO, from: '\tBatchSize int\n}', to: '\tBatchSize int\n\n\twriteMu sync.Mutex\n}' },
  ...['func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n', 'func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {\n'].map(
    (signature) => ({ file: FSQL_DB_GO, from: signature, to: signature + TAKE_WRITE_LOCK }),
  ),
  { file: COLLECTION_GO, from: stockIdOnlyWhereClause(false), to: '\twhereClause, args := prepareWhereClause(params.Filter)\n' },
  { file: COLLECTION_GO, from: stockIdOnlyWhereClause(true), to: '\twhereClause, args := prepareWhereClause(params.Filter)\n\tfilterPushdown := whereClause != ""\n' },
  { file: COLLECTION_GO, from: INSERT_ALL_COMMENT, to: PREPARE_WHERE_CLAUSE_GO + INSERT_ALL_COMMENT },
];

/** Part of the cache key: a binary built without today's patches is rebuilt. */
export function ferretDbCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'live-chat-backend', `ferretdb-${FERRETDB_VERSION}-id-index-one-writer-where`);
}

/** Applies `SOURCE_PATCHES`; throws when the source no longer has a text one of them replaces. */
export async function patchSource(sourceDir: string): Promise<void> {
  for (const patch of SOURCE_PATCHES) {
    const path = join(sourceDir, patch.file);
    const source = await readFile(path, 'utf8');
    if (!source.includes(patch.from)) throw new Error(`FerretDB ${FERRETDB_VERSION} source changed: ${patch.file} has no ${JSON.stringify(patch.from)}`);
    await writeFile(path, source.replace(patch.from, () => patch.to));
  }
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
 * written and `SOURCE_PATCHES` applied before `go build`.
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
    await patchSource(workDir);
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
