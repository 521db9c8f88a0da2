/**
 * `npm run seed:demo -- --sessions 10000 [--days 90] [--agents 8] [--batch 1000] [--seed 42]`
 *
 * Fills MONGODB_URI (or the embedded database of DATA_DIR when it is unset; stop the service first)
 * with realistic demo data, fast: agents, sessions spread over the last `--days` days, their
 * messages (seq 1..n, counters in step), assignments, transfers, ratings, notes, and the daily
 * analytics rollups of exactly those sessions. Sessions and messages go in with unordered
 * `insertMany` batches. Prints progress and the rate. Adds to what is there (agents are reused).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { Agent, AgentSchema } from '../src/agents/schemas/agent.schema';
import { AnalyticsRepository } from '../src/analytics/analytics.repository';
import { accumulateNewSession, MergedDayDelta } from '../src/analytics/analytics-rollup';
import { AnalyticsDay, AnalyticsDaySchema } from '../src/analytics/schemas/analytics-day.schema';
import { Env } from '../src/config/env.validation';
import { DatabaseModule } from '../src/database/database.module';
import { LiveChatMessage, LiveChatMessageSchema } from '../src/chat/messages/schemas/live-chat-message.schema';
import { dayKeyOf } from '../src/common/time/day-key';
import { LiveChatSession, LiveChatSessionSchema, SESSION_PRIORITIES } from '../src/chat/sessions/schemas/live-chat-session.schema';
import { SessionCount, SessionCountSchema } from '../src/chat/sessions/schemas/session-count.schema';
import { sessionCountKey } from '../src/chat/sessions/session-counts';
import { searchKeys } from '../src/chat/sessions/session-search';
import { cliConfig, runCli } from './cli';
import { DEPARTMENTS } from '../src/common/domain/departments';

const USAGE = 'Usage: npm run seed:demo -- --sessions <n> [--days 90] [--agents 8] [--batch 1000] [--seed <int>]';

interface SeedOptions {
  sessions: number;
  days: number;
  agents: number;
  batch: number;
  seed: number;
}

/** Every model, so that their indexes exist before the bulk load. */
@Module({
  imports: [
    cliConfig(),
    DatabaseModule,
    MongooseModule.forFeature([
      { name: Agent.name, schema: AgentSchema },
      { name: LiveChatSession.name, schema: LiveChatSessionSchema },
      { name: LiveChatMessage.name, schema: LiveChatMessageSchema },
      { name: AnalyticsDay.name, schema: AnalyticsDaySchema },
      { name: SessionCount.name, schema: SessionCountSchema },
    ]),
  ],
  providers: [AnalyticsRepository],
})
class SeedModule {}

/** mulberry32: the same --seed gives the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = ['Ava', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya'];
const LAST_NAMES = ['Smith', 'García', 'Okafor', 'Nguyen', 'Müller', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Haddad'];
const GUEST_LINES = ['Hi, I need help with my order', 'My invoice looks wrong', 'How do I reset my password?', 'Is there a discount for teams?', 'The app crashes on start', 'Thanks!', 'Can you check again?', 'Order #{n} has not arrived'];
const AGENT_LINES = ['Hello! Happy to help.', 'Let me check that for you.', 'Could you send a screenshot?', 'I have fixed it on our side.', 'Anything else I can do?', 'I am transferring you to a colleague.'];
const FEEDBACK = ['Great support', 'Quick and friendly', 'Took a while', 'Solved my problem', ''];

interface SeedAgent {
  _id: Types.ObjectId;
  name: string;
}

interface Generated {
  session: Record<string, unknown>;
  messages: Record<string, unknown>[];
}

/** One session with its messages, as the services would have written them. */
function generateSession(rnd: () => number, index: number, agents: SeedAgent[], window: { from: number; to: number }, timeZone: string): Generated {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const sessionId = `session-seed-${window.to.toString(36)}-${index}-${Math.floor(rnd() * 1e9).toString(36)}`;
  const startedAt = new Date(window.from + Math.floor(rnd() * (window.to - window.from)));
  const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${index}@example.com`;
  let clock = startedAt.getTime();
  const later = (maxMs: number) => new Date((clock += 1000 + Math.floor(rnd() * maxMs)));
  const messages: Record<string, unknown>[] = [];
  const audit: Record<string, unknown>[] = [{ action: 'session.created', actor: 'guest', at: startedAt }];
  const message = (type: 'user' | 'agent' | 'system', content: string, at: Date, agent?: SeedAgent) =>
    messages.push({
      sessionId,
      seq: messages.length + 1,
      type,
      content,
      attachments: [],
      metadata: { isEdited: false, isDeleted: false },
      isRead: true,
      readAt: at,
      clientMessageId: `seed-${sessionId}-${messages.length + 1}`,
      ...(type === 'system' ? { agentName: 'System' } : {}),
      ...(agent ? { agentId: agent._id, agentName: agent.name } : {}),
      createdAt: at,
      updatedAt: at,
    });

  message('system', `Welcome ${name}! A support agent will be with you shortly.`, startedAt);
  message('user', pick(GUEST_LINES).replace('{n}', String(10000 + index)), later(60_000));

  const answered = rnd() < 0.85;
  let agent: SeedAgent | null = null;
  const transfers: Record<string, unknown>[] = [];
  let firstResponseAt: Date | undefined;
  if (answered) {
    agent = pick(agents);
    const assignedAt = later(120_000);
    audit.push({ action: 'session.assigned', actor: agent._id.toString(), at: assignedAt, details: { agentId: agent._id.toString() } });
    firstResponseAt = later(240_000);
    message('agent', pick(AGENT_LINES), firstResponseAt, agent);
    for (let turns = Math.floor(rnd() * 5); turns > 0; turns--) {
      message('user', pick(GUEST_LINES).replace('{n}', String(index)), later(90_000));
      message('agent', pick(AGENT_LINES), later(90_000), agent);
    }
    if (agents.length > 1 && rnd() < 0.1) {
      const to = pick(agents.filter((candidate) => candidate !== agent));
      const at = later(60_000);
      transfers.push({ from: agent._id, to: to._id, reason: 'Needs a specialist', by: agent._id, at });
      audit.push({ action: 'session.transferred', actor: agent._id.toString(), at, details: { from: agent._id.toString(), to: to._id.toString() } });
      agent = to;
      message('agent', 'Hi, I am taking over from my colleague.', later(60_000), agent);
    }
  }

  const roll = rnd();
  const status = roll < 0.7 ? 'closed' : roll < 0.75 ? 'archived' : answered ? 'active' : 'pending';
  const closed = status === 'closed' || status === 'archived';
  // Half of the open chats end with guest messages no agent has read yet.
  const unread = !closed && rnd() < 0.5 ? 1 + Math.floor(rnd() * 2) : 0;
  for (let i = 0; i < unread; i++) {
    message('user', pick(GUEST_LINES).replace('{n}', String(index)), later(60_000));
    const last = messages[messages.length - 1];
    last.isRead = false;
    delete last.readAt;
  }
  const endedAt = closed ? later(300_000) : undefined;
  if (endedAt) audit.push({ action: 'session.ended', actor: 'guest', at: endedAt });
  const rating = closed && rnd() < 0.55 ? { score: pick([1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5]), feedback: pick(FEEDBACK) || undefined, ratedAt: later(60_000) } : undefined;
  if (rating) audit.push({ action: 'session.rated', actor: 'guest', at: rating.ratedAt, details: { score: rating.score } });
  const notes = agent && rnd() < 0.2 ? [{ _id: new Types.ObjectId(), content: 'Customer is on the premium plan', addedBy: agent._id, addedAt: later(60_000) }] : [];
  const last = messages[messages.length - 1];
  const updatedAt = new Date(clock);

  const session = {
    _id: sessionId,
    sessionId,
    ...searchKeys({ name, email }),
    user: { name, email, emailNormalized: email, metadata: { userAgent: 'Mozilla/5.0 (seed)', ipAddress: `10.0.${index % 250}.${(index >> 8) % 250}`, pageUrl: 'https://example.com/pricing' } },
    status,
    priority: pick(SESSION_PRIORITIES),
    department: pick(DEPARTMENTS),
    assignedAgent: agent?._id ?? null,
    ...(agent ? { agentName: agent.name } : {}),
    tags: [],
    lastMessage: { content: last.content, type: last.type, timestamp: last.createdAt },
    messageCount: messages.length,
    unreadCount: unread,
    lastSeq: messages.length,
    startedAt,
    ...(endedAt ? { endedAt } : {}),
    ...(firstResponseAt ? { firstResponseAt, firstResponseMs: firstResponseAt.getTime() - startedAt.getTime() } : {}),
    ...(rating ? { rating: { score: rating.score, ...(rating.feedback ? { feedback: rating.feedback } : {}), ratedAt: rating.ratedAt } } : {}),
    notes,
    transfers,
    audit,
    dayKey: dayKeyOf(startedAt, timeZone),
    rated: rating ? 1 : 0,
    ratingScore: rating?.score ?? 0,
    closed: closed ? 1 : 0,
    createdAt: startedAt,
    updatedAt,
  };
  return { session, messages };
}

/** The demo agents (support role, no password: they show up in lists, assignments and analytics). */
async function ensureAgents(connection: Connection, count: number): Promise<SeedAgent[]> {
  const agents: SeedAgent[] = [];
  for (let i = 0; i < count; i++) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length];
    const lastName = `${LAST_NAMES[i % LAST_NAMES.length]}${i >= LAST_NAMES.length ? ` ${i}` : ''}`;
    const email = `demo.agent.${i + 1}@example.com`;
    const now = new Date();
    await connection.collection('agents').updateOne(
      { email },
      {
        $setOnInsert: {
          firstName,
          lastName,
          email,
          role: 'support',
          avatar: null,
          departments: [],
          maxConcurrentChats: 5,
          availability: 'offline',
          active: true,
          source: 'local',
          lastLoginAt: null,
          tokensNotBefore: null,
          createdAt: now,
          updatedAt: now,
        },
      },
      { upsert: true },
    );
    const stored = await connection.collection('agents').findOne({ email });
    agents.push({ _id: stored!._id as Types.ObjectId, name: `${stored!.firstName} ${stored!.lastName}`.trim() });
  }
  return agents;
}

function parse(): SeedOptions {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string' },
      days: { type: 'string', default: '90' },
      agents: { type: 'string', default: '8' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    },
    strict: true,
  });
  const options = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)])) as unknown as SeedOptions;
  const valid = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!valid(options.sessions, 1) || !valid(options.days, 1) || !valid(options.agents, 1) || !valid(options.batch, 1) || !valid(options.seed, 0)) {
    throw new Error('--sessions, --days, --agents and --batch must be positive integers, --seed a non-negative one');
  }
  return options;
}

async function seed(connection: Connection, rollups: AnalyticsRepository, options: SeedOptions, timeZone: string, log: (line: string) => void): Promise<void> {
  const rnd = random(options.seed);
  const agents = await ensureAgents(connection, options.agents);
  // Sessions start at least an hour ago, so that their conversations (up to ~35 minutes) are over by now.
  const to = Date.now() - 3_600_000;
  const window = { from: to - options.days * 86_400_000, to };
  const days = new Set<string>();
  const started = Date.now();
  let messageTotal = 0;
  for (let done = 0; done < options.sessions; ) {
    const size = Math.min(options.batch, options.sessions - done);
    const sessions: Record<string, unknown>[] = [];
    const messages: Record<string, unknown>[] = [];
    const totals = new Map<string, MergedDayDelta>();
    const counts = new Map<string, Record<string, number>>();
    for (let i = 0; i < size; i++) {
      const generated = generateSession(rnd, done + i, agents, window, timeZone);
      sessions.push(generated.session);
      messages.push(...generated.messages);
      accumulateNewSession(totals, generated.session as unknown as LiveChatSession);
      const counted = generated.session as unknown as LiveChatSession;
      const row = counts.get(sessionCountKey(counted)) ?? {};
      row[counted.status] = (row[counted.status] ?? 0) + 1;
      counts.set(sessionCountKey(counted), row);
    }
    await connection.collection('livechatsessions').insertMany(sessions, { ordered: false });
    await connection.collection('livechatmessages').insertMany(messages, { ordered: false });
    // Each batch's rollups and status counts right after it: an interrupted seed leaves them consistent.
    for (const [key, row] of counts) await connection.collection('sessioncounts').updateOne({ _id: key as never }, { $inc: row }, { upsert: true });
    for (const [day, delta] of totals) {
      await rollups.applyDelta(day, delta);
      days.add(day);
    }
    done += size;
    messageTotal += messages.length;
    const seconds = (Date.now() - started) / 1000;
    log(`${done}/${options.sessions} sessions, ${messageTotal} messages, ${Math.round(done / seconds)} sessions/s`);
  }
  log(`Done: ${options.sessions} sessions, ${messageTotal} messages, ${agents.length} agents, ${days.size} analytics days in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

runCli({
  usage: USAGE,
  failure: 'Seeding failed',
  parse,
  module: SeedModule,
  async run(app, options: SeedOptions) {
    const connection = app.get<Connection>(getConnectionToken());
    await Promise.all(Object.values(connection.models).map((model) => model.init()));
    const timeZone = app.get<ConfigService<Env, true>>(ConfigService).get('ANALYTICS_TIMEZONE', { infer: true });
    await seed(connection, app.get(AnalyticsRepository), options, timeZone, (line) => console.log(line));
  },
});
