import jwt from 'jsonwebtoken';
import { TestAgent } from '../factories/agent.factory';
import { uniqueSessionId } from '../factories/session.factory';
import { BrowserTest, screenshot, startBrowserTest } from './support/browser';
import { consoleAgent, openConsole, openConversation, row } from './console.helpers';

const IDENTITY_SECRET = 'widget-identity-secret-for-the-console-tests-0123';

describe('agent console: verified and unverified visitors (browser)', () => {
  let t: BrowserTest;
  let jane: TestAgent;

  beforeAll(async () => {
    t = await startBrowserTest({ env: { WIDGET_IDENTITY_SECRET: IDENTITY_SECRET } });
    jane = await consoleAgent(t.app, 'Jane', 'Smith');
  });
  afterAll(() => t?.close());

  it('marks a visitor whose identity the host site signed, and shows typed identities as unverified', async () => {
    const identityToken = jwt.sign({ sub: 'customer-42', name: 'Vera Signed', email: 'vera@example.com' }, IDENTITY_SECRET, { algorithm: 'HS256', expiresIn: 3600 });
    await t.app.http.post('/api/live-chat/sessions').send({ sessionId: uniqueSessionId(), identityToken }).expect(201);
    await t.app.http.post('/api/live-chat/sessions').send({ sessionId: uniqueSessionId(), user: { name: 'Tom Typed', email: 'tom@example.com' } }).expect(201);
    const { page } = await openConsole(t.browser, t.app, jane);
    await row(page, 'Vera Signed').getByTestId('row-verified').waitFor();
    await row(page, 'Tom Typed').waitFor();
    expect(await row(page, 'Tom Typed').getByTestId('row-verified').count()).toBe(0);

    await openConversation(page, 'Vera Signed');
    await page.getByTestId('identity-verified').waitFor();
    await screenshot(page, 'console-verified-visitor');
    await openConversation(page, 'Tom Typed');
    await page.getByTestId('identity-unverified').waitFor();
    expect(await page.getByTestId('identity-verified').count()).toBe(0);
    await page.context().close();
  });
});
