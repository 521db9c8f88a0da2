import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AttachmentsService } from '../../src/attachments/attachments.service';
import { AgentRole } from '../../src/common/access/agent-role';
import { bearer, createAgent } from '../factories/agent.factory';
import * as files from '../factories/file.factory';
import { createSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { eventually, upload } from './attachments.helpers';
import { FakeCloudinary } from './fake-cloudinary';

describe('attachments stored in Cloudinary (against a local fake of its API)', () => {
  const fake = new FakeCloudinary();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await createTestApp({ env: { CLOUDINARY_URL: fake.cloudinaryUrl, UPLOAD_ORPHAN_GRACE_MINUTES: '1' } });
  });
  afterAll(async () => {
    await t.destroy();
    await fake.stop();
  });

  it('streams images as image resources with a thumbnail transformation as previewUrl, documents as raw', async () => {
    const session = await createSession(t);
    const png = await files.image('png');
    const pdf = files.pdf();
    const res = await upload(t, session, [
      { name: 'shot.png', content: png },
      { name: 'invoice.pdf', content: pdf },
    ]).expect(201);
    const [image, document] = res.body.data.attachments;

    expect(fake.uploads.map((u) => u.resourceType)).toEqual(['image', 'raw']);
    expect(Buffer.compare(fake.uploads[0].file, png)).toBe(0);
    expect(Buffer.compare(fake.uploads[1].file, pdf)).toBe(0);
    expect(fake.uploads[0].params.public_id).toBe(`live-chat/${image.id}`);
    expect(fake.uploads[1].params.public_id).toBe(`live-chat/${document.id}.pdf`);

    expect(image).toEqual({
      id: image.id,
      name: 'shot.png',
      type: 'image/png',
      size: png.length,
      url: `https://res.cloudinary.com/demo-cloud/image/upload/v1700000000/live-chat/${image.id}`,
      previewUrl: `https://res.cloudinary.com/demo-cloud/image/upload/c_limit,h_320,w_320/v1700000000/live-chat/${image.id}.webp`,
    });
    expect(document).toEqual({
      id: document.id,
      name: 'invoice.pdf',
      type: 'application/pdf',
      size: pdf.length,
      url: `https://res.cloudinary.com/demo-cloud/raw/upload/v1700000000/live-chat/${document.id}.pdf`,
    });
    const records = await t.connection.collection('livechatuploads').find({ sessionId: session.sessionId }).toArray();
    expect(records.map((r) => [r.driver, r.publicId, r.resourceType])).toEqual([
      ['cloudinary', `live-chat/${image.id}`, 'image'],
      ['cloudinary', `live-chat/${document.id}.pdf`, 'raw'],
    ]);
    expect(await readdir(join(t.dataDir, 'uploads'))).toEqual([]);
  });

  it('content is still judged locally: refused files never reach Cloudinary', async () => {
    const session = await createSession(t);
    const before = fake.uploads.length;
    await upload(t, session, [{ name: 'x.png', content: Buffer.from('<html><script>1</script></html>') }]).expect(415);
    expect(fake.uploads.length).toBe(before);
  });

  it('a Cloudinary failure → 500, and the files already sent in that request are destroyed', async () => {
    const session = await createSession(t);
    fake.failUploadsAfter = fake.uploads.length + 1;
    try {
      const res = await upload(t, session, [
        { name: 'first.txt', content: files.txt() },
        { name: 'second.txt', content: files.txt() },
      ]).expect(500);
      expect(res.body).toEqual({ success: false, message: 'Internal server error' });
    } finally {
      fake.failUploadsAfter = Infinity;
    }
    const first = fake.uploads.at(-1)!;
    expect(fake.destroyed).toContainEqual({ resourceType: 'raw', publicId: first.params.public_id });
    expect(await t.connection.collection('livechatuploads').countDocuments({ sessionId: session.sessionId })).toBe(0);
  });

  it('orphans are destroyed in Cloudinary after the grace period', async () => {
    const session = await createSession(t);
    const res = await upload(t, session, [{ name: 'orphan.txt', content: files.txt() }]).expect(201);
    const { id } = res.body.data.attachments[0];
    const service = t.app.get(AttachmentsService);
    expect(await service.sweepOrphans()).toBe(0);
    expect(await service.sweepOrphans(new Date(Date.now() + 2 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(fake.destroyed).toContainEqual({ resourceType: 'raw', publicId: `live-chat/${id}.txt` });
    expect(await t.connection.collection('livechatuploads').countDocuments({ attachmentId: id })).toBe(0);
  });

  it('deleting a session destroys its files in Cloudinary', async () => {
    const session = await createSession(t);
    const res = await upload(t, session, [{ name: 'a.png', content: await files.image('png') }]).expect(201);
    const { id } = res.body.data.attachments[0];
    const admin = await createAgent(t, { role: AgentRole.Admin });
    await t.http.delete(`/api/admin/live-chat/sessions/${session.sessionId}`).set('Authorization', bearer(admin)).expect(200);
    await eventually(async () => {
      expect(fake.destroyed).toContainEqual({ resourceType: 'image', publicId: `live-chat/${id}` });
      expect(await t.connection.collection('livechatuploads').countDocuments({ sessionId: session.sessionId })).toBe(0);
    });
  });
});
