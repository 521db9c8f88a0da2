/**
 * `npm run bench` (full) / `npm run bench:quick` (a few minutes): the service and raw baselines in
 * one run, on one database server, alternating A B B A per scenario; prints medians and ratios and
 * writes bench/results/latest.json. See docs/performance.md for the method.
 *
 * Options: --quick, --only=message,http,fanout,connections,dbscaling,scale (default: all),
 * --scale-sessions=N, --sockets=N, --storm=N, --watchers=10,100 (the fan-out's watcher counts),
 * --connections-once (A B instead of A B B A),
 * --out=<file> (in bench/results/, default latest.json),
 * --profile[=service|raw] (only a CPU profile of one side's message path; with --profile-path=reply, of
 * an agent's replies to a watched session). Env: MONGODB_URI (else an embedded FerretDB is started), BENCH_SERVICE_ENV
 * (extra `K=V,K=V` for the service; a value may contain `=`).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddedDatabase } from '../src/database/embedded-database';
import { ChatClient } from './lib/chat-client';
import { CpuProfile, summarizeProfile } from './lib/cpu-profile';
import { findPidByCmdline } from './lib/proc';
import { absolute, compare, formatTable, Row } from './lib/report';
import { BUILD_ROOT, REPO_ROOT, ServerProcess } from './lib/servers';
import { median } from './lib/stats';
import { runConnections } from './scenarios/connections';
import { runDatabaseScaling } from './scenarios/database-scaling';
import { runDataAtScale } from './scenarios/data-at-scale';
import { runFanOut } from './scenarios/fan-out';
import { runHttp } from './scenarios/http-overhead';
import { runMessagePath, sessionPool } from './scenarios/message-path';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const only = new Set((flag('only') ?? 'message,http,fanout,connections,dbscaling,scale').split(','));

// Rounds send fixed numbers of messages (not fixed durations) so that both sides' collections grow
// alike: on FerretDB every query scans its collection (docs/performance.md).
const PROFILE = quick
  ? { closed: { 1: 100, 16: 10, 64: 3 } as Record<number, number>, openLoopFractions: [0.5], openLoopPerWorker: 3, openLoopCycles: 1, dashboardsPerWorker: 4, fanOutWatchers: [10, 100, 500], fanOutReplies: 40, fanOutDeliveries: 2_000, httpMs: 2000, httpConcurrency: 32, sockets: 300, storm: 150, scaleSessions: 1000, scaleRequests: 5, scaleBudgetMs: 10_000, profileMessagesPerWorker: 10, dbScalingSteps: [1000, 3000] }
  : { closed: { 1: 200, 16: 25, 64: 8 } as Record<number, number>, openLoopFractions: [0.25, 0.5, 0.75], openLoopPerWorker: 15, openLoopCycles: 2, dashboardsPerWorker: 10, fanOutWatchers: [10, 100, 1000], fanOutReplies: 100, fanOutDeliveries: 10_000, httpMs: 4000, httpConcurrency: 32, sockets: 10000, storm: 5000, scaleSessions: 100000, scaleRequests: 20, scaleBudgetMs: 30_000, profileMessagesPerWorker: 40, dbScalingSteps: [1000, 5000, 20000] };
const scaleSessions = Number(flag('scale-sessions') ?? PROFILE.scaleSessions);
const sockets = Number(flag('sockets') ?? PROFILE.sockets);
const storm = Number(flag('storm') ?? PROFILE.storm);
const fanOutWatchers = flag('watchers')?.split(',').map(Number) ?? PROFILE.fanOutWatchers;
const connectionsOnce = args.includes('--connections-once');

const JWT_SECRET = 'bench-only-jwt-secret-0123456789abcdef0123456789';
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password-123' };

/** The client of a service process (it logs in as the bench admin) and of a raw server (it signs its own tokens). */
const serviceClientOf = (server: ServerProcess) => new ChatClient(server.baseUrl, server.wsUrl, JWT_SECRET, ADMIN);
const rawClientOf = (server: ServerProcess) => new ChatClient(server.baseUrl, server.wsUrl, JWT_SECRET);

/** The database URI with its database name replaced. */
function databaseUri(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

function serviceEnv(mongodbUri: string, dataDir: string): Record<string, string> {
  const extra = Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(',').filter(Boolean).map((kv) => kv.split(/=(.*)/s, 2) as [string, string]));
  return {
    NODE_ENV: 'production',
    MONGODB_URI: mongodbUri,
    DATA_DIR: dataDir,
    JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    CORS_ORIGINS: 'https://bench.example.com',
    LOG_LEVEL: 'info',
    // Every limit stays switched on, raised out of the benchmark's way (all load comes from one IP).
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_MAX: '1000000000',
    RATE_LIMIT_MESSAGES_MAX: '1000000000',
    SESSIONS_PER_IP_PER_HOUR: '1000000000',
    LOGIN_MAX_ATTEMPTS: '1000',
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
    ...extra,
  };
}

interface Side<T> {
  name: string;
  run: () => Promise<T>;
}

/**
 * Runs the sides in the order A B B A (A B C C B A for three), or only A B when `once`, `cycles`
 * times over, and returns each side's results.
 */
async function alternate<T>(label: string, sides: Side<T>[], log: (line: string) => void, once = false, cycles = 1): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(sides.map((s) => [s.name, []]));
  const order = once ? sides : [...sides, ...[...sides].reverse()];
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (const side of order) {
      const result = await side.run();
      results.get(side.name)!.push(result);
      log(`  ${label} ${side.name}: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}`);
    }
  }
  return results;
}

async function main(): Promise<void> {
  const started = new Date();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const work = await mkdtemp(join(tmpdir(), 'live-chat-bench-'));
  const stamp = started.toISOString().replace(/\D/g, '').slice(0, 14);
  let database: EmbeddedDatabase | undefined;
  const servers: ServerProcess[] = [];
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const cleanup = async () => {
    for (const server of servers.splice(0)) await server.stop().catch(() => undefined);
    await database?.stop();
    await rm(work, { recursive: true, force: true });
  };
  // Ctrl-C or a kill stops every child (servers, database) before exiting.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    let baseUri = process.env.MONGODB_URI;
    let databasePid: number | undefined;
    if (!baseUri) {
      database = new EmbeddedDatabase({ dataDir: join(work, 'db'), port: 0, binaryPath: process.env.FERRETDB_BIN, log });
      baseUri = await database.start();
      databasePid = findPidByCmdline(`--listen-addr=127.0.0.1:${new URL(baseUri).port}`);
    }
    log(`database: ${database ? `embedded FerretDB (SQLite) ${baseUri}` : 'MONGODB_URI'}; quick=${quick}`);

    const startService = (name: string) =>
      ServerProcess.start(name, join(BUILD_ROOT, 'src', 'main.js'), serviceEnv(databaseUri(baseUri, `bench_service_${stamp}`), join(work, 'service')), { cwd: work });
    const rawDb = databaseUri(baseUri, `bench_raw_${stamp}`);
    const startRaw = (name: string) => ServerProcess.start(name, join(BUILD_ROOT, 'bench', 'baselines', 'raw-chat-server.js'), { MONGODB_URI: rawDb, JWT_SECRET });
    const service = await startService('service');
    servers.push(service);
    const rawChat = await startRaw('raw');
    servers.push(rawChat);
    const serviceClient = serviceClientOf(service);
    const rawClient = rawClientOf(rawChat);
    log(`service pid ${service.pid} (${service.rssKb()} kB), raw pid ${rawChat.pid} (${rawChat.rssKb()} kB), database pid ${databasePid ?? '?'}`);

    const pair = <T>(run: (server: ServerProcess, client: ChatClient) => Promise<T>): Side<T>[] => [
      { name: 'service', run: () => run(service, serviceClient) },
      { name: 'raw', run: () => run(rawChat, rawClient) },
    ];
    const pick = <T, V>(results: Map<string, T[]>, name: string, f: (r: T) => V) => (results.get(name) ?? []).map(f);

    // A failed scenario is reported and the run goes on with the next one.
    const failures: Record<string, string> = {};
    const scenario = async (name: string, body: () => Promise<void>) => {
      if (!only.has(name)) return;
      try {
        await body();
      } catch (err) {
        failures[name] = (err as Error).message;
        log(`scenario ${name} FAILED: ${(err as Error).stack ?? String(err)}`);
        for (const server of servers) {
          try {
            server.assertAlive();
          } catch (dead) {
            failures[name] += ` | ${(dead as Error).message}`;
            log((dead as Error).message);
          }
        }
      }
    };

    const profiled = flag('profile') ?? (args.includes('--profile') ? 'service' : undefined);
    if (profiled) {
      // A CPU profile of one side: one closed-loop message-path round (c=16), or with
      // --profile-path=reply an agent replying to a session 10 guest sockets watch (the fan-out).
      const [server, client] = profiled === 'raw' ? [rawChat, rawClient] : [service, serviceClient];
      const replyPath = flag('profile-path') === 'reply';
      const profiledRound = async () => {
        if (!replyPath) return (await runMessagePath(server, client, { concurrency: 16, messagesPerWorker: PROFILE.profileMessagesPerWorker, dashboards: 1 })).sent;
        return (await runFanOut(server, client, { watchers: 10, replies: PROFILE.fanOutReplies * 3 })).replies;
      };
      await profiledRound();
      const path = resolve(REPO_ROOT, 'bench', 'results', `${server.name}-${replyPath ? 'reply' : 'message'}-path-${stamp}.cpuprofile`);
      await server.profile('start');
      const sent = await profiledRound();
      await server.profile('stop', path);
      const summary = summarizeProfile(JSON.parse(await readFile(path, 'utf8')) as CpuProfile);
      log(`profiled ${sent} messages, ${summary.totalMs.toFixed(0)} ms of CPU (${(summary.totalMs / sent).toFixed(2)} ms/msg): ${path}`);
      log('self time by package:');
      for (const [name, ms] of summary.byPackage) log(`  ${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%  ${(ms / sent).toFixed(3)} ms/msg  ${name}`);
      log('self time by function:');
      for (const [name, ms] of summary.byFunction) log(`  ${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%  ${name}`);
      return;
    }

    await scenario('http', async () => {
      log('HTTP overhead');
      const express = await ServerProcess.start('express', join(BUILD_ROOT, 'bench', 'baselines', 'raw-express-server.js'), { MONGODB_URI: rawDb });
      servers.push(express);
      // First, while the collections are small (on FerretDB a read scans them): one session with 30
      // messages on each side; Express reads the raw server's database.
      const serviceSession = (await sessionPool(serviceClient, 1))[0];
      const rawSession = (await sessionPool(rawClient, 1))[0];
      for (const [client, session] of [[serviceClient, serviceSession], [rawClient, rawSession]] as const) {
        for (let i = 0; i < 30; i++) await client.postMessage(session, `history message ${i}`);
      }
      const opts = { concurrency: PROFILE.httpConcurrency, durationMs: PROFILE.httpMs };
      for (const [label, servicePath, rawPath, token, rawToken] of [
        ['GET /health', '/health', '/health', undefined, undefined],
        ['GET messages', serviceClient.messagesPath(serviceSession), rawClient.messagesPath(rawSession), serviceSession.guestToken, rawSession.guestToken],
      ] as const) {
        const results = await alternate(label, [
          { name: 'service', run: () => runHttp(service.baseUrl, servicePath, { ...opts, token }) },
          { name: 'express', run: () => runHttp(express.baseUrl, rawPath, { ...opts, token: rawToken }) },
          { name: 'node:http', run: () => runHttp(rawChat.baseUrl, rawPath, { ...opts, token: rawToken }) },
        ], log);
        raw[`http ${label}`] = Object.fromEntries(results);
        const rps = (name: string) => pick(results, name, (r) => r.requestsPerSec);
        const p99 = (name: string) => pick(results, name, (r) => r.latencyMs.p99);
        rows.push(compare(`http ${label}`, 'req/s', rps('service'), rps('express'), 'express', { kind: 'min', value: 0.8 }));
        rows.push(compare(`http ${label}`, 'req/s', rps('service'), rps('node:http'), 'node:http'));
        rows.push(compare(`http ${label}`, 'p99 ms', p99('service'), p99('express'), 'express'));
        rows.push(absolute(`http ${label}`, 'errors (service)', pick(results, 'service', (r) => r.errors), { text: '= 0', ok: (v) => v === 0 }));
      }
    });

    await scenario('message', async () => {
      log('message path (closed loop)');
      // Warm-up (JIT, connection pools), not recorded.
      for (const side of pair((s, c) => runMessagePath(s, c, { concurrency: 16, messagesPerWorker: 5, dashboards: 1 }))) await side.run();
      // The open-loop rates are fractions of the baseline's closed-loop throughput over the same 64
      // sessions (on FerretDB throughput depends on how many sessions there are to scan).
      let rawThroughput = Number.NaN;
      for (const [concurrency, messagesPerWorker] of Object.entries(PROFILE.closed).map(([c, n]) => [Number(c), n])) {
        const label = `closed c=${concurrency}`;
        const results = await alternate(label, pair((s, c) => runMessagePath(s, c, { concurrency, messagesPerWorker, dashboards: 1, databasePid })), log);
        raw[`message ${label}`] = Object.fromEntries(results);
        const num = (name: string, f: (r: Awaited<ReturnType<typeof runMessagePath>>) => number) => pick(results, name, f);
        rows.push(compare('message ' + label, 'msgs/s', num('service', (r) => r.msgsPerSec), num('raw', (r) => r.msgsPerSec), 'raw', { kind: 'min', value: 0.6 }));
        rows.push(compare('message ' + label, 'p50 ms', num('service', (r) => r.latencyMs.p50), num('raw', (r) => r.latencyMs.p50), 'raw'));
        rows.push(compare('message ' + label, 'p95 ms', num('service', (r) => r.latencyMs.p95), num('raw', (r) => r.latencyMs.p95), 'raw'));
        rows.push(compare('message ' + label, 'p99 ms', num('service', (r) => r.latencyMs.p99), num('raw', (r) => r.latencyMs.p99), 'raw', { kind: 'max', value: 2 }));
        rows.push(compare('message ' + label, 'CPU ms/msg', num('service', (r) => r.cpuMsPerMessage), num('raw', (r) => r.cpuMsPerMessage), 'raw', { kind: 'max', value: 2 }));
        rows.push(compare('message ' + label, 'DB CPU ms/msg', num('service', (r) => r.dbCpuMsPerMessage), num('raw', (r) => r.dbCpuMsPerMessage), 'raw'));
        rows.push(compare('message ' + label, 'event-loop p99 ms', num('service', (r) => r.eventLoopDelayMs.p99), num('raw', (r) => r.eventLoopDelayMs.p99), 'raw'));
        rows.push(absolute('message ' + label, 'lost+dup+disorder (service)', num('service', (r) => r.lost + r.duplicates + r.outOfOrder), { text: '= 0', ok: (v) => v === 0 }));
        rows.push(absolute('message ' + label, 'lost+dup+disorder (raw)', num('raw', (r) => r.lost + r.duplicates + r.outOfOrder), { text: '= 0', ok: (v) => v === 0 }));
        if (concurrency === 64) rawThroughput = median(num('raw', (r) => r.msgsPerSec));
      }
      log('message path (open loop)');
      for (const fraction of PROFILE.openLoopFractions) {
        const rate = Math.max(10, Math.round((Number.isFinite(rawThroughput) ? rawThroughput : 200) * fraction));
        const label = `open ${rate}/s`;
        // A B B A twice: a round lasts 2-5 s, and a database stall of 100-200 ms (either side's, now and
        // then) sets the p99 of the round it lands in; the median of four rounds is not swayed by one.
        const results = await alternate(label, pair((s, c) => runMessagePath(s, c, { concurrency: 64, messagesPerWorker: PROFILE.openLoopPerWorker, dashboards: 1, rate, databasePid })), log, false, PROFILE.openLoopCycles);
        raw[`message ${label}`] = Object.fromEntries(results);
        const num = (name: string, f: (r: Awaited<ReturnType<typeof runMessagePath>>) => number) => pick(results, name, f);
        rows.push(compare('message ' + label, 'p50 ms', num('service', (r) => r.latencyMs.p50), num('raw', (r) => r.latencyMs.p50), 'raw'));
        rows.push(compare('message ' + label, 'p99 ms', num('service', (r) => r.latencyMs.p99), num('raw', (r) => r.latencyMs.p99), 'raw', { kind: 'max', value: 2 }));
        rows.push(compare('message ' + label, 'CPU ms/msg', num('service', (r) => r.cpuMsPerMessage), num('raw', (r) => r.cpuMsPerMessage), 'raw', { kind: 'max', value: 2 }));
        rows.push(compare('message ' + label, 'event-loop p99 ms', num('service', (r) => r.eventLoopDelayMs.p99), num('raw', (r) => r.eventLoopDelayMs.p99), 'raw'));
        rows.push(absolute('message ' + label, 'lost+dup+disorder (service)', num('service', (r) => r.lost + r.duplicates + r.outOfOrder), { text: '= 0', ok: (v) => v === 0 }));
      }
      log('user_message to 50 dashboards');
      const results = await alternate('dashboards=50', pair((s, c) => runMessagePath(s, c, { concurrency: 16, messagesPerWorker: PROFILE.dashboardsPerWorker, dashboards: 50 })), log);
      raw['message dashboards=50'] = Object.fromEntries(results);
      const num = (name: string, f: (r: Awaited<ReturnType<typeof runMessagePath>>) => number) => pick(results, name, f);
      rows.push(compare('fan-out 50 dashboards', 'delivered/s', num('service', (r) => r.deliveredPerSec), num('raw', (r) => r.deliveredPerSec), 'raw', { kind: 'min', value: 0.7 }));
      rows.push(compare('fan-out 50 dashboards', 'p99 ms', num('service', (r) => r.latencyMs.p99), num('raw', (r) => r.latencyMs.p99), 'raw', { kind: 'max', value: 1.5 }));
      rows.push(absolute('fan-out 50 dashboards', 'lost (service)', num('service', (r) => r.lost + r.duplicates), { text: '= 0', ok: (v) => v === 0 }));
    });

    await scenario('fanout', async () => {
      log('fan-out (agent_message to N watchers of one session)');
      // Warm-up of the agent reply path (JIT, the agent's login), not recorded.
      for (const side of pair((s, c) => runFanOut(s, c, { watchers: 10, replies: PROFILE.fanOutDeliveries / 10 }))) await side.run();
      for (const watchers of fanOutWatchers) {
        // At least fanOutDeliveries a round: 100 replies to 10 watchers were a round of 0.4 s.
        const replies = Math.max(PROFILE.fanOutReplies, Math.ceil(PROFILE.fanOutDeliveries / watchers));
        const results = await alternate(`watchers=${watchers}`, pair((s, c) => runFanOut(s, c, { watchers, replies, databasePid })), log);
        raw[`fan-out ${watchers}`] = Object.fromEntries(results);
        const num = (name: string, f: (r: Awaited<ReturnType<typeof runFanOut>>) => number) => pick(results, name, f);
        rows.push(compare(`fan-out ${watchers} watchers`, 'delivered/s', num('service', (r) => r.deliveredPerSec), num('raw', (r) => r.deliveredPerSec), 'raw', { kind: 'min', value: 0.7 }));
        rows.push(compare(`fan-out ${watchers} watchers`, 'p99 ms', num('service', (r) => r.latencyMs.p99), num('raw', (r) => r.latencyMs.p99), 'raw', { kind: 'max', value: 1.5 }));
        rows.push(compare(`fan-out ${watchers} watchers`, 'CPU ms/delivery', num('service', (r) => r.cpuMsPerDelivery), num('raw', (r) => r.cpuMsPerDelivery), 'raw'));
        rows.push(compare(`fan-out ${watchers} watchers`, 'CPU ms/reply', num('service', (r) => r.cpuMsPerReply), num('raw', (r) => r.cpuMsPerReply), 'raw'));
        rows.push(compare(`fan-out ${watchers} watchers`, 'DB CPU ms/reply', num('service', (r) => r.dbCpuMsPerReply), num('raw', (r) => r.dbCpuMsPerReply), 'raw'));
        rows.push(absolute(`fan-out ${watchers} watchers`, 'lost (service)', num('service', (r) => r.lost), { text: '= 0', ok: (v) => v === 0 }));
      }
    });

    await scenario('connections', async () => {
      log(`connections (${sockets} idle guest sockets, storm of ${storm})`);
      // Each round on a fresh process of its side: a process that held the previous round's sockets
      // keeps part of that memory and reuses it, which made RSS per connection anything from 0 to 2× the first round's.
      const onFreshProcess = (start: () => Promise<ServerProcess>, clientOf: (server: ServerProcess) => ChatClient) => async () => {
        const server = await start();
        servers.push(server);
        try {
          return await runConnections(server, clientOf(server), { sockets, socketsPerSession: 5, cycles: 3, storm });
        } finally {
          await server.stop();
          servers.splice(servers.indexOf(server), 1);
        }
      };
      const results = await alternate(
        'connections',
        [
          { name: 'service', run: onFreshProcess(() => startService('service-connections'), serviceClientOf) },
          { name: 'raw', run: onFreshProcess(() => startRaw('raw-connections'), rawClientOf) },
        ],
        log,
        connectionsOnce,
      );
      raw.connections = Object.fromEntries(results);
      const num = (name: string, f: (r: Awaited<ReturnType<typeof runConnections>>) => number) => pick(results, name, f);
      rows.push(compare(`connections ${sockets}`, 'RSS kB/connection', num('service', (r) => r.rssPerConnectionKb), num('raw', (r) => r.rssPerConnectionKb), 'raw', { kind: 'max', value: 2 }));
      rows.push(compare(`connections ${sockets}`, 'heap kB/connection', num('service', (r) => r.heapPerConnectionKb), num('raw', (r) => r.heapPerConnectionKb), 'raw', { kind: 'max', value: 2 }));
      rows.push(compare(`connections ${sockets}`, 'connects/s', num('service', (r) => r.connectsPerSec), num('raw', (r) => r.connectsPerSec), 'raw'));
      rows.push(compare(`connections ${sockets}`, 'RSS after 3 cycles ÷ after 1', num('service', (r) => r.rssGrowthAfterCycles), num('raw', (r) => r.rssGrowthAfterCycles), 'raw'));
      rows.push(absolute(`connections ${sockets}`, 'RSS growth over cycles (service)', num('service', (r) => r.rssGrowthAfterCycles), { text: '≤ 1.10', ok: (v) => v <= 1.1 }));
      rows.push(compare(`reconnect storm ${storm}`, 'ms to reconnect all', num('service', (r) => r.stormMs), num('raw', (r) => r.stormMs), 'raw', { kind: 'max', value: 2 }));
      rows.push(absolute(`connections ${sockets}`, 'refused (service)', num('service', (r) => r.failed), { text: '= 0', ok: (v) => v === 0 }));
    });

    await scenario('dbscaling', async () => {
      log('database lookups vs collection size (no service)');
      const points = await runDatabaseScaling(databaseUri(baseUri, `bench_dbscaling_${stamp}`), PROFILE.dbScalingSteps, 5, log);
      raw.databaseScaling = points;
      for (const point of points) {
        rows.push(absolute(`database ${point.sessions} sessions`, 'findOne({sessionId}) ms', [point.findOneBySessionIdMs]));
        rows.push(absolute(`database ${point.sessions} sessions`, 'findOne({_id}) ms', [point.findOneByIdMs]));
        rows.push(absolute(`database ${point.messages} messages`, '50 messages of a session ms', [point.messagesPageMs]));
      }
    });

    await scenario('scale', async () => {
      log(`data at scale (${scaleSessions} sessions)`);
      const scale = await runDataAtScale({
        mongodbUri: databaseUri(baseUri, `bench_scale_${stamp}`),
        sessions: scaleSessions,
        requests: PROFILE.scaleRequests,
        budgetMs: PROFILE.scaleBudgetMs,
        startService: (uri) => ServerProcess.start('service-scale', join(BUILD_ROOT, 'src', 'main.js'), serviceEnv(uri, join(work, 'scale')), { cwd: work, timeoutMs: 600_000 }),
        client: serviceClientOf,
        log,
      });
      raw.scale = scale;
      for (const endpoint of scale.endpoints) {
        rows.push(absolute(`scale ${scaleSessions}`, `${endpoint.name} p50 ms`, [endpoint.latencyMs.p50]));
        rows.push(absolute(`scale ${scaleSessions}`, `${endpoint.name} p99 ms`, [endpoint.latencyMs.p99], { text: 'status 200', ok: () => endpoint.errors === 0 }));
      }
    });

    const table = formatTable(rows);
    log(`\n${table}`);
    for (const [name, message] of Object.entries(failures)) log(`FAILED ${name}: ${message}`);
    const report = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, loadavgAtEnd: loadavg() },
      database: database ? 'embedded FerretDB 1.24.2 (SQLite), one server for all sides' : 'MONGODB_URI',
      profile: PROFILE,
      failures,
      rows,
      rounds: raw,
    };
    const out = resolve(REPO_ROOT, 'bench', 'results');
    await mkdir(out, { recursive: true });
    const file = flag('out') ?? 'latest.json';
    await writeFile(join(out, file), `${JSON.stringify(report, null, 2)}\n`);
    log(`\nwritten: bench/results/${file}`);
    serviceClient.close();
    rawClient.close();
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
