import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TestApp } from '../utils/create-test-app';

/** What the helpers need of a session from `createSession` (test/factories/session.factory.ts). */
export interface GuestSession {
  sessionId: string;
  guestToken: string;
}

export interface UploadFile {
  name: string;
  content: Buffer;
  /** What the client claims; the server never trusts it. */
  contentType?: string;
}

/** POST /api/live-chat/upload as a guest (or with the given Authorization header). */
export function upload(t: TestApp, session: GuestSession, files: UploadFile[], authorization = `Bearer ${session.guestToken}`) {
  const req = t.http.post('/api/live-chat/upload').set('Authorization', authorization).field('sessionId', session.sessionId);
  for (const file of files) req.attach('files', file.content, { filename: file.name, contentType: file.contentType ?? 'application/octet-stream' });
  return req;
}

/** The stored files under DATA_DIR/uploads. */
export async function storedFiles(t: TestApp): Promise<string[]> {
  return (await readdir(join(t.dataDir, 'uploads'))).sort();
}

/** A local attachment url with the guest token as `?token=` (as an <img src> would carry it). */
export function withToken(url: string, session: GuestSession): string {
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(session.guestToken)}`;
}

/** Retries an assertion until it holds (the bus delivers to async subscribers without waiting). */
export async function eventually(assertion: () => Promise<void>, attempts = 100): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await assertion();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
