import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { WEB_DIST_DIR } from '../../../src/web/web.module';
import { createTestApp, TestApp, TestAppOptions } from '../../utils/create-test-app';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS_DIR = join(__dirname, '..', '..', '..', 'test-results');

/**
 * A headless chromium. Playwright gives every launch a fresh temporary profile (user-data-dir),
 * and every `browser.newContext()` its own storage: one context is one visitor or agent.
 */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (!existsSync(join(WEB_DIST_DIR, 'widget.js'))) throw new Error('web/dist is missing: run npm run build:web first');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface HostPage {
  /** http://127.0.0.1:<port>/ — another origin than the app. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

export interface HostPageOptions {
  /** `window.LiveChatSettings`. */
  settings?: Record<string, unknown>;
  /** Extra script run before the widget loads (e.g. `LiveChat('identify', …)`). */
  script?: string;
}

/**
 * Someone else's website on its own origin that embeds the widget the way the README tells them
 * to, with a stylesheet that would wreck an unprotected widget. `appUrl` is read per request: the
 * app starts after it, with this origin in CORS_ORIGINS.
 */
export async function startHostPage(appUrl: () => string, options: HostPageOptions = {}): Promise<HostPage> {
  const html = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title>
<style>* { font-family: "Comic Sans MS", cursive !important; } button { background: hotpink; font-size: 30px; } div { padding: 20px; }</style>
<script>
window.LiveChatSettings = ${JSON.stringify(options.settings ?? {})};
window.LiveChat = window.LiveChat || function () { (LiveChat.q = LiveChat.q || []).push(arguments); };
window.widgetEvents = [];
['ready', 'message', 'unread', 'status'].forEach(function (name) { LiveChat('on', name, function (payload) { window.widgetEvents.push({ name: name, payload: payload }); }); });
${options.script ?? ''}
</script>
<script src="${appUrl()}/widget.js" async></script></head>
<body><h1>Host shop</h1><p>A page on another origin embedding the chat widget.</p><button id="host-button">Host button</button></body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/' && !req.url?.startsWith('/?')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BrowserTest {
  app: TestApp;
  browser: Browser;
  host: HostPage;
  close(): Promise<void>;
}

/** The real app on the embedded database, a host page on another origin and a browser. */
export async function startBrowserTest(options: TestAppOptions & { host?: HostPageOptions } = {}): Promise<BrowserTest> {
  let app: TestApp | undefined;
  const host = await startHostPage(() => app!.url, options.host);
  app = await createTestApp({ ...options, env: { CORS_ORIGINS: host.origin, ...options.env } });
  const browser = await launchBrowser();
  return {
    app,
    browser,
    host,
    close: async () => {
      await browser.close();
      await host.close();
      await app.destroy();
    },
  };
}

/** Saves test-results/<name>.png (README's screenshots are copies of these). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
