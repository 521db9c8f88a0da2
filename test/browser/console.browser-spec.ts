import { Page } from 'playwright-core';
import { AgentRole } from '../../src/common/access/agent-role';
import { TestAgent, bearer } from '../factories/agent.factory';
import { image } from '../factories/file.factory';
import { TestSession, guestHeaders, sendGuestMessage } from '../factories/session.factory';
import { WsTestClient } from '../utils/ws-client';
import { BrowserTest, screenshot, startBrowserTest } from './support/browser';
import { DESKTOP, PHONE, consoleAgent, eventually, guestView, openConsole, openConversation, row, rowNames, sidewaysOverflow, visitor } from './console.helpers';

const ADMIN = '/api/admin/live-chat';

describe('agent console (browser)', () => {
  let t: BrowserTest;
  let jane: TestAgent;
  let bob: TestAgent;
  const admin = (agent: TestAgent = jane) => ({ Authorization: bearer(agent) });

  beforeAll(async () => {
    t = await startBrowserTest();
    jane = await consoleAgent(t.app, 'Jane', 'Smith', AgentRole.Admin);
    bob = await consoleAgent(t.app, 'Bob', 'Wilson');
  });
  afterAll(() => t?.close());

  const tabCount = async (page: Page, status: string) => Number(await page.getByTestId(`status-tab-${status}`).locator('.count').textContent());

  it('login: a wrong password shows the API’s message; signing in keeps the token for the tab; logging out forgets it', async () => {
    const context = await t.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${t.app.url}/console/`);
    await page.getByTestId('login-email').fill(jane.agent.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-error'), 'Invalid email or password');
    await screenshot(page, 'console-login-error');

    await page.getByTestId('login-password').fill(jane.password);
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('me'), 'Jane Smith');
    await page.reload();
    await expectText(page.getByTestId('me'), 'Jane Smith');
    expect(await page.evaluate('sessionStorage.length')).toBe(1);

    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    await context.close();
  });

  describe('session list', () => {
    let page: Page;
    let alice: TestSession;
    let carl: TestSession;
    let dana: TestSession;

    beforeAll(async () => {
      for (let i = 0; i < 21; i++) await visitor(t.app, `Bulk ${String(i).padStart(2, '0')}`);
      alice = await visitor(t.app, 'Alice Billing');
      await t.app.http.patch(`${ADMIN}/sessions/${alice.sessionId}/status`).set(admin()).send({ department: 'billing', priority: 'high' }).expect(200);
      carl = await visitor(t.app, 'Carl Closed');
      await t.app.http.patch(`${ADMIN}/sessions/${carl.sessionId}/status`).set(admin()).send({ status: 'closed' }).expect(200);
      dana = await visitor(t.app, 'Dana Assigned');
      await t.app.http.patch(`${ADMIN}/sessions/${dana.sessionId}/assign`).set(admin()).send({ agentId: jane.agent.id }).expect(200);
      ({ page } = await openConsole(t.browser, t.app, jane));
    });
    afterAll(() => page?.context().close());

    it('shows statusCounts as tabs and pages 20 at a time, newest activity first', async () => {
      await expectText(page.getByTestId('status-tab-all').locator('.count'), '24');
      expect([await tabCount(page, 'pending'), await tabCount(page, 'active'), await tabCount(page, 'closed'), await tabCount(page, 'archived')]).toEqual([22, 1, 1, 0]);
      expect((await rowNames(page)).slice(0, 3)).toEqual(['Dana Assigned', 'Carl Closed', 'Alice Billing']);
      expect(await rowNames(page)).toHaveLength(20);
      await expectText(page.getByTestId('page-info'), 'Page 1 of 2');
      await page.getByTestId('page-next').click();
      await expectText(page.getByTestId('page-info'), 'Page 2 of 2');
      await expectRows(page, ['Bulk 03', 'Bulk 02', 'Bulk 01', 'Bulk 00']);
      await page.getByTestId('page-prev').click();
      await expectText(page.getByTestId('page-info'), 'Page 1 of 2');
      await screenshot(page, 'console-list');
    });

    it('filters by status, department, priority, assigned agent (unassigned too) and search', async () => {
      await page.getByTestId('status-tab-closed').click();
      await expectRows(page, ['Carl Closed']);
      await page.getByTestId('status-tab-all').click();

      await page.getByTestId('filter-department').selectOption('billing');
      await expectRows(page, ['Alice Billing']);
      expect(await tabCount(page, 'pending')).toBe(1);
      await page.getByTestId('filter-department').selectOption('');

      await page.getByTestId('filter-priority').selectOption('high');
      await expectRows(page, ['Alice Billing']);
      await page.getByTestId('filter-priority').selectOption('');

      await page.getByTestId('filter-agent').selectOption(jane.agent.id);
      await expectRows(page, ['Dana Assigned']);
      await page.getByTestId('filter-agent').selectOption('unassigned');
      await expectText(page.getByTestId('status-tab-active').locator('.count'), '0');
      expect(await rowNames(page)).not.toContain('Dana Assigned');
      await page.getByTestId('filter-agent').selectOption('');

      await page.getByTestId('filter-search').fill('carl');
      await expectRows(page, ['Carl Closed']);
      await page.getByTestId('filter-search').fill(carl.sessionId);
      await expectRows(page, ['Carl Closed']);
      await page.getByTestId('filter-search').fill('');
      await expectText(page.getByTestId('status-tab-all').locator('.count'), '24');
    });

    it('updates live from the admin socket: new sessions, guest messages, status changes and assignments', async () => {
      const eve = await visitor(t.app, 'Eve Live');
      await row(page, 'Eve Live').waitFor();
      expect((await rowNames(page))[0]).toBe('Eve Live');
      await expectText(page.getByTestId('status-tab-pending').locator('.count'), '23');
      expect(await page.title()).toContain('New chat from Eve Live');

      await sendGuestMessage(t.app, alice, 'Where is my refund?');
      await expectText(row(page, 'Alice Billing').locator('.preview'), 'Where is my refund?');
      expect((await rowNames(page))[0]).toBe('Alice Billing');
      await expectText(row(page, 'Alice Billing').getByTestId('unread-count'), '1');

      await t.app.http.patch(`${ADMIN}/sessions/${eve.sessionId}/assign`).set(admin(bob)).send({ agentId: bob.agent.id }).expect(200);
      await expectText(row(page, 'Eve Live').locator('.agent'), 'Bob Wilson');
      await expectText(row(page, 'Eve Live').locator('.badge').first(), 'active');

      await t.app.http.patch(`${ADMIN}/sessions/${alice.sessionId}/status`).set(admin(bob)).send({ status: 'closed' }).expect(200);
      await expectText(row(page, 'Alice Billing').locator('.badge').first(), 'closed');
      await expectText(page.getByTestId('status-tab-closed').locator('.count'), '2');
      expect([await tabCount(page, 'pending'), await tabCount(page, 'active')]).toEqual([21, 2]);
      // The page was never reloaded, yet it equals the server's list.
      const server = await t.app.http.get(`${ADMIN}/sessions`).set(admin()).expect(200);
      expect(server.body.statusCounts).toEqual({ pending: 21, active: 2, closed: 2, archived: 0 });
      expect((await rowNames(page)).slice(0, 3)).toEqual(server.body.data.slice(0, 3).map((s: { user: { name: string } }) => s.user.name));
    });
  });

  describe('conversation', () => {
    let page: Page;
    let grace: TestSession;
    let guestSocket: WsTestClient;

    beforeAll(async () => {
      grace = await visitor(t.app, 'Grace Hopper');
      guestSocket = await WsTestClient.open(t.app.wsUrl, { query: { sessionId: grace.sessionId, token: grace.guestToken } });
      ({ page } = await openConsole(t.browser, t.app, jane));
      await openConversation(page, 'Grace Hopper');
    });
    afterAll(async () => {
      await guestSocket?.close();
      await page?.context().close();
    });

    it('shows guest messages and typing live, and reads them (receipts reach the guest)', async () => {
      const message = await sendGuestMessage(t.app, grace, 'My invoice is wrong');
      await page.getByTestId('message').filter({ hasText: 'My invoice is wrong' }).waitFor();
      const receipt = await guestSocket.waitFor((f) => f.type === 'read_receipt' && f.messageId === message._id);
      expect(receipt.readBy).toBe(jane.agent.id);

      await t.app.http.post(`/api/live-chat/sessions/${grace.sessionId}/typing`).set(guestHeaders(grace)).send({ isTyping: true }).expect(200);
      await expectText(page.getByTestId('guest-typing'), 'Grace Hopper is typing…');
      await t.app.http.post(`/api/live-chat/sessions/${grace.sessionId}/typing`).set(guestHeaders(grace)).send({ isTyping: false }).expect(200);
      await expectText(page.getByTestId('guest-typing'), '');
    });

    it('replies with Enter (Shift+Enter is a new line), signals typing to the guest, and shows the guest’s receipt', async () => {
      const input = page.getByTestId('composer-input');
      await input.click();
      await input.pressSequentially('Hello Grace');
      expect((await guestSocket.next('agent_typing')).isTyping).toBe(true);
      await input.press('Shift+Enter');
      await input.pressSequentially('Let me check.');
      await input.press('Enter');
      const bubble = page.getByTestId('message').filter({ hasText: 'Hello Grace' });
      await bubble.waitFor();
      expect(await input.inputValue()).toBe('');
      const frame = await guestSocket.next('agent_message');
      expect(frame.message.content).toBe('Hello Grace\nLet me check.');
      expect((await guestSocket.waitFor((f) => f.type === 'agent_typing' && f.isTyping === false)).isTyping).toBe(false);
      const { messages } = await guestView(t.app, grace);
      expect(messages.filter((m) => m.content === 'Hello Grace\nLet me check.')).toHaveLength(1);
      expect(await page.getByTestId('message').filter({ hasText: 'Hello Grace' }).count()).toBe(1);

      await expectText(bubble.getByTestId('receipt'), 'Sent');
      guestSocket.send({ type: 'read_receipt', messageId: frame.message._id });
      await bubble.locator('[data-testid="receipt"][data-read="true"]').waitFor();
    });

    it('sends an attachment with a reply (multipart) and shows its preview', async () => {
      await page.getByTestId('composer-file').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: await image('png', 40, 30) });
      await page.getByTestId('composer-input').fill('The return label');
      await page.getByTestId('composer-send').click();
      const bubble = page.getByTestId('message').filter({ hasText: 'The return label' });
      await bubble.getByTestId('attachment').locator('img').waitFor();
      const { messages } = await guestView(t.app, grace);
      const sent = messages.find((m) => m.content === 'The return label');
      expect(sent?.attachments.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([['label.png', 'image/png']]);
    });

    it('adds internal notes, shown apart and never sent to the guest', async () => {
      await page.getByTestId('mode-note').click();
      await page.getByTestId('composer-input').fill('VIP customer, refund approved');
      await page.getByTestId('composer-input').press('Enter');
      await expectContains(page.getByTestId('note'), 'VIP customer, refund approved');
      expect(await page.getByTestId('note').textContent()).toContain('Internal note · Jane Smith');
      await page.getByTestId('mode-reply').click();
      const stored = await t.app.http.get(`${ADMIN}/sessions/${grace.sessionId}`).set(admin()).expect(200);
      expect(stored.body.data.session.notes.map((n: { content: string }) => n.content)).toEqual(['VIP customer, refund approved']);

      const seen = await guestView(t.app, grace);
      expect(JSON.stringify(seen)).not.toContain('VIP customer');
      await guestSocket.roundTrip();
      expect(JSON.stringify(guestSocket.frames)).not.toContain('VIP customer');
      await screenshot(page, 'console-conversation');
    });

    it('assigns to an agent and to me, transfers with a reason, changes priority, department and tags, and ends the chat', async () => {
      await page.getByTestId('assign-select').selectOption(bob.agent.id);
      await page.getByTestId('assign-submit').click();
      await expectText(page.getByTestId('assigned-agent'), 'Assigned to Bob Wilson');
      expect((await guestSocket.next('agent_assigned')).agent.name).toBe('Bob Wilson');
      await page.getByTestId('assign-me').click();
      await expectText(page.getByTestId('assigned-agent'), 'Assigned to Jane Smith');
      expect((await guestSocket.next('agent_assigned')).agent.name).toBe('Jane Smith');

      await page.getByTestId('transfer').locator('summary').click();
      await page.getByTestId('transfer-select').selectOption(bob.agent.id);
      await page.getByTestId('transfer-reason').fill('Billing expertise needed');
      await page.getByTestId('transfer-submit').click();
      await expectText(page.getByTestId('assigned-agent'), 'Assigned to Bob Wilson');
      await expectContains(page.getByTestId('transfers'), 'Bob Wilson: Billing expertise needed');

      await page.getByTestId('set-priority').selectOption('urgent');
      await expectText(row(page, 'Grace Hopper').locator('.priority-urgent'), 'urgent');
      await page.getByTestId('set-department').selectOption('billing');
      await page.getByTestId('tag-input').fill('refund');
      await page.getByTestId('tag-input').press('Enter');
      await page.getByTestId('tags').getByText('refund').waitFor();
      const stored = async () => (await t.app.http.get(`${ADMIN}/sessions/${grace.sessionId}`).set(admin()).expect(200)).body.data.session;
      await eventually(async () => {
        const s = await stored();
        return [s.assignedAgent._id, s.priority, s.department, s.tags];
      }, [bob.agent.id, 'urgent', 'billing', ['refund']]);
      expect((await stored()).transfers).toEqual([expect.objectContaining({ from: jane.agent.id, to: bob.agent.id, reason: 'Billing expertise needed' })]);

      await page.getByTestId('end-chat').click();
      await expectText(page.getByTestId('conversation-status'), 'closed');
      await guestSocket.waitFor((f) => f.type === 'session_status_changed' && f.status === 'closed');
      expect((await guestView(t.app, grace)).session.status).toBe('closed');
      expect(await page.getByTestId('composer-input').isDisabled()).toBe(true);

      await page.getByTestId('set-status').selectOption('active');
      await expectText(page.getByTestId('conversation-status'), 'active');
      expect((await guestView(t.app, grace)).session.status).toBe('active');
    });

    it('shows the visitor’s details and earlier chats by email', async () => {
      const panel = page.getByTestId('customer-panel');
      await expectText(panel.locator('h2'), 'Grace Hopper Unverified');
      expect(await panel.textContent()).toContain('grace.hopper@example.com');
      await page.getByTestId('customer-history').locator('li').first().waitFor();
      expect(await page.getByTestId('customer-history').locator('li').count()).toBe(1);
    });
  });

  describe('long chats and lost connections', () => {
    let page: Page;
    let henry: TestSession;

    beforeAll(async () => {
      henry = await visitor(t.app, 'Henry History');
      for (let i = 1; i <= 60; i++) await sendGuestMessage(t.app, henry, `Question ${i}`);
      ({ page } = await openConsole(t.browser, t.app, jane));
      await openConversation(page, 'Henry History');
    });
    afterAll(() => page?.context().close());

    it('opens on the newest page, loads earlier pages on demand, and reads every message at the pace the socket allows', async () => {
      const seqs = () => page.getByTestId('message').evaluateAll((items) => items.map((item) => Number((item as unknown as { dataset: { seq: string } }).dataset.seq)));
      await eventually(seqs, Array.from({ length: 11 }, (_, i) => 51 + i));
      await page.getByTestId('load-earlier').click();
      await eventually(seqs, Array.from({ length: 61 }, (_, i) => 1 + i));
      expect(await page.getByTestId('load-earlier').count()).toBe(0);
      const unread = async () => (await t.app.http.get(`${ADMIN}/sessions/${henry.sessionId}`).set(admin()).expect(200)).body.data.session.unreadCount;
      await eventually(unread, 0, 20_000);
    });

    it('after the network drops and returns, resumes: every message missed shows once, in order', async () => {
      await page.context().setOffline(true);
      await page.locator('[data-testid="connection"][data-status="offline"]').waitFor();
      await sendGuestMessage(t.app, henry, 'Sent while you were away 1');
      await sendGuestMessage(t.app, henry, 'Sent while you were away 2');
      await page.context().setOffline(false);
      await page.locator('[data-testid="connection"][data-status="online"]').waitFor();
      const away = page.getByTestId('message').filter({ hasText: 'Sent while you were away' });
      await expectCount(away, 2);
      expect(await away.allTextContents()).toEqual([expect.stringContaining('away 1'), expect.stringContaining('away 2')]);
      expect(await page.getByTestId('message').count()).toBe(63);
    });
  });

  it('analytics: the figures of the chosen range, drawn as charts', async () => {
    const { page } = await openConsole(t.browser, t.app, jane);
    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('chart-sessions-by-day').waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const { body } = await t.app.http.get(`${ADMIN}/analytics`).query({ startDate: await page.getByTestId('range-start').inputValue(), endDate: today }).set(admin()).expect(200);
    await expectText(page.getByTestId('figure-total').locator('.figure-value'), String(body.data.overview.totalSessions));
    expect(body.data.overview.totalSessions).toBeGreaterThan(20);
    expect(await page.getByTestId('chart-sessions-by-day').locator('rect').count()).toBe(30);
    expect(await page.locator(`[data-testid="chart-sessions-by-day"] rect[data-day="${today}"]`).getAttribute('data-count')).toBe(String(body.data.overview.totalSessions));
    await page.getByTestId('chart-response-time').waitFor();
    expect(await page.getByTestId('chart-top-agents').textContent()).toContain('Bob Wilson');
    await screenshot(page, 'console-analytics');

    await page.getByTestId('range-7').click();
    await expectCount(page.getByTestId('chart-sessions-by-day').locator('rect'), 7);
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.context().close();
  });

  it('works on a phone: one pane at a time, details as a drawer, nothing wider than the screen', async () => {
    const { page } = await openConsole(t.browser, t.app, jane, PHONE);
    await row(page, 'Eve Live').waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'console-phone-list');
    await openConversation(page, 'Eve Live');
    expect(await page.getByTestId('session-rows').isVisible()).toBe(false);
    expect(await page.getByTestId('customer-panel').isVisible()).toBe(false);
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.getByTestId('composer-input').fill('Hi Eve, on my phone');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('message').filter({ hasText: 'Hi Eve, on my phone' }).waitFor();
    await screenshot(page, 'console-phone-conversation');
    await page.getByTestId('details-toggle').click();
    await page.getByTestId('customer-panel').waitFor();
    await screenshot(page, 'console-phone-details');
    await page.getByTestId('details-close').click();
    await page.getByTestId('customer-panel').waitFor({ state: 'hidden' });
    await page.locator('.back').click();
    await page.getByTestId('session-rows').waitFor();
    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('chart-sessions-by-day').waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'console-phone-analytics');
    await page.context().close();
  });
});

type Locator = ReturnType<Page['locator']>;


const expectText = (locator: Locator, text: string) => eventually(async () => (await locator.textContent())?.trim(), text);
const expectContains = (locator: Locator, text: string) => eventually(async () => (await locator.textContent())?.includes(text), true);
const expectCount = (locator: Locator, count: number) => eventually(() => locator.count(), count);
const expectRows = (page: Page, names: string[]) => eventually(() => rowNames(page), names);
