/**
 * The durable writes and reads the raw baselines share: the official MongoDB driver, the service's
 * collection names, document shapes and indexes, nothing else. One per-session promise chain
 * serializes read-modify-writes of a session, as the service must on FerretDB (see
 * docs/database.md): the comparison then measures framework overhead, not different guarantees.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Collection, Db, MongoClient, ObjectId } from 'mongodb';

export interface SessionDoc {
  /** The sessionId, as the service stores it: FerretDB answers `_id` lookups fastest. */
  _id: string;
  sessionId: string;
  guestTokenHash: string;
  status: string;
  lastSeq: number;
  messageCount: number;
  unreadCount: number;
}

export interface MessageDoc {
  _id?: ObjectId;
  sessionId: string;
  seq: number;
  type: 'user' | 'agent' | 'system';
  content: string;
  [key: string]: unknown;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class RawStore {
  private readonly chains = new Map<string, Promise<unknown>>();
  readonly sessions: Collection<SessionDoc>;
  readonly messages: Collection<MessageDoc>;

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {
    this.sessions = db.collection<SessionDoc>('livechatsessions');
    this.messages = db.collection<MessageDoc>('livechatmessages');
  }

  /** `maxPoolSize`: the driver's default (100) unless `RAW_MAX_POOL_SIZE` is set. */
  static async connect(uri: string): Promise<RawStore> {
    const maxPoolSize = Number(process.env.RAW_MAX_POOL_SIZE) || undefined;
    const client = await MongoClient.connect(uri, maxPoolSize ? { maxPoolSize } : {});
    const store = new RawStore(client, client.db());
    // The service's indexes (src/*/schemas), so both pay the same index maintenance per write.
    await store.sessions.createIndex({ sessionId: 1 }, { unique: true });
    await store.sessions.createIndex({ updatedAt: -1 });
    await store.sessions.createIndex({ status: 1, updatedAt: -1 });
    await store.sessions.createIndex({ assignedAgent: 1, updatedAt: -1 });
    await store.sessions.createIndex({ 'user.emailNormalized': 1, createdAt: -1 });
    await store.sessions.createIndex({ startedAt: 1 });
    await store.messages.createIndex({ sessionId: 1, seq: 1 }, { unique: true });
    await store.messages.createIndex({ sessionId: 1, clientMessageId: 1 }, { unique: true });
    return store;
  }

  /** Runs `section` after every earlier section of the same key has finished. */
  serialize<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const result = previous.then(section, section);
    const tail = result.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return result;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async createSession(sessionId: string, user: { name: string; email: string }, meta: Record<string, string | undefined>, welcome: string) {
    const now = new Date();
    const guestToken = randomBytes(24).toString('base64url');
    const session: SessionDoc & Record<string, unknown> = {
      _id: sessionId,
      sessionId,
      guestTokenHash: hashToken(guestToken),
      user: { name: user.name, email: user.email, emailNormalized: user.email.toLowerCase(), metadata: meta },
      status: 'pending',
      priority: 'medium',
      department: 'general',
      assignedAgent: null,
      tags: [],
      lastMessage: { content: welcome, type: 'system', timestamp: now },
      messageCount: 1,
      unreadCount: 0,
      lastSeq: 1,
      startedAt: now,
      notes: [],
      transfers: [],
      audit: [{ action: 'created', actor: 'guest', at: now }],
      dayKey: now.toISOString().slice(0, 10),
      rated: 0,
      ratingScore: 0,
      closed: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.sessions.insertOne(session);
    const welcomeMessage = this.newMessage(sessionId, 1, 'system', welcome, now, { agentName: 'System' });
    await this.messages.insertOne(welcomeMessage);
    return { session, welcomeMessage, guestToken };
  }

  findSession(sessionId: string) {
    return this.sessions.findOne({ _id: sessionId }, { projection: { sessionId: 1, guestTokenHash: 1, status: 1 } });
  }

  /** One message: the session's seq and counters in one round trip, then the message itself. */
  appendMessage(sessionId: string, type: 'user' | 'agent', content: string, extra: Record<string, unknown> = {}) {
    return this.serialize(sessionId, async () => {
      const now = new Date();
      const inc = type === 'user' ? { lastSeq: 1, messageCount: 1, unreadCount: 1 } : { lastSeq: 1, messageCount: 1 };
      const updated = await this.sessions.findOneAndUpdate(
        { _id: sessionId },
        { $inc: inc, $set: { lastMessage: { content, type, timestamp: now }, updatedAt: now } },
        { returnDocument: 'after' },
      );
      if (!updated) return null;
      const message = this.newMessage(sessionId, updated.lastSeq, type, content, now, extra);
      await this.messages.insertOne(message);
      return message;
    });
  }

  async listMessages(sessionId: string, page: number, limit: number) {
    const [data, total] = await Promise.all([
      this.messages.find({ sessionId }).sort({ seq: 1 }).skip((page - 1) * limit).limit(limit).toArray(),
      this.messages.countDocuments({ sessionId }),
    ]);
    return { data, total };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private newMessage(sessionId: string, seq: number, type: MessageDoc['type'], content: string, now: Date, extra: Record<string, unknown>): MessageDoc {
    return {
      _id: new ObjectId(),
      sessionId,
      seq,
      type,
      content,
      ...extra,
      attachments: [],
      metadata: { isEdited: false, isDeleted: false },
      isRead: false,
      clientMessageId: randomBytes(12).toString('hex'),
      createdAt: now,
      updatedAt: now,
    };
  }
}
