/** Longest stored original name, in characters (the extension is kept when cutting). */
export const MAX_FILE_NAME_LENGTH = 150;

// C0/C1 controls, DEL, bidi overrides/isolates (the "gnp.exe" trick), zero-width and BOM characters.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Reserved on common file systems and awkward in headers.
const RESERVED_CHARACTERS = /[<>:"|?*;]/g;

/** The lower-case extension of a (sanitised) name without the dot, or '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * The client's file name made safe to store and show: the last path part only, no control, bidi or
 * reserved characters, no leading dots, whitespace collapsed, at most MAX_FILE_NAME_LENGTH
 * characters (the extension kept). Never empty: `file` stands in for a name with nothing left.
 * The stored object itself always gets a server-made name; this is only for display and downloads.
 */
export function sanitizeFileName(raw: string): string {
  const lastPart = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let name = lastPart
    .replace(UNSAFE_CHARACTERS, '')
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const characters = Array.from(name);
  if (characters.length > MAX_FILE_NAME_LENGTH) {
    const ext = extensionOf(name);
    const suffix = ext && ext.length <= 10 ? `.${ext}` : '';
    name = characters.slice(0, MAX_FILE_NAME_LENGTH - suffix.length).join('').trimEnd() + suffix;
  }
  return name.length > 0 && !name.startsWith('.') ? name : `file${name}`;
}

/** `Content-Disposition` for a sanitised name: an ASCII fallback plus the exact UTF-8 name (RFC 6266). */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
