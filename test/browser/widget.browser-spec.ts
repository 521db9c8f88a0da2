import { BrowserTest, screenshot, startBrowserTest } from './support/browser';

describe('website widget (browser)', () => {
  let t: BrowserTest;

  beforeAll(async () => {
    t = await startBrowserTest();
  });
  afterAll(() => t?.close());

  it('embeds on another origin: a launcher first, the chat UI on the first click', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/widget/')) chunks.push(request.url());
    });
    await page.goto(t.host.url);
    await page.getByTestId('lc-launcher').waitFor();
    expect(chunks).toEqual([]);
    await page.getByTestId('lc-launcher').click();
    await page.getByTestId('lc-panel').waitFor();
    expect(chunks.length).toBeGreaterThan(0);
    await screenshot(page, 'widget-skeleton');
    await context.close();
  });
});
