import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ferretDbCacheDir, patchSource } from './ferretdb-binary';

/** The lines of FerretDB v1.24.2 the patches replace, as they are in its source. */
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

describe('patchSource', () => {
  let sourceDir: string;
  const file = (...parts: string[]) => join(sourceDir, 'internal', ...parts);
  const metadataFile = () => file('backends', 'sqlite', 'metadata', 'metadata.go');
  const fsqlFile = () => file('util', 'fsql', 'db.go');

  async function writeSource(path: string, text: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }

  beforeEach(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'ferretdb-source-'));
    await writeSource(metadataFile(), METADATA_GO);
    await writeSource(fsqlFile(), FSQL_DB_GO);
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

  it('fails loudly when the source no longer has a text it patches', async () => {
    await writeFile(metadataFile(), 'const IDColumn = "something else"\n');
    await expect(patchSource(sourceDir)).rejects.toThrow(/source changed: .*metadata\.go/);
    await writeSource(metadataFile(), METADATA_GO);
    await writeFile(fsqlFile(), FSQL_DB_GO.replace('BatchSize int', 'BatchSize int64'));
    await expect(patchSource(sourceDir)).rejects.toThrow(/source changed: .*db\.go/);
  });

  it('keeps binaries built with other patches apart in the cache', () => {
    expect(ferretDbCacheDir()).toMatch(/ferretdb-v1\.24\.2-id-index-one-writer$/);
  });
});
