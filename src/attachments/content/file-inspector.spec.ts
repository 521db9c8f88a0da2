import { fromBuffer } from 'file-type';
import * as files from '../../../test/factories/file.factory';
import { inspectFile } from './file-inspector';
import { readCfbEntryNames } from './office-containers';

const MAX_PIXELS = 1_000_000;

describe('inspectFile', () => {
  it('accepts a docx with an embedded spreadsheet that file-type reads as xlsx (streaming writers)', async () => {
    const streamed = files.docx(undefined, { streamed: true, stored: true, leading: { 'word/embeddings/Sheet1.xlsx': files.xlsx() } });
    expect((await fromBuffer(streamed))?.ext).toBe('xlsx');
    await expect(inspectFile(streamed, 'letter.docx', MAX_PIXELS)).resolves.toMatchObject({
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
    });
  });

  it('refuses a zip whose [Content_Types].xml names a main part the archive lacks', async () => {
    const hollow = files.zip({
      '[Content_Types].xml':
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      'word/other.xml': '<x/>',
    });
    await expect(inspectFile(hollow, 'hollow.docx', MAX_PIXELS)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('gives images a thumbnail of at most 320 px and the canonical extension', async () => {
    const result = await inspectFile(await files.image('jpeg', 1000, 500), 'photo.JPEG', MAX_PIXELS);
    expect(result).toMatchObject({ mime: 'image/jpeg', kind: 'image', extension: 'jpg' });
    expect(result.thumbnail?.subarray(8, 12).toString('latin1')).toBe('WEBP');
  });

  it('accepts text with a BOM, tabs and CRLF; refuses text starting like markup', async () => {
    await expect(inspectFile(Buffer.from('\ufeffa\tb\r\nc'), 'a.txt', MAX_PIXELS)).resolves.toMatchObject({ mime: 'text/plain' });
    await expect(inspectFile(Buffer.from('  <svg onload="x"/>'), 'a.txt', MAX_PIXELS)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

describe('readCfbEntryNames', () => {
  it('lists the directory of a compound file', () => {
    expect(readCfbEntryNames(files.cfb(['WordDocument', '1Table']))).toEqual(['Root Entry', 'WordDocument', '1Table']);
  });

  it('refuses anything else, truncated files and directory loops', () => {
    expect(readCfbEntryNames(files.pdf())).toBeNull();
    expect(readCfbEntryNames(files.doc().subarray(0, 700))).toBeNull();
    const looped = files.doc();
    looped.writeUInt32LE(1, 512 + 4); // the directory sector's FAT entry points at itself
    expect(readCfbEntryNames(looped)).toBeNull();
  });
});
