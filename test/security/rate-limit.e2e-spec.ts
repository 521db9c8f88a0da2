import { Controller, Get, Module, Post } from '@nestjs/common';
import { RATE_LIMIT_MESSAGE } from '../../src/common/throttling/app-throttler.guard';
import { RateLimit } from '../../src/common/throttling/rate-limit.decorator';
import { Public } from '../../src/common/access/access.decorator';
import { createTestApp, TestApp } from '../utils/create-test-app';

/** Routes standing for each rate-limit group, so the module's rules are tested on their own. */
@Public()
@Controller('probe-limits')
class ProbeLimitsController {
  @Get('general') general() { return { success: true }; }
  @Get('other') other() { return { success: true }; }
  @Post('message') @RateLimit('messages') message() { return { success: true }; }
  @Post('session') @RateLimit('sessions') session() { return { success: true }; }
}

@Module({ controllers: [ProbeLimitsController] })
class ProbeLimitsModule {}

const LIMITS = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_MAX: '5', RATE_LIMIT_MESSAGES_MAX: '8', SESSIONS_PER_IP_PER_HOUR: '3' };

/** The client address as the one trusted proxy appends it; anything before it is client-made. */
const via = (clientIp: string, forged?: string) => ({ 'X-Forwarded-For': forged ? `${forged}, ${clientIp}` : clientIp });

async function expectLimited(res: { status: number; body: unknown; headers: Record<string, string> }) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ success: false, message: RATE_LIMIT_MESSAGE });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
}

describe('security: HTTP rate limits (TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeLimitsModule], env: { ...LIMITS, TRUST_PROXY: '1' } });
  });
  afterAll(() => t.destroy());

  it('allows RATE_LIMIT_MAX requests per IP, then answers 429 with the envelope and Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.http.get('/probe-limits/general').set(via('203.0.113.1')).expect(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const res = await t.http.get('/probe-limits/general').set(via('203.0.113.1'));
    await expectLimited(res);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  });

  it('counts every route of the general group in one bucket per IP', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/probe-limits/general').set(via('203.0.113.2')).expect(200);
    for (let i = 0; i < 2; i++) await t.http.get('/probe-limits/other').set(via('203.0.113.2')).expect(200);
    await expectLimited(await t.http.get('/probe-limits/other').set(via('203.0.113.2')));
  });

  it('gives a forged X-Forwarded-For no fresh bucket: the last (proxy-written) address is the client', async () => {
    for (let i = 0; i < 5; i++) {
      await t.http.get('/probe-limits/general').set(via('203.0.113.3', `10.9.${i}.${i}`)).expect(200);
    }
    await expectLimited(await t.http.get('/probe-limits/general').set(via('203.0.113.3', '198.51.100.77')));
    await expectLimited(await t.http.get('/probe-limits/general').set(via('203.0.113.3', '198.51.100.78, 198.51.100.79')));
    // A different real client is not affected.
    await t.http.get('/probe-limits/general').set(via('203.0.113.4', '203.0.113.3')).expect(200);
  });

  it('gives message sending and typing their own generous bucket that does not use the general one', async () => {
    for (let i = 0; i < 8; i++) await t.http.post('/probe-limits/message').set(via('203.0.113.5')).expect(201);
    await expectLimited(await t.http.post('/probe-limits/message').set(via('203.0.113.5')));
    await t.http.get('/probe-limits/general').set(via('203.0.113.5')).expect(200);
  });

  it('caps new sessions per IP per hour, on top of the general limit', async () => {
    for (let i = 0; i < 3; i++) await t.http.post('/probe-limits/session').set(via('203.0.113.6')).expect(201);
    const res = await t.http.post('/probe-limits/session').set(via('203.0.113.6'));
    await expectLimited(res);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(15 * 60);
    // The three session creations and the refused one also counted in the general bucket (5).
    await t.http.get('/probe-limits/general').set(via('203.0.113.6')).expect(200);
    await expectLimited(await t.http.get('/probe-limits/general').set(via('203.0.113.6')));
  });

  it('a live chat on the real routes draws from the messages bucket, never the general one', async () => {
    const ip = via('203.0.113.8');
    const created = await t.http.post('/api/live-chat/sessions').set(ip).send({ user: { name: 'Chatty', email: 'chatty@example.com' } }).expect(201);
    const guest = { ...ip, 'X-Guest-Token': created.body.data.guestToken as string };
    const base = `/api/live-chat/sessions/${created.body.data.session.sessionId as string}`;
    // 1 general hit so far (the create); 7 of each live-chat call would exhaust a general bucket of 5.
    for (let i = 0; i < 2; i++) {
      await t.http.post(`${base}/messages`).set(guest).send({ content: `message ${i}` }).expect(201);
      await t.http.get(`${base}/messages`).set(guest).expect(200);
      await t.http.post(`${base}/typing`).set(guest).send({ isTyping: true }).expect(200);
    }
    await t.http.post(`${base}/messages`).set(guest).send({ content: 'last' }).expect(201);
    await t.http.get(`${base}/messages`).set(guest).expect(200);
    await expectLimited(await t.http.post(`${base}/messages`).set(guest).send({ content: 'one too many' }));
    // The general bucket still has 4 of its 5.
    for (let i = 0; i < 4; i++) await t.http.get(base).set(guest).expect(200);
    await expectLimited(await t.http.get(base).set(guest));
  });

  it('caps POST /api/live-chat/sessions at SESSIONS_PER_IP_PER_HOUR', async () => {
    const ip = via('203.0.113.9');
    for (let i = 0; i < 3; i++) await t.http.post('/api/live-chat/sessions').set(ip).send({ user: { name: 'S', email: 's@example.com' } }).expect(201);
    await expectLimited(await t.http.post('/api/live-chat/sessions').set(ip).send({ user: { name: 'S', email: 's@example.com' } }));
  });

  it('never limits /health (load balancer probes)', async () => {
    for (let i = 0; i < 7; i++) await t.http.get('/health').set(via('203.0.113.7')).expect(200);
  });
});

describe('security: HTTP rate limits (TRUST_PROXY=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeLimitsModule], env: { ...LIMITS, TRUST_PROXY: '0' } });
  });
  afterAll(() => t.destroy());

  it('ignores X-Forwarded-For entirely: the socket address is the client', async () => {
    for (let i = 0; i < 5; i++) await t.http.get('/probe-limits/general').set(via(`203.0.113.${10 + i}`)).expect(200);
    await expectLimited(await t.http.get('/probe-limits/general').set(via('203.0.113.99')));
  });
});

describe('security: rate limits off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeLimitsModule], env: { ...LIMITS, RATE_LIMIT_ENABLED: 'false' } });
  });
  afterAll(() => t.destroy());

  it('RATE_LIMIT_ENABLED=false lifts every group', async () => {
    for (let i = 0; i < 9; i++) await t.http.get('/probe-limits/general').expect(200);
    for (let i = 0; i < 9; i++) await t.http.post('/probe-limits/message').expect(201);
    for (let i = 0; i < 4; i++) await t.http.post('/probe-limits/session').expect(201);
  });
});
