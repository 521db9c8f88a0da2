import { Types } from 'mongoose';
import { BusEvent } from '../../src/common/events/domain-events';
import { MessagesService } from '../../src/chat/messages/messages.service';
import { createSession, guestHeaders, recordEvents, sendGuestMessage, storedSession, TestSession } from '../factories/session.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { ISO_TIMESTAMP } from '../utils/matchers';

const messagesUrl = (session: TestSession) => `/api/live-chat/sessions/${session.sessionId}/messages`;

describe('guest messages API', () => {
  let t: TestApp;
  let events: BusEvent[];
  beforeAll(async () => {
    t = await createTestApp();
    events = recordEvents(t);
  });
  afterAll(() => t.destroy());

  describe('POST …/messages', () => {
    it('stores a trimmed user message with the next seq and updates the session', async () => {
      const session = await createSession(t);
      const res = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: '  Hello, I need help with my order  ' }).expect(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Message sent successfully',
        data: {
          _id: expect.stringMatching(/^[0-9a-f]{24}$/),
          sessionId: session.sessionId,
          seq: 2,
          type: 'user',
          content: 'Hello, I need help with my order',
          attachments: [],
          isRead: false,
          createdAt: ISO_TIMESTAMP,
        },
      });
      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({
        messageCount: 2,
        unreadCount: 1,
        lastSeq: 2,
        lastMessage: { content: 'Hello, I need help with my order', type: 'user', timestamp: new Date(res.body.data.createdAt) },
      });
      expect(stored?.updatedAt.getTime()).toBeGreaterThanOrEqual(new Date(res.body.data.createdAt).getTime());
      expect(events.filter((e) => e.name === 'message.created' && e.payload.sessionId === session.sessionId).map((e) => (e.payload as { message: unknown }).message)).toEqual([
        expect.objectContaining({ type: 'system', seq: 1 }),
        res.body.data,
      ].map((m) => (m.createdAt ? { ...m, createdAt: new Date(m.createdAt) } : m)));
    });

    it.each([
      [{}, 'Message content is required'],
      [{ content: '' }, 'Message content is required'],
      [{ content: '   \n ' }, 'Message content is required'],
      [{ content: 42 }, 'Message content is required'],
      [{ content: { $gt: '' } }, 'Message content is required'],
      [{ content: 'x'.repeat(5001) }, 'Message cannot exceed 5000 characters'],
      [{ content: 'hi', clientMessageId: 'x'.repeat(65) }, 'clientMessageId must be 1 to 64 letters, digits, ".", "_" or "-"'],
      [{ content: 'hi', clientMessageId: 'has space' }, 'clientMessageId must be 1 to 64 letters, digits, ".", "_" or "-"'],
      [{ content: 'hi', clientMessageId: 'server:abc' }, 'clientMessageId must be 1 to 64 letters, digits, ".", "_" or "-"'],
    ])('400 for %j and nothing stored', async (body, message) => {
      const session = await createSession(t);
      const res = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send(body).expect(400);
      expect(res.body.message).toBe(message);
      expect(await storedSession(t, session.sessionId)).toMatchObject({ messageCount: 1, lastSeq: 1 });
    });

    it('accepts exactly MESSAGE_MAX_LENGTH characters', async () => {
      const session = await createSession(t);
      await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'x'.repeat(5000) }).expect(201);
    });

    it('is idempotent per clientMessageId: a retry returns the stored message with 200', async () => {
      const session = await createSession(t);
      const first = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'once', clientMessageId: 'c-1' }).expect(201);
      expect(first.body.data.clientMessageId).toBe('c-1');
      const retry = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'once', clientMessageId: 'c-1' }).expect(200);
      expect(retry.body).toEqual(first.body);
      expect(await storedSession(t, session.sessionId)).toMatchObject({
        messageCount: 2,
        unreadCount: 1,
        lastSeq: 2,
        lastMessage: { content: 'once', type: 'user', timestamp: new Date(first.body.data.createdAt) },
      });
      expect(events.filter((e) => e.name === 'message.created' && e.payload.sessionId === session.sessionId)).toHaveLength(2);

      // The same key in another session is another message.
      const other = await createSession(t);
      await t.http.post(messagesUrl(other)).set(guestHeaders(other)).send({ content: 'once', clientMessageId: 'c-1' }).expect(201);
    });

    it('a retry still gets its message after the session closed', async () => {
      const session = await createSession(t);
      const first = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'before end', clientMessageId: 'k-1' }).expect(201);
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
      const retry = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'before end', clientMessageId: 'k-1' }).expect(200);
      expect(retry.body.data).toEqual(first.body.data);
    });

    it('a seq taken behind the lock costs one 409, then the next attempt is stored after it', async () => {
      const session = await createSession(t);
      await t.connection.collection('livechatmessages').insertOne({ sessionId: session.sessionId, seq: 2, type: 'user', content: 'stray', clientMessageId: 'stray' });
      const refused = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'hi' }).expect(409);
      expect(refused.body.message).toBe('Message could not be stored, please retry');
      expect(await storedSession(t, session.sessionId)).toMatchObject({ messageCount: 1, unreadCount: 0, lastSeq: 2 });
      const stored = await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'hi' }).expect(201);
      expect(stored.body.data.seq).toBe(3);
      expect(await storedSession(t, session.sessionId)).toMatchObject({ messageCount: 2, unreadCount: 1, lastSeq: 3, lastMessage: { content: 'hi' } });
    });

    it('parallel retries with one clientMessageId store one message', async () => {
      const session = await createSession(t);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'dup', clientMessageId: 'same-key' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.data._id)).size).toBe(1);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: session.sessionId })).toBe(2);
    });

    it('50 parallel sends give 50 messages, messageCount 51 and 51 distinct seq', async () => {
      const session = await createSession(t);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: `message ${i}` })),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const stored = await storedSession(t, session.sessionId);
      expect(stored).toMatchObject({ messageCount: 51, unreadCount: 50, lastSeq: 51 });
      const seqs = (await t.connection.collection('livechatmessages').find({ sessionId: session.sessionId }).toArray()).map((m) => m.seq);
      expect(seqs).toHaveLength(51);
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    });

    it('401 without the guest token, 409 once closed', async () => {
      const session = await createSession(t);
      expect((await t.http.post(messagesUrl(session)).send({ content: 'hi' }).expect(401)).body.message).toBe('No token, authorization denied');
      await t.http.patch(`/api/live-chat/sessions/${session.sessionId}/end`).set(guestHeaders(session)).expect(200);
      const closed = await storedSession(t, session.sessionId);
      await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'hi', clientMessageId: 'late' }).expect(409);
      expect(await t.connection.collection('livechatmessages').countDocuments({ sessionId: session.sessionId })).toBe(1);
      // The refused message left no trace on the session: counters, preview and updatedAt as they were.
      expect(await storedSession(t, session.sessionId)).toEqual(closed);
    });

    it('409 for archived sessions too', async () => {
      const session = await createSession(t);
      await t.connection.collection('livechatsessions').updateOne({ sessionId: session.sessionId }, { $set: { status: 'archived' } });
      await t.http.post(messagesUrl(session)).set(guestHeaders(session)).send({ content: 'hi' }).expect(409);
    });
  });

  describe('GET …/messages', () => {
    let session: TestSession;
    beforeAll(async () => {
      session = await createSession(t);
      for (let i = 1; i <= 6; i++) await sendGuestMessage(t, session, `m${i}`);
    });

    it('lists oldest first with the spec’s pagination fields', async () => {
      const res = await t.http.get(messagesUrl(session)).set(guestHeaders(session)).expect(200);
      expect(res.body).toMatchObject({ success: true, count: 7, total: 7, page: 1, pages: 1 });
      expect(res.body.data.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(res.body.data[0]).toMatchObject({ type: 'system', agentName: 'System' });

      const page2 = await t.http.get(messagesUrl(session)).query({ page: 2, limit: 3 }).set(guestHeaders(session)).expect(200);
      expect(page2.body).toMatchObject({ count: 3, total: 7, page: 2, pages: 3 });
      expect(page2.body.data.map((m: { content: string }) => m.content)).toEqual(['m3', 'm4', 'm5']);

      const beyond = await t.http.get(messagesUrl(session)).query({ page: 9, limit: 3 }).set(guestHeaders(session)).expect(200);
      expect(beyond.body).toMatchObject({ count: 0, total: 7, page: 9, pages: 3, data: [] });
    });

    it('after=<seq> returns only newer messages', async () => {
      const res = await t.http.get(messagesUrl(session)).query({ after: 5 }).set(guestHeaders(session)).expect(200);
      expect(res.body).toMatchObject({ count: 2, total: 2, page: 1, pages: 1 });
      expect(res.body.data.map((m: { seq: number }) => m.seq)).toEqual([6, 7]);
      const none = await t.http.get(messagesUrl(session)).query({ after: 7 }).set(guestHeaders(session)).expect(200);
      expect(none.body).toMatchObject({ count: 0, total: 0, data: [] });
    });

    it.each([
      [{ page: 0 }, 'page must be a positive integer'],
      [{ page: 'abc' }, 'page must be a positive integer'],
      [{ page: 1.5 }, 'page must be a positive integer'],
      [{ page: 1e20 }, 'page cannot exceed 1000000'],
      [{ limit: 0 }, 'limit must be an integer from 1 to 100'],
      [{ limit: 101 }, 'limit must be an integer from 1 to 100'],
      [{ after: -1 }, 'after must be a non-negative integer'],
      [{ after: 'x' }, 'after must be a non-negative integer'],
    ])('400 for %j', async (query, message) => {
      const res = await t.http.get(messagesUrl(session)).query(query).set(guestHeaders(session)).expect(400);
      expect(res.body.message).toBe(message);
    });

    it('401 without the guest token or with another session’s', async () => {
      const other = await createSession(t);
      await t.http.get(messagesUrl(session)).expect(401);
      await t.http.get(messagesUrl(session)).set(guestHeaders(other)).expect(401);
    });
  });

  describe('MessagesService for the realtime gateway', () => {
    it('listAfter returns newer messages, oldest first, at most limit', async () => {
      const session = await createSession(t);
      for (let i = 1; i <= 4; i++) await sendGuestMessage(t, session, `m${i}`);
      const messages = t.app.get(MessagesService);
      expect((await messages.listAfter(session.sessionId, 2, 10)).map((m) => m.seq)).toEqual([3, 4, 5]);
      expect((await messages.listAfter(session.sessionId, 0, 2)).map((m) => m.seq)).toEqual([1, 2]);
    });

    it('markRead: an agent reading a guest message lowers unreadCount once and publishes message.read', async () => {
      const session = await createSession(t);
      const message = await sendGuestMessage(t, session, 'read me');
      await sendGuestMessage(t, session, 'and me');
      const messages = t.app.get(MessagesService);
      const agentId = new Types.ObjectId().toString();

      const read = await messages.markRead(session.sessionId, message._id, agentId);
      expect(read).toMatchObject({ _id: message._id, isRead: true, readAt: expect.any(Date) });
      await messages.markRead(session.sessionId, message._id, agentId);
      expect(await storedSession(t, session.sessionId)).toMatchObject({ unreadCount: 1 });
      expect(events.filter((e) => e.name === 'message.read' && e.payload.sessionId === session.sessionId).map((e) => e.payload)).toEqual([
        { sessionId: session.sessionId, messageId: message._id, readBy: agentId },
      ]);
    });

    it('markRead: the guest reads agent/system messages, never its own', async () => {
      const session = await createSession(t);
      const own = await sendGuestMessage(t, session, 'mine');
      const messages = t.app.get(MessagesService);
      expect(await messages.markRead(session.sessionId, own._id, 'guest')).toMatchObject({ isRead: false });
      const welcome = session.data.welcomeMessage;
      expect(await messages.markRead(session.sessionId, welcome._id, 'guest')).toMatchObject({ isRead: true });
      expect(await storedSession(t, session.sessionId)).toMatchObject({ unreadCount: 1 });
    });

    it('markRead: 404 for unknown, malformed or other sessions’ messages', async () => {
      const [a, b] = [await createSession(t), await createSession(t)];
      const messages = t.app.get(MessagesService);
      const agentId = new Types.ObjectId().toString();
      await expect(messages.markRead(a.sessionId, new Types.ObjectId().toString(), agentId)).rejects.toMatchObject({ message: 'Message not found' });
      await expect(messages.markRead(a.sessionId, 'not-an-id', agentId)).rejects.toMatchObject({ message: 'Message not found' });
      await expect(messages.markRead(a.sessionId, b.data.welcomeMessage._id, agentId)).rejects.toMatchObject({ message: 'Message not found' });
    });
  });
});
