import { createSession, guestHeaders, TestSession } from '../factories/session.factory';
import * as files from '../factories/file.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { expectNoLeak } from './support/leaks';

/**
 * Upload attacks beyond the attachments suite (test/attachments/uploads.e2e-spec.ts already
 * covers svg/html/exe/zip and polyglots, traversal and NUL names, 10 MB + 1 byte, six files,
 * broken and aborted multipart, the pixel bomb and foreign guests): parser hangs, scripts that
 * pass as text, and the download side.
 */
describe('security: uploads', () => {
  let t: TestApp;
  let owner: TestSession;
  let stranger: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createSession(t);
    stranger = await createSession(t);
  });
  afterAll(() => t.destroy());

  const upload = (session: TestSession, name: string, content: Buffer) =>
    t.http.post('/api/live-chat/upload').set(guestHeaders(session)).field('sessionId', session.sessionId).attach('files', content, { filename: name, contentType: 'image/png' });

  // An ASF header followed by an object of size 0: file-type 16 loops forever on it (CVE-2026-31808).
  const asf = () => {
    const buffer = Buffer.alloc(200);
    Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c]).copy(buffer);
    return buffer;
  };
  const id3 = (inner: Buffer) => Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]), inner]);

  it.each([
    ['a malformed ASF header', 'clip.png', asf],
    ['a malformed ASF header behind an ID3 tag', 'song.txt', () => id3(asf())],
    ['a malformed ASF header named .pdf', 'clip.pdf', asf],
  ])('%s is refused (415) instead of hanging the process', async (_label, name, content) => {
    const res = await upload(owner, name, content()).timeout(10_000);
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ success: false, message: 'File type not allowed' });
    await t.http.get('/health').timeout(5_000).expect(200);
  });

  it.each([
    ['app.js', 'alert(document.cookie)'],
    ['page.htm', '<p onclick="alert(1)">x</p>'],
    ['image.svgz', '<svg onload="alert(1)"/>'],
    ['x.php', '<?php system($_GET["c"]); ?>'],
  ])('%s is refused by extension and content', async (name, body) => {
    const res = await upload(owner, name, Buffer.from(body)).expect(415);
    expectNoLeak(res.body);
  });

  it('script text renamed .txt is served inert: text/plain, attachment, nosniff, sandboxed', async () => {
    const res = await upload(owner, 'notes.txt', Buffer.from('alert(document.cookie)\n')).expect(201);
    const [attachment] = res.body.data.attachments;
    const download = await t.http.get(attachment.url).set(guestHeaders(owner)).expect(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(download.headers['content-security-policy']).toMatch(/sandbox/);
  });

  it('another session’s guest gets nothing of a file, by header or by ?token=, and learns nothing from the answer', async () => {
    const res = await upload(owner, 'photo.png', await files.image('png')).expect(201);
    const [attachment] = res.body.data.attachments;
    for (const req of [
      t.http.get(attachment.url).set(guestHeaders(stranger)),
      t.http.get(`${attachment.url}?token=${encodeURIComponent(stranger.guestToken)}`),
      t.http.get(`${attachment.url}?variant=preview&token=${encodeURIComponent(stranger.guestToken)}`),
      t.http.get(attachment.url),
    ]) {
      const denied = await req;
      expect(denied.status).toBe(401);
      expect(denied.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.stringify(denied.body)).not.toContain(owner.sessionId);
    }
  });

  it('traversal in the download path never escapes the uploads folder', async () => {
    const res = await upload(owner, 'a.txt', files.txt()).expect(201);
    const [attachment] = res.body.data.attachments;
    for (const path of [
      `/api/live-chat/attachments/${attachment.id}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/api/live-chat/attachments/..%2F..%2Fetc/passwd`,
      `/api/live-chat/attachments/${attachment.id}%2F..%2F..%2Fpackage.json/a.txt`,
      `/api/live-chat/attachments/${'0'.repeat(32)}/a.txt`,
    ]) {
      const denied = await t.http.get(path).set(guestHeaders(owner));
      expect([400, 404]).toContain(denied.status);
      expect(denied.text).not.toMatch(/root:|"name":\s*"live-chat-backend"/);
      expectNoLeak(denied.body);
    }
  });
});
