import { inflateRawSync } from 'node:zlib';

/**
 * Just enough of the two Office containers to tell a real document from anything else in the same
 * wrapper: the ZIP central directory of OOXML (docx/xlsx) and the directory of OLE compound files
 * (doc/xls). Nothing is extracted to disk; every size read from the file is bounded.
 */

const MAX_ZIP_ENTRIES = 10_000;
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;
const MAX_CFB_DIRECTORY_SECTORS = 10_000;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** The entries of a ZIP's central directory, or null when it has none (or a broken one, or ZIP64). */
export function readZipEntries(buffer: Buffer): ZipEntry[] | null {
  const searchFrom = Math.max(0, buffer.length - 65_557);
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < searchFrom || eocd + 22 > buffer.length) return null;
  const count = buffer.readUInt16LE(eocd + 10);
  const directorySize = buffer.readUInt32LE(eocd + 12);
  const directoryOffset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || count > MAX_ZIP_ENTRIES) return null;
  if (directoryOffset + directorySize > eocd) return null;
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || buffer.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buffer.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    if (next > eocd) return null;
    entries.push({
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      compressedSize: buffer.readUInt32LE(at + 20),
      localHeaderOffset: buffer.readUInt32LE(at + 42),
    });
    at = next;
  }
  return entries;
}

/** One entry's bytes (stored or deflated), or null when it cannot be read within the bounds. */
export function readZipEntry(buffer: Buffer, entry: ZipEntry, maxBytes: number): Buffer | null {
  const at = entry.localHeaderOffset;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buffer.length) return null;
  const raw = buffer.subarray(start, end);
  try {
    if (entry.method === 0) return raw.length <= maxBytes ? raw : null;
    if (entry.method === 8) return inflateRawSync(raw, { maxOutputLength: maxBytes });
  } catch {
    return null;
  }
  return null;
}

export type OoxmlKind = 'docx' | 'xlsx';

const OOXML_MAIN_CONTENT_TYPES: Record<OoxmlKind, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
};

/**
 * True when the ZIP is a Word (docx) or Excel (xlsx) document: `[Content_Types].xml` declares the
 * main part of that kind (macro-enabled variants declare other types and do not match) and that
 * part is in the archive. An arbitrary ZIP renamed `.docx` has neither.
 */
export function isOoxmlDocument(buffer: Buffer, kind: OoxmlKind): boolean {
  const entries = readZipEntries(buffer);
  const contentTypesEntry = entries?.find((entry) => entry.name === '[Content_Types].xml');
  if (!entries || !contentTypesEntry) return false;
  const contentTypes = readZipEntry(buffer, contentTypesEntry, MAX_CONTENT_TYPES_BYTES)?.toString('utf8');
  if (!contentTypes) return false;
  const names = new Set(entries.map((entry) => entry.name));
  for (const override of contentTypes.match(/<Override\b[^>]*>/g) ?? []) {
    const partName = /\bPartName="\/([^"]+)"/.exec(override)?.[1];
    const contentType = /\bContentType="([^"]+)"/.exec(override)?.[1];
    if (partName && contentType === OOXML_MAIN_CONTENT_TYPES[kind] && names.has(partName)) return true;
  }
  return false;
}

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;

/** The names of the streams and storages of an OLE compound file, or null when it is not one. */
export function readCfbEntryNames(buffer: Buffer): string[] | null {
  if (buffer.length < 512 || !buffer.subarray(0, 8).equals(CFB_MAGIC)) return null;
  const sectorShift = buffer.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return null;
  const sectorSize = 1 << sectorShift;
  const sectorCount = Math.floor((buffer.length - sectorSize) / sectorSize);
  const sectorOffset = (sector: number) => (sector + 1) * sectorSize;
  const validSector = (sector: number) => sector < sectorCount;

  // The FAT's own sectors: 109 listed in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(buffer.readUInt32LE(0x4c + i * 4));
  let difat = buffer.readUInt32LE(0x44);
  for (let hops = 0; difat !== END_OF_CHAIN && difat !== FREE_SECTOR; hops++) {
    if (!validSector(difat) || hops > sectorCount) return null;
    const base = sectorOffset(difat);
    for (let i = 0; i < sectorSize / 4 - 1; i++) fatSectors.push(buffer.readUInt32LE(base + i * 4));
    difat = buffer.readUInt32LE(base + sectorSize - 4);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    if (sector === FREE_SECTOR) continue;
    if (!validSector(sector)) return null;
    const base = sectorOffset(sector);
    for (let i = 0; i < sectorSize / 4; i++) fat.push(buffer.readUInt32LE(base + i * 4));
  }

  const names: string[] = [];
  let sector = buffer.readUInt32LE(0x30);
  for (let hops = 0; sector !== END_OF_CHAIN; hops++) {
    if (!validSector(sector) || hops > MAX_CFB_DIRECTORY_SECTORS) return null;
    const base = sectorOffset(sector);
    for (let entry = base; entry < base + sectorSize; entry += 128) {
      const nameBytes = buffer.readUInt16LE(entry + 0x40);
      const type = buffer[entry + 0x42];
      if (type === 0 || nameBytes < 2 || nameBytes > 64) continue;
      names.push(buffer.toString('utf16le', entry, entry + nameBytes - 2));
    }
    sector = fat[sector] ?? END_OF_CHAIN;
  }
  return names[0] === 'Root Entry' ? names : null;
}
