import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENT_CSP } from '../../src/web/web-headers';
import { WEB_DIST_DIR } from '../../src/web/web.module';
import { createTestApp, TestApp } from '../utils/create-test-app';

const SHOP = 'https://shop.example';

describe('web apps served by the service (src/web)', () => {
  let t: TestApp;
  const chunk = () => `/widget/${readdirSync(join(WEB_DIST_DIR, 'widget')).find((name) => name.startsWith('chat-'))}`;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: SHOP } });
  });
  afterAll(() => t.destroy());

  it('GET /widget.js: the launcher, cached for minutes, loadable by other sites', async () => {
    const res = await t.http.get('/widget.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toContain(chunk().slice('/widget/'.length));
  });

  it('GET /widget/<hashed chunk>: immutable, CORS for the sites in CORS_ORIGINS only', async () => {
    const allowed = await t.http.get(chunk()).set('Origin', SHOP).expect(200);
    expect(allowed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(allowed.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP);
    const other = await t.http.get(chunk()).set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('GET /console/ and /demo/: documents with a strict CSP, revalidated on every load', async () => {
    for (const path of ['/console/', '/demo/']) {
      const res = await t.http.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toBe(DOCUMENT_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
    expect(DOCUMENT_CSP).toContain("script-src 'self'");
    expect(DOCUMENT_CSP).not.toContain('unsafe-inline');
    const demo = await t.http.get('/demo/').expect(200);
    expect(demo.text).toContain('<script src="/widget.js" async></script>');
  });

  it('GET /demo and /console redirect to their folder', async () => {
    await t.http.get('/demo').expect(301).expect('Location', '/demo/');
    await t.http.get('/console').expect(301).expect('Location', '/console/');
  });

  it('answers missing files and paths outside web/dist with the 404 envelope', async () => {
    for (const path of ['/widget/chat-missing.js', '/widget/..%2f..%2fpackage.json', '/console/%2e%2e/%2e%2e/package.json', '/demo/.env']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false });
    }
  });

  it('keeps the API headers on the API', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
