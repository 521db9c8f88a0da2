import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ferretDbCacheDir, patchIdLookups } from './ferretdb-binary';

describe('patchIdLookups', () => {
  let sourceDir: string;
  const metadataFile = () => join(sourceDir, 'internal', 'backends', 'sqlite', 'metadata', 'metadata.go');

  beforeEach(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'ferretdb-source-'));
    await mkdir(join(sourceDir, 'internal', 'backends', 'sqlite', 'metadata'), { recursive: true });
  });
  afterEach(() => rm(sourceDir, { recursive: true, force: true }));

  it('spells the _id lookup like the index FerretDB creates on _id', async () => {
    await writeFile(metadataFile(), `const (\n\tIDColumn = DefaultColumn + "->'$._id'"\n)\n`);
    await patchIdLookups(sourceDir);
    expect(await readFile(metadataFile(), 'utf8')).toBe(`const (\n\tIDColumn = DefaultColumn + "->\\"_id\\""\n)\n`);
  });

  it('fails loudly when the source no longer has the line it patches', async () => {
    await writeFile(metadataFile(), 'const IDColumn = "something else"\n');
    await expect(patchIdLookups(sourceDir)).rejects.toThrow(/source changed/);
  });

  it('keeps patched binaries apart from unpatched ones in the cache', () => {
    expect(ferretDbCacheDir()).toMatch(/ferretdb-v1\.24\.2-id-index$/);
  });
});
