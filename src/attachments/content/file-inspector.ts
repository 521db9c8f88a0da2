import { fromBuffer } from 'file-type';
import sharp, { Metadata } from 'sharp';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { extensionOf } from './file-name';
import { isOoxmlDocument, readCfbEntryNames } from './office-containers';

export type FileKind = 'image' | 'document';

interface AllowedType {
  mime: string;
  kind: FileKind;
  /** Extensions a client may give this type. */
  extensions: string[];
  /** What `file-type` reports for this content (undefined: nothing, i.e. text). */
  detected: string | undefined;
}

/** The only types accepted, each identified by its content. */
export const ALLOWED_TYPES: AllowedType[] = [
  { mime: 'image/jpeg', kind: 'image', extensions: ['jpg', 'jpeg'], detected: 'jpg' },
  { mime: 'image/png', kind: 'image', extensions: ['png'], detected: 'png' },
  { mime: 'image/gif', kind: 'image', extensions: ['gif'], detected: 'gif' },
  { mime: 'image/webp', kind: 'image', extensions: ['webp'], detected: 'webp' },
  { mime: 'application/pdf', kind: 'document', extensions: ['pdf'], detected: 'pdf' },
  { mime: 'application/msword', kind: 'document', extensions: ['doc'], detected: 'cfb' },
  { mime: 'application/vnd.ms-excel', kind: 'document', extensions: ['xls'], detected: 'cfb' },
  {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kind: 'document',
    extensions: ['docx'],
    detected: 'docx',
  },
  {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'document',
    extensions: ['xlsx'],
    detected: 'xlsx',
  },
  { mime: 'text/plain', kind: 'document', extensions: ['txt'], detected: undefined },
];

export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_MIME = 'image/webp';

export interface InspectedFile {
  mime: string;
  kind: FileKind;
  /** The extension the stored object gets (the canonical one of the type). */
  extension: string;
  /** For images: a WebP thumbnail, THUMBNAIL_SIZE px at most on each side. */
  thumbnail?: Buffer;
}

const notAllowed = () => new AppException(ErrorCode.UnsupportedMediaType, 'File type not allowed');

// Markup that makes a binary file also a web page or script (polyglots), and the signature of a
// ZIP central directory (GIFAR-style archives glued to an image or PDF).
const MARKUP = /<(script|html|svg|iframe|object|embed|body|!doctype\s+html|\?php)\b/i;
const ZIP_DIRECTORY_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const TEXT_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;
const TEXT_MARKUP_START = /^\s*<(!doctype\s+html|html|svg|script|\?xml)\b/i;

// file-type 16 (the last CommonJS line) never returns, blocking the event loop, on an ASF header
// with a zero-size object, also behind an ID3 tag (CVE-2026-31808, fixed only in the ESM-only
// 21.3.1). Neither is an allowed type, so such content is refused before file-type reads it.
const ASF_SIGNATURE = Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9]);
const ID3_SIGNATURE = Buffer.from('ID3');

function hangsFileType(buffer: Buffer): boolean {
  const starts = (signature: Buffer) => buffer.subarray(0, signature.length).equals(signature);
  return starts(ASF_SIGNATURE) || (starts(ID3_SIGNATURE) && buffer.length > 3 && buffer[3] < 0x20);
}

function isPlainText(buffer: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    return false;
  }
  return !TEXT_CONTROL_CHARACTERS.test(text) && !TEXT_MARKUP_START.test(text);
}

function isPolyglot(buffer: Buffer): boolean {
  return MARKUP.test(buffer.toString('latin1')) || buffer.includes(ZIP_DIRECTORY_END);
}

function contentMatches(type: AllowedType, extension: string, buffer: Buffer): boolean {
  switch (type.mime) {
    case 'application/msword':
    case 'application/vnd.ms-excel': {
      const names = readCfbEntryNames(buffer);
      if (!names || names.some((name) => name === 'Macros' || name === '_VBA_PROJECT_CUR')) return false;
      return extension === 'doc' ? names.includes('WordDocument') : names.includes('Workbook') || names.includes('Book');
    }
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return isOoxmlDocument(buffer, 'docx');
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return isOoxmlDocument(buffer, 'xlsx');
    case 'text/plain':
      return isPlainText(buffer);
    default:
      return !isPolyglot(buffer);
  }
}

// file-type names an OOXML zip after the first part it recognises, which can be an embedded
// document (a docx with a spreadsheet inside reads as xlsx) or nothing (zip): for these the
// container check decides.
const OOXML_SIGNATURES = new Set(['docx', 'xlsx', 'zip']);

function sameSignature(expected: string | undefined, detected: string | undefined): boolean {
  if (expected === 'docx' || expected === 'xlsx') return detected !== undefined && OOXML_SIGNATURES.has(detected);
  return expected === detected;
}

/** Decodes the whole image under the pixel cap and returns its thumbnail. */
async function decodeImage(buffer: Buffer, format: string, maxPixels: number): Promise<Buffer> {
  let metadata: Metadata;
  try {
    metadata = await sharp(buffer, { limitInputPixels: false }).metadata();
  } catch {
    throw notAllowed();
  }
  const expectedFormat = format === 'jpg' ? 'jpeg' : format;
  if (metadata.format !== expectedFormat || !metadata.width || !metadata.height) throw notAllowed();
  if (metadata.width * metadata.height > maxPixels) {
    throw new AppException(ErrorCode.PayloadTooLarge, 'Image dimensions too large');
  }
  try {
    return await sharp(buffer, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    throw notAllowed();
  }
}

/**
 * Decides what a file is from its bytes, never from the client's Content-Type: the content's
 * signature (file-type) or, for text, valid UTF-8 without control characters, must be an allowed
 * type, the name's extension must be one of that type's, and the content must pass the type's own
 * checks (Office containers really are Word/Excel documents, images decode under the pixel cap,
 * images and PDFs carry no markup or glued-on archive). Anything else: 415 (a pixel count over
 * UPLOAD_MAX_IMAGE_PIXELS: 413).
 */
export async function inspectFile(buffer: Buffer, name: string, maxImagePixels: number): Promise<InspectedFile> {
  const extension = extensionOf(name);
  if (hangsFileType(buffer)) throw notAllowed();
  const detected = (await fromBuffer(buffer))?.ext as string | undefined;
  const type = ALLOWED_TYPES.find((candidate) => candidate.extensions.includes(extension) && sameSignature(candidate.detected, detected));
  if (!type || !contentMatches(type, extension, buffer)) throw notAllowed();
  const result: InspectedFile = { mime: type.mime, kind: type.kind, extension: type.extensions[0] };
  if (type.kind === 'image') result.thumbnail = await decodeImage(buffer, type.detected as string, maxImagePixels);
  return result;
}
