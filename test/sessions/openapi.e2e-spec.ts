import { createTestApp, TestApp } from '../utils/create-test-app';

type Schema = { $ref?: string; type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema };

/** The success answers of the guest, session, agent and auth endpoints are documented (schemathesis checks answers against them). */
describe('OpenAPI success schemas', () => {
  let t: TestApp;
  let document: {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
    components: { schemas: Record<string, Schema> };
  };
  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t.destroy());

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  const successOf = (path: string, method: string): [string, Schema | undefined][] =>
    Object.entries(document.paths[path][method].responses)
      .filter(([status]) => /^2/.test(status))
      .map(([status, response]) => [status, resolve(response.content?.['application/json']?.schema)]);

  it('documents the envelope of every 2xx answer', () => {
    const operations = Object.entries(document.paths)
      .filter(([path]) => /^\/api\/(live-chat\/(sessions|upload)|admin\/live-chat\/(sessions|customers|agents)|auth)/.test(path))
      .flatMap(([path, item]) => Object.keys(item).map((method) => [path, method] as const));
    expect(operations.length).toBeGreaterThanOrEqual(25);
    const missing = operations.flatMap(([path, method]) =>
      successOf(path, method)
        .filter(([, schema]) => !schema?.properties?.success || !schema.required?.includes('success'))
        .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
    );
    expect(missing).toEqual([]);
  });

  it('names the spec’s shapes: created session, paged messages, admin list', () => {
    const [[status, created]] = successOf('/api/live-chat/sessions', 'post');
    expect(status).toBe('201');
    expect(created?.required).toEqual(['success', 'message', 'data']);
    expect(created?.properties?.data.$ref).toBe('#/components/schemas/CreatedSessionResponse');

    const [[, messages]] = successOf('/api/live-chat/sessions/{sessionId}/messages', 'get');
    expect(messages?.required).toEqual(['success', 'count', 'total', 'page', 'pages', 'data']);
    expect(messages?.properties?.data.items?.$ref).toBe('#/components/schemas/MessageView');

    const [[, list]] = successOf('/api/admin/live-chat/sessions', 'get');
    expect(list?.required).toContain('statusCounts');
    expect(Object.keys(list?.properties?.statusCounts.properties ?? {})).toEqual(['pending', 'active', 'closed', 'archived']);
    expect(successOf('/api/live-chat/sessions/{sessionId}/messages', 'post').map(([s]) => s).sort()).toEqual(['200', '201']);
  });
});
