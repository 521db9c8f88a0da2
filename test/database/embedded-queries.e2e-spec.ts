import { Collection, Db, MongoClient, ObjectId } from 'mongodb';
import { seededRandom } from '../utils/random';

/**
 * Equality and `$in` filters (strings, ObjectIds, booleans) answer as MongoDB does, whichever part the embedded database's SQL does
 * (FerretDB patched with `prepareWhereClause`, docs/database.md): arrays that contain the value,
 * documents and arrays on a dotted path, strings it does not put into SQL, ObjectIds, `_id` beside
 * other fields; and on random documents. On the embedded database a session's messages are found
 * through the index, not by reading every message.
 */
describe('Equality queries on the database', () => {
  let client: MongoClient;
  let db: Db;
  let docs: Collection<{ _id: string } & Record<string, unknown>>;
  const oid = new ObjectId();

  beforeAll(async () => {
    client = await MongoClient.connect(process.env.TEST_MONGODB_BASE_URI as string);
    db = client.db(`equality_${Date.now()}`);
    docs = db.collection('docs');
    await docs.createIndex({ sessionId: 1, seq: 1 }, { unique: true });
    await docs.insertMany([
      { _id: 'a', sessionId: 's1', seq: 1, status: 'active', flag: true },
      { _id: 'b', sessionId: 's1', seq: 2, status: 'closed', flag: false },
      { _id: 'c', sessionId: 's2', seq: 1, status: 'active', flag: 'true' },
      { _id: 'd', sessionId: ['s1', 's9'], seq: 3, status: ['active'], flag: [false, 1] },
      { _id: 'e', sessionId: 'a<b&"c"', seq: 4 },
      { _id: 'f', sessionId: oid, seq: 5, owner: oid },
      { _id: 'g', sessionId: { s1: 1 }, seq: 6 },
      { _id: 'h', sessionId: 'S1', seq: 7 },
      { _id: 'i', sessionId: 'é', seq: 8 },
      { _id: 'j', sessionId: null, seq: 9 },
      { _id: 'k', seq: 10, owner: [oid] },
      { _id: 'n1', sessionId: 'n', seq: 11, user: { email: 'x@y.z' } },
      { _id: 'n2', sessionId: 'n', seq: 12, user: [{ email: 'x@y.z' }] },
      { _id: 'n3', sessionId: 'n', seq: 13, user: { email: ['x@y.z', 'other'] } },
      { _id: 'n4', sessionId: 'n', seq: 14, user: { email: 'other' } },
      { _id: 'n5', sessionId: 'n', seq: 15, user: 'x@y.z' },
    ]);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const ids = async (filter: Record<string, unknown>) => {
    const found = (await docs.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    expect(await docs.countDocuments(filter)).toBe(found.length);
    return found;
  };

  it.each([
    [{ sessionId: 's1' }, ['a', 'b', 'd']],
    [{ sessionId: 's1', status: 'active' }, ['a', 'd']],
    [{ sessionId: 's1', seq: { $gt: 1 } }, ['b', 'd']],
    [{ _id: 'a', status: 'active' }, ['a']],
    [{ _id: 'b', status: 'active' }, []],
    [{ sessionId: 'a<b&"c"' }, ['e']],
    [{ sessionId: 'é' }, ['i']],
    [{ sessionId: oid.toHexString() }, []],
    [{ sessionId: oid }, ['f']],
    [{ owner: oid }, ['f', 'k']],
    [{ sessionId: null }, ['j', 'k']],
    [{ $or: [{ sessionId: 's2' }, { _id: 'b' }] }, ['b', 'c']],
    [{ sessionId: { $in: ['s2', 's9'] } }, ['c', 'd']],
    [{ sessionId: { $in: ['s2', /^S/] } }, ['c', 'h']],
    [{ _id: { $in: ['a', 'c', 'zz'] } }, ['a', 'c']],
    [{ owner: { $in: [oid] } }, ['f', 'k']],
    [{ flag: true }, ['a']],
    [{ flag: { $in: [false] } }, ['b', 'd']],
    [{ 'user.email': 'x@y.z' }, ['n1', 'n2', 'n3']],
    [{ 'user.email': 'x@y.z', sessionId: 'n', _id: 'n2' }, ['n2']],
  ])('%j finds %j', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it('agrees with MongoDB’s equality rule on random documents and filters', async () => {
    const seed = Number(process.env.EQUALITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rnd = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
    const objectIds = [new ObjectId(), new ObjectId()];
    const scalars: unknown[] = ['a', 'b', 'A', 'a<b', 'é', '', objectIds[0], objectIds[1], objectIds[0].toHexString(), 1, true, false, null];
    const value = (depth: number): unknown => {
      const roll = rnd();
      if (roll < 0.55 || depth > 1) return pick(scalars);
      if (roll < 0.75) return Array.from({ length: Math.floor(rnd() * 3) }, () => pick(scalars));
      if (roll < 0.9) return { x: value(depth + 1) };
      return Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({ x: value(depth + 1) }));
    };
    const random = db.collection<{ _id: number } & Record<string, unknown>>('random');
    await random.createIndex({ f: 1 });
    const stored = Array.from({ length: 300 }, (_, i) => ({ _id: i, ...(rnd() < 0.9 ? { f: value(0) } : {}), ...(rnd() < 0.9 ? { g: value(0) } : {}) }));
    await random.insertMany(stored);

    // MongoDB: a path's values, looking into arrays (of documents) on the way; a value matches when
    // one of them equals it or is an array containing it.
    const same = (a: unknown, b: unknown) => (a instanceof ObjectId && b instanceof ObjectId ? a.equals(b) : a === b);
    const valuesAt = (doc: Record<string, unknown>, path: string[]): unknown[] =>
      path.reduce<unknown[]>((current, key) => current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof ObjectId) && key in v).map((v) => v[key]), [doc]);
    const matches = (doc: Record<string, unknown>, path: string, wanted: unknown[]) =>
      valuesAt(doc, path.split('.')).some((v) => wanted.some((w) => same(v, w) || (Array.isArray(v) && v.some((e) => same(e, w)))));
    const wantedValues = ['a', 'A', 'a<b', 'é', '', objectIds[0], objectIds[0].toHexString(), true, false];

    for (let n = 0; n < 150; n++) {
      const path = pick(['f', 'g', 'f.x', 'g.x']);
      const wanted = rnd() < 0.6 ? [pick(wantedValues)] : [pick(wantedValues), pick(wantedValues)];
      const filter = wanted.length === 1 ? { [path]: wanted[0] } : { [path]: { $in: wanted } };
      const expected = stored.filter((doc) => matches(doc, path, wanted)).map((doc) => doc._id);
      const found = (await random.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
      expect({ seed, filter, found }).toEqual({ seed, filter, found: expected });
    }
  });

  it('updates and deletes exactly the matching documents', async () => {
    const scratch = db.collection<{ _id: string } & Record<string, unknown>>('scratch');
    await scratch.insertMany([
      { _id: 'x', tag: 't1' },
      { _id: 'y', tag: ['t0', 't1'] },
      { _id: 'z', tag: 't2' },
    ]);
    expect((await scratch.updateMany({ tag: 't1' }, { $set: { seen: true } })).modifiedCount).toBe(2);
    expect((await scratch.deleteMany({ tag: 't1' })).deletedCount).toBe(2);
    expect(await scratch.find().toArray()).toEqual([{ _id: 'z', tag: 't2' }]);
  });

  (process.env.TEST_MONGODB_URI ? it.skip : it)('finds a session’s messages through the index on the embedded database', async () => {
    const explain = (filter: Record<string, unknown>) => db.command({ explain: { find: 'docs', filter } });
    const planOf = async (filter: Record<string, unknown>) => ((await explain(filter)).queryPlanner.Plan as string[]).join('\n');
    const indexSearch = /SEARCH \S+ USING INDEX \S+sessionId_1_seq_1 \(<expr>=\?\)/;
    const plan = await planOf({ sessionId: 's1' });
    expect(plan).toMatch(indexSearch);
    expect(plan).not.toMatch(/\bSCAN\b/);
    expect(await planOf({ sessionId: { $in: ['s1', 's2'] } })).toMatch(indexSearch);
    expect((await explain({ 'user.email': 'x@y.z' })).filterPushdown).toBe(true);
  });
});
