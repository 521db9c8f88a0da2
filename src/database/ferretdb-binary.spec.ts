import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ferretDbCacheDir, patchSource, stockIdOnlyWhereClause } from './ferretdb-binary';

/** The lines of FerretDB v1.24.2 the patches replace, as they are in its source (collection.go's WHERE clause: as the patch spells it). */
const METADATA_GO = `const (\n\tIDColumn = DefaultColumn + "->'$._id'"\n)\n`;
const FSQL_DB_GO = [
  'import (',
  '\t"context"',
  '\t"log/slog"',
  '\t"time"',
  ')',
  '',
  'type DB struct {',
  '\tsqlDB     *sql.DB',
  '\tBatchSize int',
  '}',
  '',
  'func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {',
  '\treturn db.sqlDB.ExecContext(ctx, query, args...)',
  '}',
  '',
  'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {',
  '\treturn f(nil)',
  '}',
  '',
].join('\n');

const COLLECTION_GO = [
  'func (c *collection) Query(ctx context.Context, params *backends.QueryParams) (*backends.QueryResult, error) {',
  stockIdOnlyWhereClause(false),
  '\tq += whereClause',
  '}',
  '',
  '// InsertAll implements backends.Collection interface.',
  'func (c *collection) InsertAll() {}',
  '',
  'func (c *collection) Explain(ctx context.Context, params *backends.ExplainParams) (*backends.ExplainResult, error) {',
  stockIdOnlyWhereClause(true),
  '\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause',
  '}',
  '',
].join('\n');

describe('patchSource', () => {
  let sourceDir: string;
  const file = (...parts: string[]) => join(sourceDir, 'internal', ...parts);
  const metadataFile = () => file('backends', 'sqlite', 'metadata', 'metadata.go');
  const fsqlFile = () => file('util', 'fsql', 'db.go');
  const collectionFile = () => file('backends', 'sqlite', 'collection.go');

  async function writeSource(path: string, text: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }

  beforeEach(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'ferretdb-source-'));
    await writeSource(metadataFile(), METADATA_GO);
    await writeSource(fsqlFile(), FSQL_DB_GO);
    await writeSource(collectionFile(), COLLECTION_GO);
  });
  afterEach(() => rm(sourceDir, { recursive: true, force: true }));

  it('spells the _id lookup like the index FerretDB creates on _id', async () => {
    await patchSource(sourceDir);
    expect(await readFile(metadataFile(), 'utf8')).toBe(`const (\n\tIDColumn = DefaultColumn + "->\\"_id\\""\n)\n`);
  });

  it('makes every write of a database file take one mutex first', async () => {
    await patchSource(sourceDir);
    const patched = await readFile(fsqlFile(), 'utf8');
    expect(patched).toContain('\t"log/slog"\n\t"sync"\n\t"time"');
    expect(patched).toContain('\tBatchSize int\n\n\twriteMu sync.Mutex\n}');
    const lockedBodies = patched.match(/\) \{\n\tdb\.writeMu\.Lock\(\)\n\tdefer db\.writeMu\.Unlock\(\)\n\n\t(return db\.sqlDB\.ExecContext|return f\(nil\))/g);
    expect(lockedBodies).toHaveLength(2);
  });

  it('has Query and Explain build their WHERE clause with prepareWhereClause, added to the file', async () => {
    await patchSource(sourceDir);
    const patched = await readFile(collectionFile(), 'utf8');
    expect(patched).not.toContain('params.Filter.Get("_id")');
    expect(patched).toContain('{\n\twhereClause, args := prepareWhereClause(params.Filter)\n\n\tq += whereClause\n}');
    expect(patched).toContain('{\n\twhereClause, args := prepareWhereClause(params.Filter)\n\tfilterPushdown := whereClause != ""\n\n\tq := `EXPLAIN');
    expect(patched).toContain('\n}\n\n// InsertAll implements backends.Collection interface.\n');
    expect(patched.match(/^func prepareWhereClause\(filter \*types\.Document\) \(string, \[\]any\) \{$/gm)).toHaveLength(1);
  });

  it('fails loudly when the source no longer has a text it patches', async () => {
    await writeFile(metadataFile(), 'const IDColumn = "something else"\n');
    await expect(patchSource(sourceDir)).rejects.toThrow(/source changed: .*metadata\.go/);
    await writeSource(metadataFile(), METADATA_GO);
    await writeFile(fsqlFile(), FSQL_DB_GO.replace('BatchSize int', 'BatchSize int64'));
    await expect(patchSource(sourceDir)).rejects.toThrow(/source changed: .*db\.go/);
    await writeSource(metadataFile(), METADATA_GO);
    await writeSource(fsqlFile(), FSQL_DB_GO);
    await writeFile(collectionFile(), COLLECTION_GO.replace('filterPushdown = true', 'pushdown = true'));
    await expect(patchSource(sourceDir)).rejects.toThrow(/source changed: .*collection\.go/);
  });

  it('keeps binaries built with other patches apart in the cache', () => {
    expect(ferretDbCacheDir()).toMatch(/ferretdb-v1\.24\.2-id-index-one-writer-where$/);
  });
});
