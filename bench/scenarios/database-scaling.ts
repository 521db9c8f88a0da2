/**
 * What one lookup costs as a collection grows, on the database itself (MongoDB driver, no service):
 * `findOne({sessionId})` (what every guest request does), `findOne({_id})`, a page of one session's
 * messages and `countDocuments({sessionId})`. On FerretDB 1.24/SQLite no filter uses an index (the
 * plan is a full SCAN; `_id` equality is only evaluated in SQLite instead of in FerretDB), so these
 * grow linearly with the collection; on MongoDB they stay flat. Documents are shaped and sized like
 * the service's (about 1 kB per session).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { median } from '../lib/stats';

export interface DatabaseScalingPoint {
  sessions: number;
  messages: number;
  findOneBySessionIdMs: number;
  findOneByIdMs: number;
  messagesPageMs: number;
  countMessagesMs: number;
}

async function timeIt(runs: number, task: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function runDatabaseScaling(uri: string, steps: number[], messagesPerSession: number, log: (line: string) => void): Promise<DatabaseScalingPoint[]> {
  const client = await MongoClient.connect(uri);
  const sessions = client.db().collection<{ _id: string; sessionId: string }>('livechatsessions');
  const messages = client.db().collection('livechatmessages');
  await sessions.createIndex({ sessionId: 1 }, { unique: true });
  await messages.createIndex({ sessionId: 1, seq: 1 }, { unique: true });
  const points: DatabaseScalingPoint[] = [];
  let count = 0;
  try {
    for (const target of steps) {
      while (count < target) {
        const batch = Math.min(1000, target - count);
        const now = new Date();
        const sessionDocs = Array.from({ length: batch }, (_, i) => ({
          _id: `scale-${count + i}`,
          sessionId: `scale-${count + i}`,
          user: { name: `Guest ${count + i}`, email: `guest${count + i}@example.com`, emailNormalized: `guest${count + i}@example.com`, metadata: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench', ipAddress: '127.0.0.1' } },
          status: 'closed',
          lastMessage: { content: randomBytes(60).toString('base64'), type: 'user', timestamp: now },
          messageCount: messagesPerSession,
          audit: [{ action: 'created', actor: 'guest', at: now }, { action: 'closed', actor: 'system', at: now }],
          startedAt: now,
          createdAt: now,
          updatedAt: now,
        }));
        await sessions.insertMany(sessionDocs);
        const messageDocs = sessionDocs.flatMap((s) =>
          Array.from({ length: messagesPerSession }, (_, seq) => ({ sessionId: s.sessionId, seq: seq + 1, type: 'user', content: randomBytes(45).toString('base64'), clientMessageId: `c${seq}`, createdAt: now })),
        );
        if (messageDocs.length) await messages.insertMany(messageDocs);
        count += batch;
      }
      const last = `scale-${count - 1}`;
      const point: DatabaseScalingPoint = {
        sessions: count,
        messages: count * messagesPerSession,
        findOneBySessionIdMs: await timeIt(3, () => sessions.findOne({ sessionId: last })),
        findOneByIdMs: await timeIt(3, () => sessions.findOne({ _id: last })),
        messagesPageMs: await timeIt(1, () => messages.find({ sessionId: last }).sort({ seq: 1 }).limit(50).toArray()),
        countMessagesMs: await timeIt(1, () => messages.countDocuments({ sessionId: last })),
      };
      log(`  ${JSON.stringify(point, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
      points.push(point);
    }
  } finally {
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  }
  return points;
}
