/**
 * Data at scale: `npm run seed:demo -- --sessions N` into its own database, then a service started
 * on it, then the dashboard's read endpoints one request at a time (what one agent waits for):
 * session lists with filters, search and a deep page, customer history, session details, analytics.
 * Each endpoint gets up to `requests` requests but no new one after `budgetMs`; a request unanswered after
 * 5 minutes counts as an error (status 0): at 100,000 sessions one FerretDB list scan takes tens of seconds.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatClient } from '../lib/chat-client';
import { REPO_ROOT, ServerProcess } from '../lib/servers';
import { LatencySummary, summarize } from '../lib/stats';

export interface DataAtScaleResult {
  sessions: number;
  seedMs: number;
  skipped?: string;
  /** The unfiltered list's total, pages and statusCounts matched the seeded sessions. */
  exact?: boolean;
  endpoints: Array<{ name: string; path: string; errors: number; lastStatus: number; latencyMs: LatencySummary }>;
}

function seed(mongodbUri: string, sessions: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'seed:demo', '--', '--sessions', String(sessions)], {
      cwd: REPO_ROOT,
      env: { ...process.env, MONGODB_URI: mongodbUri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code) => {
      log(`  seed:demo: ${output.trim().split('\n').slice(-2).join(' | ')}`);
      if (code === 0) resolve();
      else reject(new Error(`seed:demo exited with ${code}: ${output.trim()}`));
    });
  });
}

export async function runDataAtScale(options: {
  mongodbUri: string;
  sessions: number;
  requests: number;
  /** No new request to an endpoint after this long. */
  budgetMs: number;
  startService: (mongodbUri: string) => Promise<ServerProcess>;
  client: (server: ServerProcess) => ChatClient;
  log: (line: string) => void;
}): Promise<DataAtScaleResult> {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  if (!scripts['seed:demo']) return { sessions: options.sessions, seedMs: Number.NaN, skipped: 'no seed:demo script', endpoints: [] };

  const t0 = performance.now();
  await seed(options.mongodbUri, options.sessions, options.log);
  const seedMs = performance.now() - t0;
  options.log(`  seeded ${options.sessions} sessions in ${(seedMs / 1000).toFixed(1)} s`);

  const server = await options.startService(options.mongodbUri);
  const client = options.client(server);
  try {
    const token = await client.agentToken();
    type Listed = {
      data?: Array<{ sessionId: string; assignedAgent?: string | { _id?: string; id?: string } | null; user?: { name?: string; email?: string } }>;
      total?: number;
      pages?: number;
      statusCounts?: Record<string, number>;
    };
    const first = await client.http
      .json<Listed>('GET', '/api/admin/live-chat/sessions?page=1&limit=20', { token, timeoutMs: 300_000 })
      .catch(() => ({ status: 0, body: undefined as Listed | undefined }));
    const sample = first.body?.data?.find((s) => s.user?.email) ?? first.body?.data?.[0];
    if (!sample) options.log(`  admin list unavailable (${first.status}): the endpoints that need a sample session are skipped`);
    const email = sample?.user?.email;
    const searchTerm = (sample?.user?.name ?? 'a').slice(0, 4);
    const assigned = first.body?.data?.map((s) => s.assignedAgent).find((agent) => agent);
    const agentId = typeof assigned === 'string' ? assigned : (assigned?._id ?? assigned?.id);
    // Exact, as the spec defines them: every seeded session counted once, pages of 20.
    const counts = first.body?.statusCounts ?? {};
    const exact = first.body?.total === options.sessions && first.body?.pages === Math.ceil(options.sessions / 20) && Object.values(counts).reduce((a, b) => a + b, 0) === options.sessions;
    options.log(`  unfiltered total ${first.body?.total}, pages ${first.body?.pages}, statusCounts ${JSON.stringify(counts)}: ${exact ? 'exact' : 'NOT exact'}`);
    const list = (query: string) => `/api/admin/live-chat/sessions?${query}`;
    const now = new Date();
    const monthAgo = new Date(now.getTime() - 30 * 86400_000);
    const endpoints: Array<[string, string | undefined, number]> = [
      ['list', list('page=1&limit=20'), options.requests],
      ['list page 100', list('page=100&limit=20'), options.requests],
      ['list status', list('status=active&limit=20'), options.requests],
      ['list department', list('department=sales&limit=20'), options.requests],
      ['list priority', list('priority=high&limit=20'), options.requests],
      ['list assignedAgent', agentId && list(`assignedAgent=${agentId}&limit=20`), options.requests],
      ['list unassigned', list('assignedAgent=unassigned&limit=20'), options.requests],
      ['list 3 filters', list('status=closed&department=sales&priority=high&limit=20'), options.requests],
      ['list all filters', agentId && list(`status=closed&department=sales&priority=high&assignedAgent=${agentId}&limit=20`), options.requests],
      ['list search name', list(`search=${encodeURIComponent(searchTerm)}&limit=20`), options.requests],
      ['list search email', email && list(`search=${encodeURIComponent(email.slice(0, 6))}&limit=20`), options.requests],
      ['list search sessionId', sample && list(`search=${encodeURIComponent(sample.sessionId)}&limit=20`), options.requests],
      ['customer history', email && `/api/admin/live-chat/customers/${encodeURIComponent(email)}/history`, options.requests],
      ['session details', sample && `/api/admin/live-chat/sessions/${encodeURIComponent(sample.sessionId)}`, options.requests],
      ['analytics 30 days', `/api/admin/live-chat/analytics?startDate=${monthAgo.toISOString()}&endDate=${now.toISOString()}`, Math.min(10, options.requests)],
      ['analytics 365 days', `/api/admin/live-chat/analytics?startDate=${new Date(now.getTime() - 365 * 86400_000).toISOString()}&endDate=${now.toISOString()}`, Math.min(10, options.requests)],
    ];
    const results: DataAtScaleResult['endpoints'] = [];
    for (const [name, path, count] of endpoints) {
      if (!path) continue;
      const latencies: number[] = [];
      let errors = 0;
      let lastStatus = 0;
      const began = performance.now();
      // At most `count` requests, and no new one after the budget (on FerretDB a list scans every session).
      for (let i = 0; i < count && errors < 3 && performance.now() - began < options.budgetMs; i++) {
        const start = performance.now();
        const res = await client.http.send('GET', path, { token, timeoutMs: 300_000 }).catch(() => ({ status: 0 }));
        lastStatus = res.status;
        if (res.status === 200) latencies.push(performance.now() - start);
        else errors++;
      }
      const latencyMs = summarize(latencies);
      options.log(`  ${name}: p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms, errors ${errors} (last status ${lastStatus})`);
      results.push({ name, path, errors, lastStatus, latencyMs });
    }
    return { sessions: options.sessions, seedMs, exact, endpoints: results };
  } finally {
    client.close();
    await server.stop();
  }
}
