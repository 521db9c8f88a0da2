import jwt from 'jsonwebtoken';
import { BrowserContext, Page } from 'playwright-core';
import { createAgent, TestAgent } from '../factories/agent.factory';
import { image } from '../factories/file.factory';
import { WsFrame, WsTestClient } from '../utils/ws-client';
import { BrowserTest, screenshot, startBrowserTest } from './support/browser';

/** The visitor's page: the widget's elements by data-testid (Playwright's locators pierce its shadow root). */
const widget = (page: Page) => ({
  el: (id: string) => page.getByTestId(id),
  messages: () => page.getByTestId('lc-message'),
  /** [seq, type, text] of every message shown, in the order shown. */
  shown: () =>
    page.getByTestId('lc-message').evaluateAll((items) =>
      items.map((item) => [Number(item.getAttribute('data-seq')), item.getAttribute('data-type'), item.querySelector('.content')?.textContent ?? '']),
    ),
});

describe('website widget (browser)', () => {
  let t: BrowserTest;
  let agent: TestAgent;
  let agentToken: string;

  beforeAll(async () => {
    t = await startBrowserTest();
    agent = await createAgent(t.app, { firstName: 'Jane', lastName: 'Smith' });
    // The agent side logs in like the console does.
    const login = await t.app.http.post('/api/auth/login').send({ email: agent.agent.email, password: agent.password }).expect(200);
    agentToken = login.body.data.accessToken;
  });
  afterAll(() => t?.close());

  const admin = () => ({ Authorization: `Bearer ${agentToken}` });
  const agentSocket = () => WsTestClient.open(t.app.wsUrl, { query: { admin: true, userId: agent.agent.id, token: agentToken } });
  const reply = (sessionId: string, content: string) => t.app.http.post(`/api/admin/live-chat/sessions/${sessionId}/reply`).set(admin()).send({ content }).expect(201);
  const messagesOnServer = async (sessionId: string): Promise<[number, string, string][]> => {
    const res = await t.app.http.get(`/api/admin/live-chat/sessions/${sessionId}`).set(admin()).query({ limit: 100 }).expect(200);
    return res.body.data.messages.map((m: { seq: number; type: string; content: string }) => [m.seq, m.type, m.content]);
  };

  async function startChat(context: BrowserContext, name = 'Ada Lovelace'): Promise<Page> {
    const page = await context.newPage();
    await page.goto(t.host.url);
    await widget(page).el('lc-launcher').click();
    await widget(page).el('lc-name').fill(name);
    await widget(page).el('lc-email').fill('ada@example.com');
    return page;
  }

  it('embeds on another origin: a launcher first, the chat UI on the first click, untouched by the host page CSS', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/widget/')) chunks.push(request.url());
    });
    await page.goto(t.host.url);
    await widget(page).el('lc-launcher').waitFor();
    expect(chunks).toEqual([]);
    await expect(page.evaluate('window.widgetEvents.map((e) => e.name)')).resolves.toEqual(['ready']);
    await widget(page).el('lc-launcher').click();
    await widget(page).el('lc-prechat-form').waitFor();
    expect(chunks.length).toBeGreaterThan(0);
    // The host's `button { background: hotpink; font-size: 30px }` stops at the shadow root.
    const start = widget(page).el('lc-start');
    expect(await start.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).fontSize)).toBe('14px');
    await expect(widget(page).el('lc-name').evaluate((el: any) => el === el.getRootNode().activeElement)).resolves.toBe(true);
    await screenshot(page, 'widget-prechat');
    await context.close();
  });

  it('chats with an agent: messages both ways once, typing, agent joined, read receipts, attachments, close and rating', async () => {
    const socket = await agentSocket();
    const context = await t.browser.newContext();
    const page = await startChat(context);
    const w = widget(page);
    await w.el('lc-start').click();
    const created = await socket.waitFor((f) => f.type === 'new_session');
    const sessionId: string = created.session.sessionId;
    socket.send({ type: 'subscribe_session', sessionId });
    await socket.waitFor((f) => f.type === 'subscribed');
    await w.messages().first().waitFor();
    expect(await w.shown()).toEqual([[1, 'system', 'Welcome Ada Lovelace! A support agent will be with you shortly.']]);

    // Visitor types and sends.
    await w.el('lc-input').pressSequentially('Hello, my order is late');
    await socket.waitFor((f) => f.type === 'user_typing' && f.sessionId === sessionId && f.isTyping === true);
    await w.el('lc-input').press('Enter');
    const userMessage = await socket.waitFor((f) => f.type === 'user_message' && f.message.content === 'Hello, my order is late');
    await socket.waitFor((f) => f.type === 'user_typing' && f.isTyping === false);

    // The agent takes the chat, types, answers and reads the visitor's message.
    await t.app.http.patch(`/api/admin/live-chat/sessions/${sessionId}/assign`).set(admin()).send({ agentId: agent.agent.id }).expect(200);
    await w.el('lc-notice').filter({ hasText: 'Jane Smith joined the chat' }).waitFor();
    socket.send({ type: 'typing', sessionId, isTyping: true });
    await w.el('lc-typing').filter({ hasText: 'Jane Smith is typing' }).waitFor();
    await reply(sessionId, 'Sorry to hear that! Let me check.');
    await w.messages().filter({ hasText: 'Let me check' }).waitFor();
    await w.el('lc-typing').waitFor({ state: 'detached' });
    // The open panel reads the agent's message.
    await socket.waitFor((f) => f.type === 'read_receipt' && f.readBy === 'guest');
    socket.send({ type: 'read_receipt', sessionId, messageId: userMessage.message._id });
    await w.el('lc-read').waitFor();

    // An attachment, then two refusals: by the widget (an .exe) and by the server (a .png that is not one).
    await w.el('lc-file-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: await image('png', 40, 30) });
    await w.el('lc-file').filter({ hasText: 'receipt.png' }).waitFor();
    await w.el('lc-input').fill('Here is the receipt');
    await w.el('lc-send').click();
    const withFile = await socket.waitFor((f) => f.type === 'user_message' && f.message.attachments?.length === 1);
    expect(withFile.message.attachments[0]).toMatchObject({ name: 'receipt.png', type: 'image/png' });
    await w.el('lc-attachment').filter({ hasText: 'receipt.png' }).waitFor();
    await w.el('lc-file-input').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await w.el('lc-error').filter({ hasText: 'setup.exe: this file type is not allowed.' }).waitFor();
    await expect(w.el('lc-file').count()).resolves.toBe(0);
    await w.el('lc-file-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await w.el('lc-send').click();
    await w.el('lc-error').filter({ hasText: 'File type not allowed' }).waitFor();
    await screenshot(page, 'widget-conversation');

    // Everything the visitor saw is what the server stored, once each, in order.
    const stored = await messagesOnServer(sessionId);
    expect(await w.shown()).toEqual(stored);
    expect(stored.map(([, type, content]) => [type, content])).toEqual([
      ['system', 'Welcome Ada Lovelace! A support agent will be with you shortly.'],
      ['user', 'Hello, my order is late'],
      ['agent', 'Sorry to hear that! Let me check.'],
      ['user', 'Here is the receipt'],
    ]);
    expect(socket.received('user_message').filter((f) => f.sessionId === sessionId)).toHaveLength(2);

    // The agent closes the chat; the visitor rates it.
    await t.app.http.patch(`/api/admin/live-chat/sessions/${sessionId}/status`).set(admin()).send({ status: 'closed' }).expect(200);
    await w.el('lc-rating').waitFor();
    await w.el('lc-star-4').click();
    await w.el('lc-feedback').fill('Quick and kind');
    await screenshot(page, 'widget-rating');
    await w.el('lc-rate-submit').click();
    await w.el('lc-thanks').waitFor();
    const session = await t.app.http.get(`/api/admin/live-chat/sessions/${sessionId}`).set(admin()).expect(200);
    expect(session.body.data.session).toMatchObject({ status: 'closed', rating: { score: 4, feedback: 'Quick and kind' } });
    await context.close();
    await socket.close();
  });

  it('loses and duplicates nothing when the network drops mid-conversation, and a reload keeps the chat', async () => {
    const context = await t.browser.newContext();
    const page = await startChat(context, 'Grace Hopper');
    const w = widget(page);
    await w.el('lc-start').click();
    await w.messages().first().waitFor();
    const sessionId = (await page.evaluate("JSON.parse(localStorage.getItem('liveChat.session')).sessionId")) as string;
    await w.el('lc-input').fill('Before the outage');
    await w.el('lc-input').press('Enter');
    await w.messages().filter({ hasText: 'Before the outage' }).waitFor();
    await reply(sessionId, 'Agent before the outage');
    await w.messages().filter({ hasText: 'Agent before the outage' }).waitFor();

    await context.setOffline(true);
    await w.el('lc-connection').waitFor();
    await reply(sessionId, 'Agent during the outage 1');
    await reply(sessionId, 'Agent during the outage 2');
    await w.el('lc-input').fill('Visitor during the outage');
    await w.el('lc-input').press('Enter');
    await w.el('lc-pending').and(page.locator('[data-state="failed"]')).waitFor();
    await screenshot(page, 'widget-offline');

    await context.setOffline(false);
    await w.el('lc-connection').waitFor({ state: 'detached' });
    await w.messages().filter({ hasText: 'Visitor during the outage' }).waitFor();
    await w.messages().filter({ hasText: 'Agent during the outage 2' }).waitFor();
    await w.el('lc-pending').waitFor({ state: 'detached' });
    await reply(sessionId, 'Agent after the outage');
    await w.messages().filter({ hasText: 'Agent after the outage' }).waitFor();
    const stored = await messagesOnServer(sessionId);
    expect(stored).toHaveLength(7);
    expect(stored.filter(([, , content]) => content === 'Visitor during the outage')).toHaveLength(1);
    expect(await w.shown()).toEqual(stored);

    // A reload continues the same chat from localStorage: no form, the whole conversation.
    await page.reload();
    await w.el('lc-launcher').click();
    await w.messages().nth(stored.length - 1).waitFor();
    expect(await w.shown()).toEqual(stored);
    await expect(w.el('lc-prechat-form').count()).resolves.toBe(0);

    // Closed panel: agent messages raise the launcher's unread badge; opening clears it.
    await w.el('lc-close').click();
    await reply(sessionId, 'Are you still there?');
    await w.el('lc-unread').filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'widget-unread');
    await w.el('lc-launcher').click();
    await w.el('lc-unread').waitFor({ state: 'hidden' });
    expect(await page.evaluate('window.widgetEvents.filter((e) => e.name === "unread").map((e) => e.payload)')).toEqual(expect.arrayContaining([1, 0]));
    await context.close();
  });
});

describe('website widget: identify (browser)', () => {
  const SECRET = 'host-site-widget-identity-secret-0123456789';
  // What the host site's server does for its logged-in user (README "Verified identity").
  const token = jwt.sign({ sub: 'user-42', name: 'Ada Verified', email: 'ada.verified@example.com' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  let t: BrowserTest;
  beforeAll(async () => {
    t = await startBrowserTest({ env: { WIDGET_IDENTITY_SECRET: SECRET }, host: { script: `LiveChat('identify', { token: ${JSON.stringify(token)} });` } });
  });
  afterAll(() => t?.close());

  it('skips the pre-chat form and starts a verified session with the first message', async () => {
    const context = await t.browser.newContext({ viewport: { width: 390, height: 740 } });
    const page = await context.newPage();
    await page.goto(t.host.url);
    const w = widget(page);
    await w.el('lc-launcher').click();
    await w.el('lc-input').fill('Hi, I am logged in');
    await expect(w.el('lc-prechat-form').count()).resolves.toBe(0);
    await w.el('lc-input').press('Enter');
    await w.messages().filter({ hasText: 'Hi, I am logged in' }).waitFor();
    expect((await w.shown())[0]).toEqual([1, 'system', 'Welcome Ada Verified! A support agent will be with you shortly.']);
    const sessionId = (await page.evaluate("JSON.parse(localStorage.getItem('liveChat.session')).sessionId")) as string;
    const { token: agentToken } = await createAgent(t.app);
    const details = await t.app.http.get(`/api/admin/live-chat/sessions/${sessionId}`).set('Authorization', `Bearer ${agentToken}`).expect(200);
    expect(details.body.data.session.user).toMatchObject({ name: 'Ada Verified', email: 'ada.verified@example.com', verified: true });
    await screenshot(page, 'widget-phone');
    await context.close();
  });
});

describe('demo page (browser)', () => {
  let t: BrowserTest;
  beforeAll(async () => {
    t = await startBrowserTest();
  });
  afterAll(() => t?.close());

  it('serves /demo with the widget under its strict CSP, no violations', async () => {
    const context = await t.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${t.app.url}/demo`);
    await page.locator('#open-chat').click();
    await widget(page).el('lc-name').fill('Demo Visitor');
    await widget(page).el('lc-email').fill('demo@example.com');
    await widget(page).el('lc-start').click();
    await widget(page).messages().first().waitFor();
    await widget(page).el('lc-input').fill('Hello from the demo page');
    await widget(page).el('lc-input').press('Enter');
    await widget(page).messages().filter({ hasText: 'Hello from the demo page' }).waitFor();
    await screenshot(page, 'widget-demo');
    expect(problems).toEqual([]);
    await context.close();
  });
});
