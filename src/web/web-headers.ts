import { Response } from 'express';

/**
 * The console's and the demo page's documents: their own scripts, styles and API only, never
 * framed. `https:` images are Cloudinary attachments.
 */
export const DOCUMENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** /widget.js keeps its name across releases: host pages pick up a new one within minutes. */
const LAUNCHER = 'public, max-age=300';

/** Files built with a content hash in their name (Vite's `name-<hash>.ext`). */
const HASHED = /-[A-Za-z0-9_-]{8}\.(js|css|woff2?|svg|png)$/;

/**
 * Replaces the API's headers (src/common/http/security-headers.ts) for a built web file. The
 * widget's files are loaded by other sites' pages: their Cross-Origin-Resource-Policy lets them,
 * and CORS (`CORS_ORIGINS`, set by setupApp) decides which sites may load the lazy chunks.
 */
export function setWebHeaders(res: Response, path: string): void {
  const file = path.replaceAll('\\', '/');
  const isWidget = file.endsWith('/dist/widget.js') || file.includes('/dist/widget/');
  res.setHeader('Cache-Control', file.endsWith('/dist/widget.js') ? LAUNCHER : HASHED.test(file) ? IMMUTABLE : 'no-cache');
  res.setHeader('Cross-Origin-Resource-Policy', isWidget ? 'cross-origin' : 'same-origin');
  if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
}
