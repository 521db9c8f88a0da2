import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AgentRole } from '../../src/common/access/agent-role';
import { addDays } from '../../src/analytics/analytics-period';
import { dayKeyOf } from '../../src/common/time/day-key';
import { bearer, createAgent } from '../factories/agent.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bruteForce } from './analytics-helpers';

const ROOT = join(__dirname, '..', '..');

function seedDemo(t: TestApp, args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/seed-demo.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: `${process.env.TEST_MONGODB_BASE_URI}${t.dbName}`, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('npm run seed:demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.destroy());

  it('refuses bad arguments with the usage line', () => {
    const run = seedDemo(t, ['--sessions', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: npm run seed:demo -- --sessions <n>');
  });

  it('loads consistent sessions, messages, agents and analytics', async () => {
    const run = seedDemo(t, ['--sessions', '60', '--days', '10', '--agents', '3', '--batch', '25', '--seed', '5']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^25\/60 sessions, \d+ messages, \d+ sessions\/s$/m);
    expect(run.stdout).toMatch(/^Done: 60 sessions, \d+ messages, 3 agents, \d+ analytics days/m);

    const db = t.connection;
    const agents = await db.collection('agents').find({}).toArray();
    expect(agents.map((a) => a.email).sort()).toEqual(['demo.agent.1@example.com', 'demo.agent.2@example.com', 'demo.agent.3@example.com']);
    const names = new Map(agents.map((a) => [a._id.toString(), `${a.firstName} ${a.lastName}`]));
    const sessions = await db.collection('livechatsessions').find({}).toArray();
    expect(sessions).toHaveLength(60);
    const messages = await db.collection('livechatmessages').find({}).sort({ sessionId: 1, seq: 1 }).toArray();
    const now = Date.now();
    const kinds = { transferred: 0, rated: 0, unanswered: 0, noted: 0, open: 0 };
    for (const s of sessions) {
      const own = messages.filter((m) => m.sessionId === s.sessionId);
      expect(own.map((m) => m.seq)).toEqual(Array.from({ length: s.messageCount }, (_, i) => i + 1));
      expect(s.lastSeq).toBe(s.messageCount);
      expect(s.unreadCount).toBe(own.filter((m) => m.type === 'user' && !m.isRead).length);
      expect(s.lastMessage.content).toBe(own[own.length - 1].content);
      expect(s.startedAt.getTime()).toBeGreaterThan(now - 10 * 86_400_000 - 3_700_000);
      expect(s.updatedAt.getTime()).toBeLessThan(now);
      expect(s.dayKey).toBe(dayKeyOf(s.startedAt, 'UTC'));
      expect(s.closed).toBe(['closed', 'archived'].includes(s.status) ? 1 : 0);
      expect(s.rated).toBe(s.rating ? 1 : 0);
      expect(s.ratingScore).toBe(s.rating?.score ?? 0);
      const firstReply = own.find((m) => m.type === 'agent');
      expect(s.firstResponseMs).toBe(firstReply ? firstReply.createdAt.getTime() - s.startedAt.getTime() : undefined);
      if (s.assignedAgent) expect(s.agentName).toBe(names.get(s.assignedAgent.toString()));
      if (s.transfers.length) expect(s.transfers.at(-1).to.toString()).toBe(s.assignedAgent.toString());
      kinds.transferred += s.transfers.length ? 1 : 0;
      kinds.rated += s.rated;
      kinds.unanswered += firstReply ? 0 : 1;
      kinds.noted += s.notes.length ? 1 : 0;
      kinds.open += 1 - s.closed;
    }
    for (const count of Object.values(kinds)) expect(count).toBeGreaterThan(0);

    const admin = await createAgent(t, { role: AgentRole.Admin });
    const today = dayKeyOf(new Date(), 'UTC');
    const start = addDays(today, -11);
    const res = await t.http.get(`/api/admin/live-chat/analytics?startDate=${start}&endDate=${today}`).set('Authorization', bearer(admin)).expect(200);
    const days = Array.from({ length: 12 }, (_, i) => addDays(start, i));
    const { period, ...figures } = res.body.data;
    expect(figures).toEqual(await bruteForce(t, days));
    expect(figures.overview.totalSessions).toBe(60);
  });
});
