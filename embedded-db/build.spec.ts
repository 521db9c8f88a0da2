import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { applySourceChanges, FERRETDB_VERSION, ferretDbCacheDir, readSourceChanges, SourceChanges } from './build';

const run = promisify(execFile);

/** Our changes applied to the real FerretDB source (the Go module cache; `npm test` builds the binary first, which downloads it). */
describe('embedded-db/ferretdb changes', () => {
  let moduleDir: string;
  let changes: SourceChanges;
  let sourceDir: string;
  const touched = ['internal/backends/sqlite/metadata/metadata.go', 'internal/util/fsql/db.go', 'internal/backends/sqlite/collection.go'];
  const patched = (path: string) => readFile(join(sourceDir, path), 'utf8');

  beforeAll(async () => {
    const { stdout } = await run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], { cwd: tmpdir() });
    moduleDir = JSON.parse(stdout).Dir;
    changes = await readSourceChanges();
  });

  /** A copy of the files the changes touch (not the whole module). */
  beforeEach(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'ferretdb-source-'));
    const files = new Set([...touched, ...changes.patches.flatMap((p) => [...p.text.matchAll(/^\+\+\+ b\/(\S+)$/gm)].map((m) => m[1]))]);
    for (const file of files) await cp(join(moduleDir, file), join(sourceDir, file));
    for (const go of changes.goFiles) await cp(dirname(join(moduleDir, go.target)), dirname(join(sourceDir, go.target)), { recursive: true, force: false, errorOnExist: false });
    await run('chmod', ['-R', 'u+w', sourceDir]);
  });
  afterEach(() => rm(sourceDir, { recursive: true, force: true }));

  it('starts every patch with a header saying why', () => {
    expect(changes.patches.length).toBeGreaterThanOrEqual(3);
    for (const patch of changes.patches) expect(patch.text.split('\ndiff --git')[0].trim().length).toBeGreaterThan(100);
  });

  it('spells the _id lookup like the index FerretDB creates on _id', async () => {
    await applySourceChanges(sourceDir, changes);
    expect(await patched(touched[0])).toContain('\tIDColumn = DefaultColumn + "->\\"_id\\""\n');
  });

  it('makes every write of a database file take one mutex first', async () => {
    await applySourceChanges(sourceDir, changes);
    const db = await patched(touched[1]);
    expect(db).toContain('\twriteMu sync.Mutex\n}');
    const locked = db.match(/^func \(db \*DB\) (InTransaction|ExecContext)\(.*\{\n\tdb\.writeMu\.Lock\(\)\n\tdefer db\.writeMu\.Unlock\(\)\n/gm);
    expect(locked).toHaveLength(2);
  });

  it('has Query and Explain build their WHERE clause with prepareWhereClause, added beside them', async () => {
    await applySourceChanges(sourceDir, changes);
    const collection = await patched(touched[2]);
    expect(collection).not.toContain('params.Filter.Get("_id")');
    expect(collection.match(/whereClause, args := prepareWhereClause\(params\.Filter\)/g)).toHaveLength(2);
    const added = await patched('internal/backends/sqlite/where_clause.go');
    expect(added.match(/^func prepareWhereClause\(filter \*types\.Document\) \(string, \[\]any\) \{$/gm)).toHaveLength(1);
  });

  it('fails loudly, naming the patch, when the source no longer has what a patch changes', async () => {
    await writeFile(join(sourceDir, touched[0]), (await patched(touched[0])).replace(`"->'$._id'"`, `"->'$.id'"`));
    await expect(applySourceChanges(sourceDir, changes)).rejects.toThrow(/source changed: embedded-db\/ferretdb\/0001-[^ ]+\.patch does not apply/);
  });

  it('fails loudly when a file it adds already exists', async () => {
    await writeFile(join(sourceDir, changes.goFiles[0].target), 'package sqlite\n');
    await expect(applySourceChanges(sourceDir, changes)).rejects.toThrow(/source changed: .* already exists/);
  });

  it('keeps binaries built from other changes apart in the cache', async () => {
    const copy = join(sourceDir, 'changes');
    await cp(join(__dirname, 'ferretdb'), copy, { recursive: true });
    expect(ferretDbCacheDir(await readSourceChanges(copy))).toBe(ferretDbCacheDir(changes));
    await writeFile(join(copy, changes.goFiles[0].name), `${changes.goFiles[0].text}\n`);
    expect(ferretDbCacheDir(await readSourceChanges(copy))).not.toBe(ferretDbCacheDir(changes));
    expect(ferretDbCacheDir(changes)).toMatch(new RegExp(`ferretdb-v1\\.24\\.2-${changes.hash}$`));
  });
});
