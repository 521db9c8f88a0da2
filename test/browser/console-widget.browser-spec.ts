import { Page } from 'playwright-core';
import { AgentRole } from '../../src/common/access/agent-role';
import { TestAgent, bearer } from '../factories/agent.factory';
import { image } from '../factories/file.factory';
import { BrowserTest, screenshot, startBrowserTest } from './support/browser';
import { consoleAgent, eventually, openConsole, row } from './console.helpers';

/** [type, text] of every message a page shows, in order: the console's `message` items or the widget's `lc-message`. */
const shown = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluateAll((items) =>
    items.map((item) => [item.getAttribute('data-type'), (item as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector('.content')?.textContent ?? '']),
  );

describe('a visitor on another site chats with an agent in the console (browser)', () => {
  let t: BrowserTest;
  let jane: TestAgent;

  beforeAll(async () => {
    t = await startBrowserTest();
    jane = await consoleAgent(t.app, 'Jane', 'Smith', AgentRole.Admin);
  });
  afterAll(() => t?.close());

  it('both see each message once, typing both ways, attachments both ways, receipts, the close and the rating', async () => {
    const { page: agent } = await openConsole(t.browser, t.app, jane);
    const visitorContext = await t.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const visitor = await visitorContext.newPage();
    await visitor.goto(t.host.url);
    await visitor.getByTestId('lc-launcher').click();
    await visitor.getByTestId('lc-name').fill('Ada Lovelace');
    await visitor.getByTestId('lc-email').fill('ada@example.com');
    await visitor.getByTestId('lc-start').click();
    await visitor.getByTestId('lc-message').first().waitFor();

    // The new chat appears in the console without a reload, with a title-bar notice.
    await row(agent, 'Ada Lovelace').waitFor();
    expect(await agent.title()).toContain('New chat from Ada Lovelace');
    await row(agent, 'Ada Lovelace').click();
    await agent.getByTestId('conversation').waitFor();
    const sessionId = await agent.getByTestId('conversation').getAttribute('data-session-id');
    expect(await agent.getByTestId('customer-panel').textContent()).toContain(t.host.url);

    // Visitor → agent, typing first.
    await visitor.getByTestId('lc-input').pressSequentially('Hello, my order is late');
    await agent.getByTestId('guest-typing').filter({ hasText: 'Ada Lovelace is typing…' }).waitFor();
    await visitor.getByTestId('lc-input').press('Enter');
    await agent.getByTestId('message').filter({ hasText: 'Hello, my order is late' }).waitFor();
    await eventually(async () => (await agent.getByTestId('guest-typing').textContent())?.trim(), '');
    // The console read it; the widget shows the receipt.
    await visitor.getByTestId('lc-read').waitFor();

    // The agent takes the chat, types and answers; the widget reads the answer.
    await agent.getByTestId('assign-me').click();
    await visitor.getByTestId('lc-notice').filter({ hasText: 'Jane Smith joined the chat' }).waitFor();
    await agent.getByTestId('composer-input').pressSequentially('Sorry to hear that!');
    await visitor.getByTestId('lc-typing').filter({ hasText: 'Jane Smith is typing' }).waitFor();
    await agent.getByTestId('composer-input').press('Shift+Enter');
    await agent.getByTestId('composer-input').pressSequentially('Let me check.');
    await agent.getByTestId('composer-input').press('Enter');
    await visitor.getByTestId('lc-message').filter({ hasText: 'Let me check.' }).waitFor();
    await agent.locator('[data-testid="message"][data-type="agent"] [data-testid="receipt"][data-read="true"]').waitFor();

    // Attachments both ways.
    await visitor.getByTestId('lc-file-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: await image('png', 40, 30) });
    await visitor.getByTestId('lc-input').fill('Here is the receipt');
    await visitor.getByTestId('lc-send').click();
    await agent.getByTestId('message').filter({ hasText: 'Here is the receipt' }).getByTestId('attachment').locator('img').waitFor();
    await agent.getByTestId('composer-file').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: await image('png', 30, 30) });
    await agent.getByTestId('composer-input').fill('Your return label');
    await agent.getByTestId('composer-send').click();
    await visitor.getByTestId('lc-message').filter({ hasText: 'Your return label' }).getByTestId('lc-attachment').waitFor();

    // An internal note stays in the console.
    await agent.getByTestId('mode-note').click();
    await agent.getByTestId('composer-input').fill('Refund approved by billing');
    await agent.getByTestId('composer-input').press('Enter');
    await agent.getByTestId('note').waitFor();

    // Each message once on both sides, in the server's order.
    const expected = [
      ['system', 'Welcome Ada Lovelace! A support agent will be with you shortly.'],
      ['user', 'Hello, my order is late'],
      ['agent', 'Sorry to hear that!\nLet me check.'],
      ['user', 'Here is the receipt'],
      ['agent', 'Your return label'],
    ];
    await eventually(() => shown(agent, 'message'), expected);
    // The widget read both replies, and the console shows it for both (a reply's REST answer may come after the receipt).
    const receipts = () => agent.locator('[data-testid="message"][data-type="agent"] [data-testid="receipt"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-read')));
    await eventually(receipts, ['true', 'true']);
    await eventually(() => shown(visitor, 'lc-message'), expected);
    const stored = await t.app.http.get(`/api/admin/live-chat/sessions/${sessionId}`).set('Authorization', bearer(jane)).expect(200);
    expect(stored.body.data.messages.map((m: { type: string; content: string }) => [m.type, m.content])).toEqual(expected);
    expect(await visitor.getByTestId('lc-messages').textContent()).not.toContain('Refund approved');
    await screenshot(agent, 'console-with-widget');
    await screenshot(visitor, 'widget-with-console');

    // The agent ends the chat; the visitor rates it; the console shows the rating.
    await agent.getByTestId('end-chat').click();
    await visitor.getByTestId('lc-rating').waitFor();
    await visitor.getByTestId('lc-star-5').click();
    await visitor.getByTestId('lc-feedback').fill('Quick and kind');
    await visitor.getByTestId('lc-rate-submit').click();
    await visitor.getByTestId('lc-thanks').waitFor();
    await agent.reload();
    await agent.getByTestId('session-rating').filter({ hasText: 'Quick and kind' }).waitFor();
    expect(await agent.getByTestId('session-rating').textContent()).toContain('★★★★★');
    await visitorContext.close();
    await agent.context().close();
  });
});
