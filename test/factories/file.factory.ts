import { crc32, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';

/** Tiny but real files of every allowed type (and some refused ones), built in code. */

export async function image(format: 'png' | 'jpeg' | 'gif' | 'webp', width = 8, height = 8): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

export function pdf(body = 'Hello'): Buffer {
  return Buffer.from(
    [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj % ${body}`,
      'trailer << /Root 1 0 R >>',
      '%%EOF',
      '',
    ].join('\n'),
  );
}

/**
 * A ZIP of the given entries (deflated), as Office and every archiver writes them. With
 * `streamed`, local headers carry no sizes (bit 3, sizes in data descriptors), as streaming
 * writers such as LibreOffice's do; with `stored`, entries are not compressed.
 */
export function zip(entries: Record<string, string | Buffer>, { streamed = false, stored = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const compressed = stored ? data : deflateRawSync(data);
    const method = stored ? 0 : 8;
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(streamed ? 0x08 : 0, 6);
    local.writeUInt16LE(method, 8);
    if (!streamed) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(data.length, 22);
    }
    local.writeUInt16LE(nameBytes.length, 26);
    const descriptor = Buffer.alloc(streamed ? 16 : 0);
    if (streamed) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(compressed.length, 8);
      descriptor.writeUInt32LE(data.length, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(streamed ? 0x08 : 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed, descriptor);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function contentTypes(partName: string, contentType: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="${partName}" ContentType="${contentType}"/>` +
    '</Types>'
  );
}

const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="MAIN"/></Relationships>';

export function docx(
  mainContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  { streamed = false, stored = false, leading = {} }: { streamed?: boolean; stored?: boolean; leading?: Record<string, Buffer> } = {},
): Buffer {
  return zip({
    ...leading,
    '[Content_Types].xml': contentTypes('/word/document.xml', mainContentType),
    '_rels/.rels': RELS.replace('MAIN', 'word/document.xml'),
    'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>',
  }, { streamed, stored });
}

export function xlsx(): Buffer {
  return zip({
    '[Content_Types].xml': contentTypes('/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
    '_rels/.rels': RELS.replace('MAIN', 'xl/workbook.xml'),
    'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
  });
}

/**
 * A minimal OLE compound file (512-byte sectors: header, one FAT sector, one directory sector,
 * one data sector) whose directory holds a root entry and the given streams, e.g. 'WordDocument'
 * for .doc or 'Workbook' for .xls.
 */
export function cfb(streams: string[]): Buffer {
  if (streams.length > 3) throw new Error('cfb(): at most three streams fit one directory sector');
  const sector = 512;
  const file = Buffer.alloc(sector * 4);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  file.writeUInt16LE(0x3e, 0x18); // minor version
  file.writeUInt16LE(3, 0x1a); // major version 3: 512-byte sectors
  file.writeUInt16LE(0xfffe, 0x1c); // little endian
  file.writeUInt16LE(9, 0x1e); // sector shift
  file.writeUInt16LE(6, 0x20); // mini sector shift
  file.writeUInt32LE(1, 0x2c); // one FAT sector
  file.writeUInt32LE(1, 0x30); // directory starts at sector 1
  file.writeUInt32LE(0x1000, 0x38); // mini stream cutoff
  file.writeUInt32LE(0xfffffffe, 0x3c); // no mini FAT
  file.writeUInt32LE(0xfffffffe, 0x44); // no DIFAT sectors
  for (let i = 0; i < 109; i++) file.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  // FAT (sector 0 at offset 512): 0 = FAT itself, 1 = directory (end), 2 = data (end).
  const fat = sector;
  file.writeUInt32LE(0xfffffffd, fat);
  file.writeUInt32LE(0xfffffffe, fat + 4);
  file.writeUInt32LE(0xfffffffe, fat + 8);
  for (let i = 3; i < 128; i++) file.writeUInt32LE(0xffffffff, fat + i * 4);
  const directory = sector * 2;
  const entry = (index: number, name: string, type: number, start: number, size: number) => {
    const at = directory + index * 128;
    file.write(name, at, 'utf16le');
    file.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    file[at + 0x42] = type;
    file[at + 0x43] = 1; // black
    file.writeUInt32LE(0xffffffff, at + 0x44); // left sibling
    file.writeUInt32LE(index < streams.length && type === 2 ? index + 1 : 0xffffffff, at + 0x48); // right sibling
    file.writeUInt32LE(type === 5 ? 1 : 0xffffffff, at + 0x4c); // child
    file.writeUInt32LE(start, at + 0x74);
    file.writeUInt32LE(size, at + 0x78);
  };
  entry(0, 'Root Entry', 5, 0xfffffffe, 0);
  streams.forEach((name, i) => entry(i + 1, name, 2, 2, 4096));
  file.write('document body', sector * 3);
  return file;
}

export const doc = () => cfb(['WordDocument']);
export const xls = () => cfb(['Workbook']);
export const txt = (text = 'Plain notes\nline two\n') => Buffer.from(text, 'utf8');
