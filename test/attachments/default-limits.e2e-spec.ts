import { createSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { upload } from './attachments.helpers';

// Its own file: apps started earlier in a test file leave their settings in process.env.
describe('uploads with the default limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('10 MB is accepted and 10 MB + 1 byte → 413', async () => {
    const session = await createSession(t);
    const tenMb = 10 * 1024 * 1024;
    await upload(t, session, [{ name: 'ten.txt', content: Buffer.alloc(tenMb, 'a') }]).expect(201);
    const res = await upload(t, session, [{ name: 'big.txt', content: Buffer.alloc(tenMb + 1, 'a') }]).expect(413);
    expect(res.body).toEqual({ success: false, message: `File too large: the limit is ${tenMb} bytes per file` });
  });
});
