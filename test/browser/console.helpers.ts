import { Browser, BrowserContext, Page } from 'playwright-core';
import { AgentRole } from '../../src/common/access/agent-role';
import { TestAgent, createAgent } from '../factories/agent.factory';
import { TestSession, createSession, guestHeaders } from '../factories/session.factory';
import { TestApp } from '../utils/create-test-app';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A built-in agent with a name the tests can look for on screen. */
export const consoleAgent = (t: TestApp, firstName: string, lastName: string, role = AgentRole.Support) =>
  createAgent(t, { firstName, lastName, email: `${firstName}.${lastName}-${Date.now()}@example.com`.toLowerCase(), role });

/** A browser context (its own sessionStorage: one agent) on /console/, logged in through the form. */
export async function openConsole(browser: Browser, t: TestApp, agent: TestAgent, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${t.url}/console/`);
  await page.getByTestId('login-email').fill(agent.agent.email);
  await page.getByTestId('login-password').fill(agent.password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="connection"][data-status="online"]').waitFor();
  return { context, page };
}

export const row = (page: Page, text: string) => page.getByTestId('session-row').filter({ hasText: text });

/** The names on the visible rows of the list, top to bottom. */
export const rowNames = (page: Page) => page.locator('[data-testid="session-row"] .name').allTextContents();

/** Opens a session's conversation from the list (searched for by name). */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByTestId('filter-search').fill(name);
  await row(page, name).click();
  await page.getByTestId('conversation').waitFor();
}

/** A session with a given visitor name, through the guest API. */
export const visitor = (t: TestApp, name: string) => createSession(t, { user: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com` } });

/** What the guest sees: its messages and its session, through the guest API. */
export async function guestView(t: TestApp, session: TestSession): Promise<{ messages: Record<string, any>[]; session: Record<string, any> }> {
  const [messages, details] = await Promise.all([
    t.http.get(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).expect(200),
    t.http.get(`/api/live-chat/sessions/${session.sessionId}`).set(guestHeaders(session)).expect(200),
  ]);
  return { messages: messages.body.data, session: details.body.data };
}

/** The page's width overflow in CSS pixels (0 when nothing sticks out sideways). */
export const sidewaysOverflow = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

/** Polls `read` until it returns `wanted` (5 s unless told), then asserts it: the page updates on its own time. */
export async function eventually<T>(read: () => Promise<T>, wanted: T, timeoutMs = 5000): Promise<void> {
  let value = await read();
  for (let i = 0; i < timeoutMs / 50 && JSON.stringify(value) !== JSON.stringify(wanted); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  expect(value).toEqual(wanted);
}
