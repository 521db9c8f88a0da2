import { createTestApp, TestApp } from '../utils/create-test-app';
import { useRedisServer } from '../utils/redis-server';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('answers 200 when the database answers', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/health']).toBeDefined();
  });

  it('answers 503 with the envelope when the database is gone', async () => {
    await t.connection.close();
    const res = await t.http.get('/health').expect(503);
    expect(res.body).toEqual({ success: false, message: 'Service unavailable' });
  });
});

describe('GET /health with REDIS_URL', () => {
  const redis = useRedisServer();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REDIS_URL: redis.server().url } });
  });
  // Runs after useRedisServer's own afterAll (hooks run in declaration order): Redis is back up for
  // the app's clean shutdown, then stopped again so no redis-server outlives the suite.
  afterAll(async () => {
    await redis.server().start();
    await t.destroy();
    await redis.server().stop();
  });

  it('reports Redis, and answers 503 while Redis is unreachable', async () => {
    const up = await t.http.get('/health').expect(200);
    expect(up.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    await redis.server().stop();
    const down = await t.http.get('/health').expect(503);
    expect(down.body).toEqual({ success: false, message: 'Service unavailable' });
  });
});
