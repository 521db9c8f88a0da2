import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { createAgent } from '../factories/agent.factory';
import * as files from '../factories/file.factory';
import { createSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { GuestSession, storedFiles, upload, withToken } from './attachments.helpers';

const OTHER_TESTS_TEMP = /^(live-chat-|jest_|ferretdb-src-)/;

const MAX_FILE_BYTES = 64 * 1024;

describe('POST /api/live-chat/upload and GET /api/live-chat/attachments/:id/:name (local disk)', () => {
  let t: TestApp;
  let session: GuestSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_FILE_BYTES: String(MAX_FILE_BYTES), UPLOAD_MAX_IMAGE_PIXELS: '1000000' } });
    session = await createSession(t);
  });
  afterAll(() => t.destroy());

  describe('accepted types (decided by content and extension)', () => {
    const cases: [string, () => Promise<Buffer> | Buffer, string][] = [
      ['photo.jpg', () => files.image('jpeg'), 'image/jpeg'],
      ['photo.JPEG', () => files.image('jpeg'), 'image/jpeg'],
      ['shot.png', () => files.image('png'), 'image/png'],
      ['anim.gif', () => files.image('gif'), 'image/gif'],
      ['pic.webp', () => files.image('webp'), 'image/webp'],
      ['invoice.pdf', () => files.pdf(), 'application/pdf'],
      ['letter.doc', () => files.doc(), 'application/msword'],
      ['sheet.xls', () => files.xls(), 'application/vnd.ms-excel'],
      ['letter.docx', () => files.docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['sheet.xlsx', () => files.xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['notes.txt', () => files.txt('Plain notes — with UTF-8 ✓\r\n\tand tabs\n'), 'text/plain'],
    ];

    it.each(cases)('%s is stored as %s whatever the client claims', async (name, build, type) => {
      const content = await build();
      const res = await upload(t, session, [{ name, content, contentType: 'text/html' }]).expect(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Files uploaded successfully',
        data: { attachments: [expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name, type, size: content.length })] },
      });
      const [attachment] = res.body.data.attachments;
      expect(attachment.url).toBe(`/api/live-chat/attachments/${attachment.id}/${encodeURIComponent(name)}`);
      if (type.startsWith('image/')) expect(attachment.previewUrl).toBe(`${attachment.url}?variant=preview`);
      else expect(attachment).not.toHaveProperty('previewUrl');

      const download = await t.http.get(attachment.url).set('X-Guest-Token', session.guestToken).buffer(true).parse(binary).expect(200);
      expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
    });
  });

  describe('refused content → 415', () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(512, 0x41)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
    const cases: [string, string, () => Promise<Buffer> | Buffer][] = [
      ['an svg image', 'logo.svg', () => svg],
      ['an svg renamed .png', 'logo.png', () => svg],
      ['an html page', 'page.html', () => html],
      ['html renamed .png', 'x.png', () => html],
      ['html renamed .txt', 'readme.txt', () => html],
      ['an exe', 'setup.exe', () => exe],
      ['an exe renamed .pdf', 'invoice.pdf', () => exe],
      ['a zip', 'archive.zip', () => files.zip({ 'a.txt': 'a' })],
      ['a zip renamed .docx', 'report.docx', () => files.zip({ 'a.txt': 'a', 'word/x.txt': 'b' })],
      ['a macro-enabled Word file renamed .docx', 'macro.docx', () => files.docx('application/vnd.ms-word.document.macroEnabled.main+xml')],
      ['an xlsx renamed .docx', 'sheet.docx', () => files.xlsx()],
      ['an OLE file that is neither Word nor Excel renamed .doc', 'setup.doc', () => files.cfb(['SummaryInformation'])],
      ['an Excel file renamed .doc', 'sheet.doc', () => files.xls()],
      ['a Word file with macros', 'macro.doc', () => files.cfb(['WordDocument', 'Macros'])],
      ['a png renamed .jpg', 'photo.jpg', () => files.image('png')],
      ['a pdf renamed .png', 'image.png', () => files.pdf()],
      ['a png with a zip appended (polyglot)', 'gifar.png', async () => Buffer.concat([await files.image('png'), files.zip({ 'evil.class': 'x' })])],
      ['a jpeg carrying a script (polyglot)', 'poly.jpg', async () => Buffer.concat([await files.image('jpeg'), Buffer.from('<script>alert(1)</script>')])],
      ['a pdf carrying html (polyglot)', 'poly.pdf', () => files.pdf('<html><script>alert(1)</script></html>')],
      ['a truncated png', 'broken.png', async () => (await files.image('png', 64, 64)).subarray(0, 60)],
      ['text with NUL bytes', 'nul.txt', () => Buffer.from('abc\u0000def')],
      ['text with control characters', 'ctl.txt', () => Buffer.from('abc\u001bdef')],
      ['text that is not UTF-8', 'latin1.txt', () => Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])],
      ['a file without an extension', 'README', () => files.txt()],
    ];

    it.each(cases)('%s (%s)', async (_what, name, build) => {
      const before = await storedFiles(t);
      const res = await upload(t, session, [{ name, content: await build(), contentType: 'image/png' }]).expect(415);
      expect(res.body).toEqual({ success: false, message: 'File type not allowed' });
      expect(await storedFiles(t)).toEqual(before);
    });

    it('one refused file refuses the whole request and stores none of the others', async () => {
      const before = await storedFiles(t);
      await upload(t, session, [
        { name: 'ok.png', content: await files.image('png') },
        { name: 'bad.svg', content: Buffer.from('<svg/>') },
      ]).expect(415);
      expect(await storedFiles(t)).toEqual(before);
    });
  });

  describe('limits', () => {
    it('an image over UPLOAD_MAX_IMAGE_PIXELS (a decompression bomb) → 413', async () => {
      const bomb = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
      expect(bomb.length).toBeLessThan(MAX_FILE_BYTES);
      const res = await upload(t, session, [{ name: 'bomb.png', content: bomb }]).expect(413);
      expect(res.body).toEqual({ success: false, message: 'Image dimensions too large' });
    });

    it('a file of exactly UPLOAD_MAX_FILE_BYTES is accepted, one byte more → 413', async () => {
      await upload(t, session, [{ name: 'max.txt', content: Buffer.alloc(MAX_FILE_BYTES, 'a') }]).expect(201);
      const res = await upload(t, session, [{ name: 'big.txt', content: Buffer.alloc(MAX_FILE_BYTES + 1, 'a') }]).expect(413);
      expect(res.body).toEqual({ success: false, message: `File too large: the limit is ${MAX_FILE_BYTES} bytes per file` });
    });

    it('five files are accepted, six → 413', async () => {
      const five = Array.from({ length: 5 }, (_, i) => ({ name: `n${i}.txt`, content: files.txt(`note ${i}`) }));
      const ok = await upload(t, session, five).expect(201);
      expect(ok.body.data.attachments.map((a: { name: string }) => a.name)).toEqual(five.map((f) => f.name));
      const res = await upload(t, session, [...five, { name: 'n5.txt', content: files.txt() }]).expect(413);
      expect(res.body).toEqual({ success: false, message: 'Too many files: at most 5 per request' });
    });

    it('files sent as files[] are accepted too', async () => {
      const res = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .field('sessionId', session.sessionId)
        .attach('files[]', files.txt(), 'a.txt')
        .expect(201);
      expect(res.body.data.attachments).toHaveLength(1);
    });

    it('an empty file → 400', async () => {
      const res = await upload(t, session, [{ name: 'empty.txt', content: Buffer.alloc(0) }]).expect(400);
      expect(res.body).toEqual({ success: false, message: 'Empty files are not allowed' });
    });

    it('no files → 400; no sessionId → 400; a malformed sessionId → 400', async () => {
      const none = await t.http.post('/api/live-chat/upload').set('X-Guest-Token', session.guestToken).field('sessionId', session.sessionId).expect(400);
      expect(none.body).toEqual({ success: false, message: 'No files uploaded' });
      const noSession = await t.http.post('/api/live-chat/upload').set('X-Guest-Token', session.guestToken).attach('files', files.txt(), 'a.txt').expect(400);
      expect(noSession.body).toEqual({ success: false, message: 'Session ID is required' });
      const bad = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .field('sessionId', '../../etc')
        .attach('files', files.txt(), 'a.txt')
        .expect(400);
      expect(bad.body).toEqual({ success: false, message: 'Invalid session ID' });
    });

    it('a file under another field name → 400', async () => {
      const res = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .field('sessionId', session.sessionId)
        .attach('avatar', files.txt(), 'a.txt')
        .expect(400);
      expect(res.body).toEqual({ success: false, message: 'Unexpected file field: send files as "files"' });
    });

    it('too many form fields, or an oversized field → 413', async () => {
      const many = t.http.post('/api/live-chat/upload').set('X-Guest-Token', session.guestToken);
      for (let i = 0; i < 25; i++) many.field(`f${i}`, 'x');
      expect((await many.expect(413)).body).toEqual({ success: false, message: 'Too many or too large form fields' });
      const big = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .field('sessionId', 'x'.repeat(30_000))
        .expect(413);
      expect(big.body).toEqual({ success: false, message: 'Too many or too large form fields' });
    });

    it('a broken multipart body → 400', async () => {
      const truncated = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\nabc')
        .expect(400);
      expect(truncated.body).toEqual({ success: false, message: 'Malformed multipart body' });
      const noBoundary = await t.http
        .post('/api/live-chat/upload')
        .set('X-Guest-Token', session.guestToken)
        .set('Content-Type', 'multipart/form-data')
        .send('whatever')
        .expect(400);
      expect(noBoundary.body).toEqual({ success: false, message: 'Malformed multipart body' });
    });

    it('a JSON body → 400 (no files)', async () => {
      const res = await t.http.post('/api/live-chat/upload').set('X-Guest-Token', session.guestToken).send({ sessionId: session.sessionId }).expect(400);
      expect(res.body).toEqual({ success: false, message: 'No files uploaded' });
    });

    it('an upload aborted mid-body leaves no file, temp file or record, and the server carries on', async () => {
      const tempBefore = await readdir(tmpdir());
      const storedBefore = await storedFiles(t);
      const recordsBefore = await t.connection.collection('livechatuploads').countDocuments();
      const boundary = 'ABORTBOUNDARY';
      const head =
        `--${boundary}\r\nContent-Disposition: form-data; name="sessionId"\r\n\r\n${session.sessionId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`;
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${t.url}/api/live-chat/upload`, {
          method: 'POST',
          headers: {
            'Content-Type': `multipart/form-data; boundary=${boundary}`,
            'Content-Length': String(head.length + MAX_FILE_BYTES),
            'X-Guest-Token': session.guestToken,
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(head);
        req.write(Buffer.alloc(MAX_FILE_BYTES / 2, 'a'), () => req.destroy());
      });
      // The server is still healthy and answers the next upload.
      await upload(t, session, [{ name: 'after.txt', content: files.txt() }]).expect(201);
      expect(await t.connection.collection('livechatuploads').countDocuments()).toBe(recordsBefore + 1);
      expect((await storedFiles(t)).length).toBe(storedBefore.length + 1);
      // Other test files create and remove their own folders in tmpdir meanwhile: only look for
      // anything new that is not theirs.
      const tempAdded = (await readdir(tmpdir())).filter((name) => !tempBefore.includes(name) && !OTHER_TESTS_TEMP.test(name));
      expect(tempAdded).toEqual([]);
    });
  });

  describe('names', () => {
    const cases: [string, string][] = [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['..\\..\\windows\\win.ini.txt', 'win.ini.txt'],
      ['/abs/path/report.txt', 'report.txt'],
      ['line\r\nbreak.txt', 'linebreak.txt'],
      ['\u202egnp.txt', 'gnp.txt'],
      ['...hidden.txt', 'hidden.txt'],
      ['a"b<c>.txt', 'a_b_c_.txt'],
      ['résumé ✓.txt', 'résumé ✓.txt'],
    ];

    it.each(cases)('%j is stored as %j, under a server-made file name', async (raw, expected) => {
      const res = await upload(t, session, [{ name: raw, content: files.txt() }]).expect(201);
      const [attachment] = res.body.data.attachments;
      expect(attachment.name).toBe(expected);
      expect(await storedFiles(t)).toContain(`${attachment.id}.txt`);
      const download = await t.http.get(attachment.url).set('X-Guest-Token', session.guestToken).expect(200);
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="${expected.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(expected)}`,
      );
    });

    it('a NUL byte in the name is refused by the multipart parser → 400 (the sanitiser would drop it too)', async () => {
      const res = await upload(t, session, [{ name: 'evil\u0000name.txt', content: files.txt() }]).expect(400);
      expect(res.body).toEqual({ success: false, message: 'Malformed multipart body' });
    });

    it('long names are capped at 150 characters, keeping the extension', async () => {
      const res = await upload(t, session, [{ name: `${'x'.repeat(400)}.txt`, content: files.txt() }]).expect(201);
      expect(res.body.data.attachments[0].name).toBe(`${'x'.repeat(146)}.txt`);
    });
  });

  describe('downloads', () => {
    let png: Buffer;
    let image: { id: string; url: string; previewUrl: string };
    let pdf: { id: string; url: string };

    beforeAll(async () => {
      png = await files.image('png', 640, 480);
      const res = await upload(t, session, [
        { name: 'shot.png', content: png },
        { name: 'doc.pdf', content: files.pdf() },
      ]).expect(201);
      [image, pdf] = res.body.data.attachments;
    });

    it('images: inline, stored MIME type, nosniff, a sandboxing CSP, ETag and cache headers, the same bytes', async () => {
      const res = await t.http.get(withToken(image.url, session)).buffer(true).parse(binary).expect(200);
      expect(res.headers).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(png.length),
        'content-disposition': `inline; filename="shot.png"; filename*=UTF-8''shot.png`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=86400, immutable',
        etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      });
      expect(Buffer.compare(res.body as Buffer, png)).toBe(0);
      await t.http.get(withToken(image.url, session)).set('If-None-Match', res.headers.etag).expect(304);
    });

    it('documents: Content-Disposition attachment', async () => {
      const res = await t.http.get(pdf.url).set('Authorization', `Bearer ${session.guestToken}`).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="doc.pdf"/);
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    });

    it('text is served as text/plain; charset=utf-8', async () => {
      const res = await upload(t, session, [{ name: 'a.txt', content: files.txt('héllo') }]).expect(201);
      const download = await t.http.get(withToken(res.body.data.attachments[0].url, session)).expect(200);
      expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(download.text).toBe('héllo');
    });

    it('the preview is a real thumbnail made by sharp', async () => {
      const res = await t.http.get(withToken(image.previewUrl, session)).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('image/webp');
      const meta = await sharp(res.body as Buffer).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 320, height: 240 });
    });

    it('unknown id, wrong name or a bad variant → 404 / 400', async () => {
      await t.http.get(withToken(`/api/live-chat/attachments/${'0'.repeat(32)}/shot.png`, session)).expect(404);
      await t.http.get(withToken(`/api/live-chat/attachments/not-an-id/shot.png`, session)).expect(404);
      await t.http.get(withToken(image.url.replace('shot.png', 'other.png'), session)).expect(404);
      await t.http.get(withToken(`${pdf.url}?variant=preview`, session)).expect(404);
      await t.http.get(withToken(`${image.url}?variant=huge`, session)).expect(400);
    });
  });

  describe('access', () => {
    it('without a token → 401 (upload and download)', async () => {
      const up = await t.http.post('/api/live-chat/upload').field('sessionId', session.sessionId).attach('files', files.txt(), 'a.txt').expect(401);
      expect(up.body).toEqual({ success: false, message: 'No token, authorization denied' });
      const res = await upload(t, session, [{ name: 'a.txt', content: files.txt() }]).expect(201);
      await t.http.get(res.body.data.attachments[0].url).expect(401);
    });

    it("another session's guest can neither upload to nor download from this session", async () => {
      const other = await createSession(t);
      const res = await upload(t, session, [{ name: 'private.txt', content: files.txt() }]).expect(201);
      const url = res.body.data.attachments[0].url;
      await t.http.get(url).set('X-Guest-Token', other.guestToken).expect(401);
      await t.http.get(withToken(url, other)).expect(401);
      await upload(t, { sessionId: session.sessionId, guestToken: other.guestToken }, [{ name: 'a.txt', content: files.txt() }]).expect(401);
      await t.http.get(url).set('X-Guest-Token', 'forged.token').expect(401);
    });

    it('an unknown session → 404', async () => {
      const res = await upload(t, { sessionId: 'session-does-not-exist', guestToken: 'x.y' }, [{ name: 'a.txt', content: files.txt() }], `Bearer ${(await createAgent(t)).token}`).expect(404);
      expect(res.body).toEqual({ success: false, message: 'Session not found' });
    });

    it('with GUEST_TOKEN_REQUIRED=false the sessionId alone is enough', async () => {
      const open = await createTestApp({ env: { GUEST_TOKEN_REQUIRED: 'false', UPLOAD_MAX_FILE_BYTES: String(MAX_FILE_BYTES) } });
      try {
        const other = await createSession(open);
        const res = await open.http.post('/api/live-chat/upload').field('sessionId', other.sessionId).attach('files', files.txt(), 'a.txt').expect(201);
        await open.http.get(res.body.data.attachments[0].url).expect(200);
      } finally {
        await open.destroy();
      }
    });

    it('agents upload to and download from any session with their token', async () => {
      const agent = await createAgent(t);
      const res = await upload(t, session, [{ name: 'agent.txt', content: files.txt('from the agent') }], `Bearer ${agent.token}`).expect(201);
      const record = await t.connection.collection('livechatuploads').findOne({ attachmentId: res.body.data.attachments[0].id });
      expect(record?.uploadedBy).toBe(agent.agent.id);
      const download = await t.http.get(res.body.data.attachments[0].url).set('Authorization', `Bearer ${agent.token}`).expect(200);
      expect(download.text).toBe('from the agent');
      await t.http.get(res.body.data.attachments[0].url).set('Authorization', 'Bearer a.b.c').expect(401);
      // Agent tokens are refused in the query string (guest tokens only, for <img src>).
      await t.http.get(`${res.body.data.attachments[0].url}?token=${agent.token}`).expect(401);
    });
  });
});

/** supertest parser that keeps any body as a Buffer. */
function binary(res: unknown, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
