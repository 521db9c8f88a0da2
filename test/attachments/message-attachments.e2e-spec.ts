import { AttachmentsService } from '../../src/attachments/attachments.service';
import { AgentRole } from '../../src/common/access/agent-role';
import { createAgent } from '../factories/agent.factory';
import * as files from '../factories/file.factory';
import { createSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { eventually, GuestSession, storedFiles, upload } from './attachments.helpers';

const HOUR = 60 * 60_000;

describe('messages with attachments, orphan cleanup and session deletion (local disk)', () => {
  let t: TestApp;
  let session: GuestSession;

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_FILE_BYTES: String(64 * 1024) } });
  });
  beforeEach(async () => {
    session = await createSession(t);
  });
  afterAll(() => t.destroy());

  const send = (s: GuestSession) => t.http.post(`/api/live-chat/sessions/${s.sessionId}/messages`).set('X-Guest-Token', s.guestToken);
  const uploadsOf = (s: GuestSession) => t.connection.collection('livechatuploads').find({ sessionId: s.sessionId }).toArray();

  describe('POST /api/live-chat/sessions/:sessionId/messages', () => {
    it('multipart: content and files in one request', async () => {
      const png = await files.image('png');
      const res = await send(session)
        .field('content', 'Please see the attached screenshot')
        .attach('files', png, 'screenshot.png')
        .attach('files', files.pdf(), 'order.pdf')
        .expect(201);
      expect(res.body).toMatchObject({
        success: true,
        message: 'Message sent successfully',
        data: {
          sessionId: session.sessionId,
          type: 'user',
          content: 'Please see the attached screenshot',
          attachments: [
            { id: expect.any(String), name: 'screenshot.png', type: 'image/png', size: png.length, url: expect.any(String), previewUrl: expect.any(String) },
            { id: expect.any(String), name: 'order.pdf', type: 'application/pdf', url: expect.any(String) },
          ],
        },
      });
      const list = await t.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set('X-Guest-Token', session.guestToken).expect(200);
      expect(list.body.data.at(-1).attachments).toEqual(res.body.data.attachments);
      const download = await t.http.get(res.body.data.attachments[1].url).set('X-Guest-Token', session.guestToken).expect(200);
      expect(download.headers['content-type']).toBe('application/pdf');
    });

    it('multipart: files without text', async () => {
      const res = await send(session).attach('files', files.txt(), 'notes.txt').expect(201);
      expect(res.body.data).toMatchObject({ content: '', attachments: [{ name: 'notes.txt', type: 'text/plain' }] });
    });

    it('multipart: neither text nor files → 400', async () => {
      const res = await send(session).field('content', '   ').expect(400);
      expect(res.body).toEqual({ success: false, message: 'Message content is required' });
    });

    it('multipart: a refused file → 415 and no message; too many files → 413', async () => {
      await send(session).field('content', 'hi').attach('files', Buffer.from('<svg/>'), 'x.svg').expect(415);
      const six = send(session).field('content', 'hi');
      for (let i = 0; i < 6; i++) six.attach('files', files.txt(), `${i}.txt`);
      await six.expect(413);
      const list = await t.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set('X-Guest-Token', session.guestToken).expect(200);
      expect(list.body.total).toBe(1);
      expect(await uploadsOf(session)).toEqual([]);
    });

    it('the files of a refused message are removed again (closed session → 409)', async () => {
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set('X-Guest-Token', session.guestToken).send({}).expect(200);
      const before = await storedFiles(t);
      await send(session).field('content', 'too late').attach('files', files.txt(), 'late.txt').expect(409);
      expect(await storedFiles(t)).toEqual(before);
      expect(await uploadsOf(session)).toEqual([]);
    });

    it("the JSON path still works, and attachmentIds sends files uploaded earlier to the session", async () => {
      await send(session).send({ content: 'plain JSON' }).expect(201);
      const uploaded = await upload(t, session, [{ name: 'later.txt', content: files.txt() }]).expect(201);
      const [attachment] = uploaded.body.data.attachments;
      const res = await send(session).send({ content: '', attachmentIds: [attachment.id] }).expect(201);
      expect(res.body.data.attachments).toEqual([attachment]);
    });

    it('attachmentIds of another session, unknown ones or not a list → 400', async () => {
      const other = await createSession(t);
      const foreign = (await upload(t, other, [{ name: 'theirs.txt', content: files.txt() }]).expect(201)).body.data.attachments[0];
      const res = await send(session).send({ content: 'x', attachmentIds: [foreign.id] }).expect(400);
      expect(res.body).toEqual({ success: false, message: 'Attachment not found' });
      await send(session).send({ content: 'x', attachmentIds: ['0'.repeat(32)] }).expect(400);
      const bad = await send(session).send({ content: 'x', attachmentIds: [{ $ne: null }] }).expect(400);
      expect(bad.body).toEqual({ success: false, message: 'attachmentIds must be a list of attachment ids' });
    });

    it("a foreign guest cannot send files to this session", async () => {
      const other = await createSession(t);
      await t.http
        .post(`/api/live-chat/sessions/${session.sessionId}/messages`)
        .set('X-Guest-Token', other.guestToken)
        .attach('files', files.txt(), 'a.txt')
        .expect(401);
      expect(await uploadsOf(session)).toEqual([]);
    });
  });

  describe('POST /api/admin/live-chat/sessions/:sessionId/reply', () => {
    const reply = (s: GuestSession, token: string) => t.http.post(`/api/admin/live-chat/sessions/${s.sessionId}/reply`).set('Authorization', `Bearer ${token}`);

    it('multipart: an agent replies with a document the guest can download', async () => {
      const agent = await createAgent(t);
      const res = await reply(session, agent.token)
        .field('content', "Here's the document you requested")
        .attach('files', files.pdf(), 'document.pdf')
        .expect(201);
      expect(res.body).toMatchObject({
        success: true,
        message: 'Reply sent successfully',
        data: { type: 'agent', agentId: agent.agent.id, content: "Here's the document you requested", attachments: [{ name: 'document.pdf', type: 'application/pdf' }] },
      });
      const [attachment] = res.body.data.attachments;
      expect((await uploadsOf(session)).map((u) => [u.attachmentId, u.uploadedBy])).toEqual([[attachment.id, agent.agent.id]]);
      await t.http.get(attachment.url).set('X-Guest-Token', session.guestToken).expect(200);
    });

    it('multipart: files only; JSON replies still work', async () => {
      const agent = await createAgent(t);
      const files_ = await reply(session, agent.token).attach('files', await files.image('webp'), 'pic.webp').expect(201);
      expect(files_.body.data).toMatchObject({ content: '', attachments: [{ name: 'pic.webp', type: 'image/webp', previewUrl: expect.any(String) }] });
      const json = await reply(session, agent.token).send({ content: 'plain reply' }).expect(201);
      expect(json.body.data).toMatchObject({ content: 'plain reply', attachments: [] });
    });

    it('refused files → 415, and nothing is read without an agent token (401)', async () => {
      const agent = await createAgent(t);
      await reply(session, agent.token).field('content', 'x').attach('files', Buffer.from('MZ\x90\x00'), 'tool.pdf').expect(415);
      await t.http
        .post(`/api/admin/live-chat/sessions/${session.sessionId}/reply`)
        .set('Authorization', `Bearer ${session.guestToken}`)
        .attach('files', files.txt(), 'a.txt')
        .expect(401);
      expect(await uploadsOf(session)).toEqual([]);
    });
  });

  describe('orphan cleanup', () => {
    it('removes uploads never sent after UPLOAD_ORPHAN_GRACE_MINUTES and keeps the ones sent', async () => {
      const res = await upload(t, session, [
        { name: 'sent.png', content: await files.image('png') },
        { name: 'forgotten.png', content: await files.image('png') },
      ]).expect(201);
      const [sent, forgotten] = res.body.data.attachments;
      await send(session).send({ attachmentIds: [sent.id] }).expect(201);
      const service = t.app.get(AttachmentsService);

      await service.sweepOrphans(new Date(Date.now() + HOUR - 60_000));
      expect((await uploadsOf(session)).map((u) => u.attachmentId).sort()).toEqual([sent.id, forgotten.id].sort());

      await service.sweepOrphans(new Date(Date.now() + HOUR + 60_000));
      expect((await uploadsOf(session)).map((u) => u.attachmentId)).toEqual([sent.id]);
      const stored = await storedFiles(t);
      expect(stored).toEqual(expect.arrayContaining([`${sent.id}.png`, `${sent.id}.preview.webp`]));
      expect(stored.filter((name) => name.startsWith(forgotten.id))).toEqual([]);
      await t.http.get(forgotten.url).set('X-Guest-Token', session.guestToken).expect(404);
      await t.http.get(sent.url).set('X-Guest-Token', session.guestToken).expect(200);
    });

    it('keeps an upload a message carries even if it was never marked attached', async () => {
      const res = await upload(t, session, [{ name: 'kept.txt', content: files.txt() }]).expect(201);
      const [attachment] = res.body.data.attachments;
      await send(session).send({ attachmentIds: [attachment.id] }).expect(201);
      await t.connection.collection('livechatuploads').updateOne({ attachmentId: attachment.id }, { $set: { attached: false } });
      await t.app.get(AttachmentsService).sweepOrphans(new Date(Date.now() + 2 * HOUR));
      expect(await uploadsOf(session)).toEqual([expect.objectContaining({ attachmentId: attachment.id, attached: true })]);
    });
  });

  describe('session deletion', () => {
    it('DELETE /api/admin/live-chat/sessions/:sessionId removes its files and records', async () => {
      await send(session).attach('files', files.txt(), 'a.txt').expect(201);
      const keys = (await uploadsOf(session)).map((u) => u.storageKey);
      const admin = await createAgent(t, { role: AgentRole.Admin });
      await t.http.delete(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', `Bearer ${admin.token}`).expect(200);
      await eventually(async () => expect(await uploadsOf(session)).toEqual([]));
      expect((await storedFiles(t)).filter((name) => keys.includes(name))).toEqual([]);
    });

    it('removes every file of the deleted session and none of another', async () => {
      const other = await createSession(t);
      const keep = (await upload(t, other, [{ name: 'other.txt', content: files.txt() }]).expect(201)).body.data.attachments[0];
      await send(session).attach('files', await files.image('png'), 'a.png').expect(201);
      await upload(t, session, [{ name: 'b.txt', content: files.txt() }]).expect(201);
      const keys = (await uploadsOf(session)).flatMap((u) => [u.storageKey, u.previewKey].filter(Boolean));
      expect(keys).toHaveLength(3);
      expect(await storedFiles(t)).toEqual(expect.arrayContaining(keys));

      const admin = await createAgent(t, { role: AgentRole.Admin });
      await t.http.delete(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', `Bearer ${admin.token}`).expect(200);
      await eventually(async () => expect(await uploadsOf(session)).toEqual([]));
      const stored = await storedFiles(t);
      expect(stored.filter((name) => keys.includes(name))).toEqual([]);
      expect(stored).toContain(`${keep.id}.txt`);
    });
  });
});
