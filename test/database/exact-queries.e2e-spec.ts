import { Query } from 'mingo';
import { Collection, Db, Long, MongoClient, ObjectId } from 'mongodb';
import { LiveChatSessionSchema } from '../../src/chat/sessions/schemas/live-chat-session.schema';
import { seededRandom } from '../utils/random';

type Doc = { _id: number } & Record<string, unknown>;

/**
 * The embedded database answers sorted, skipped and limited finds and counts like MongoDB, whichever
 * part its SQL decides (patch 0004, docs/database.md): random filters, sorts, skips and limits in
 * the grammar the admin list uses (equality, `$in`, null, prefixes, date ranges, `$or`) and
 * outside it, on documents with mixed types, missing fields and arrays, compared result by result
 * and in order with mingo, a reference evaluator of MongoDB's query language. The list's queries
 * read their page through the typed indexes (explain).
 */
describe('Sorted pages and counts on the database', () => {
  let client: MongoClient;
  let db: Db;
  const seed = Number(process.env.EXACT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const rnd = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const agents = [new ObjectId(), new ObjectId()];
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000);
  const statuses = ['pending', 'active', 'closed', 'archived'];
  const names = ['ava smith', 'ava jones', 'ben', 'chloe', 'chloé', 'b+c', 'a.b', ''];

  /** Mostly what the service stores; with `messy`, also the types and shapes it never stores. */
  function generate(count: number, messy: boolean): Doc[] {
    const odd = () => messy && rnd() < 0.15;
    return Array.from({ length: count }, (_, i) => {
      const doc: Doc = { _id: i };
      if (!odd()) doc.status = pick(statuses);
      else doc.status = pick([['active'], 1, null, agents[0].toHexString(), { s: 'active' }]);
      // No arrays in the sort field: how MongoDB and mingo order arrays against other values is not what is tested here.
      doc.updatedAt = odd() ? pick([day(3).getTime(), null, 'x']) : day(Math.floor(rnd() * 40));
      if (!messy || rnd() < 0.9) doc.assignedAgent = odd() ? pick([agents[0].toHexString(), [agents[1]]]) : pick([...agents, null]);
      doc.nameKey = odd() ? pick([['ava smith'], 7, null]) : pick(names);
      doc.flag = odd() ? pick(['true', 1, [true]]) : rnd() < 0.5;
      return doc;
    });
  }

  function filterOf(messy: boolean): Record<string, unknown> {
    const filter: Record<string, unknown> = {};
    if (rnd() < 0.5) filter.status = rnd() < 0.7 ? pick(statuses) : { $in: [pick(statuses), pick(statuses)] };
    if (rnd() < 0.3) filter.assignedAgent = pick([...agents, null]);
    if (rnd() < 0.2) filter.flag = rnd() < 0.5;
    const prefix = () => ({ $regex: `^${pick(['ava', 'ava s', 'b', 'b\\+', 'chlo', 'a\\.b', 'z'])}` });
    if (rnd() < 0.25) filter.nameKey = prefix();
    if (rnd() < 0.2) filter.$or = [{ nameKey: prefix() }, { status: pick(statuses) }];
    const range = rnd();
    if (range < 0.6) filter.updatedAt = { $gte: new Date(-8_640_000_000_000_000), $lte: new Date(8_640_000_000_000_000) };
    else if (range < 0.85) filter.updatedAt = { [pick(['$gte', '$gt'])]: day(Math.floor(rnd() * 20)), [pick(['$lte', '$lt'])]: day(20 + Math.floor(rnd() * 20)) };
    if (messy && rnd() < 0.2) filter.nameKey = pick([{ $regex: 'ava', $options: 'i' }, { $gt: 'b' }, 7]);
    return filter;
  }

  async function load(name: string, docs: Doc[]): Promise<Collection<Doc>> {
    const collection = db.collection<Doc>(name);
    for (const [key, options] of LiveChatSessionSchema.indexes()) {
      if (!('sessionId' in key) && !('emailKey' in key)) await collection.createIndex(key as Record<string, 1 | -1>, options as object);
    }
    await collection.createIndex({ flag: 1, updatedAt: -1 });
    await collection.insertMany(docs);
    return collection;
  }

  beforeAll(async () => {
    client = await MongoClient.connect(process.env.TEST_MONGODB_BASE_URI as string);
    db = client.db(`exact_${Date.now()}`);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it.each([
    ['documents as the service stores them', false],
    ['documents with mixed types, nulls and arrays', true],
  ])('answers random pages and counts like mingo: %s', async (_, messy) => {
    const docs = generate(400, messy as boolean);
    const collection = await load(messy ? 'messy' : 'clean', docs);
    for (let n = 0; n < 120; n++) {
      const filter = filterOf(messy as boolean);
      const direction = pick([1, -1] as const);
      const sort = { updatedAt: direction, _id: pick([direction, -direction as 1 | -1]) };
      const skip = pick([0, 0, 3, 17, 60]);
      const limit = pick([1, 5, 20]);
      const expected = new Query(filter)
        .find<Doc>(docs)
        .sort(sort)
        .skip(skip)
        .limit(limit)
        .all()
        .map((doc) => doc._id);
      const found = (await collection.find(filter).sort(sort).skip(skip).limit(limit).toArray()).map((doc) => doc._id);
      expect({ seed, filter, sort, skip, limit, found }).toEqual({ seed, filter, sort, skip, limit, found: expected });
      const count = new Query(filter).find<Doc>(docs).all().length;
      expect({ seed, filter, count: await collection.countDocuments(filter) }).toEqual({ seed, filter, count });
    }
  });

  it('reads every admin list page through a typed index, without a scan', async () => {
    const collection = await load('plans', generate(50, false));
    const anyDate = { $gte: new Date(-8_640_000_000_000_000), $lte: new Date(8_640_000_000_000_000) };
    const explain = async (filter: Record<string, unknown>, skip = 0) => {
      const plan = await db.command({ explain: { find: collection.collectionName, filter: { ...filter, updatedAt: anyDate }, sort: { updatedAt: -1, _id: -1 }, skip: Long.fromNumber(skip), limit: Long.fromNumber(20) } });
      return { exact: plan.exactPushdown, plan: (plan.queryPlanner.Plan as string[]).join('\n') };
    };
    for (const [filter, index] of [
      [{}, 'updatedAt_-1__id_-1'],
      [{ status: 'active' }, 'status_1_updatedAt_-1__id_-1'],
      [{ department: 'sales' }, 'department_1_updatedAt_-1__id_-1'],
      [{ priority: 'high' }, 'priority_1_updatedAt_-1__id_-1'],
      [{ assignedAgent: agents[0] }, 'assignedAgent_1_updatedAt_-1__id_-1'],
      [{ assignedAgent: null }, 'assignedAgent_1_updatedAt_-1__id_-1'],
    ] as const) {
      for (const skip of [0, 1980]) {
        const { exact, plan } = await explain(filter, skip);
        expect({ filter, exact, plan }).toEqual({ filter, exact: true, plan: expect.stringMatching(new RegExp(`SEARCH \\S+ USING INDEX \\S+_${index}_typed \\(`)) });
        expect(plan).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
      }
    }
    const combined = await explain({ status: 'closed', department: 'sales', priority: 'high', assignedAgent: agents[1] });
    expect(combined.exact).toBe(true);
    expect(combined.plan).toMatch(/SEARCH \S+ USING INDEX \S+_typed \(/);
    expect(combined.plan).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
  });
});
