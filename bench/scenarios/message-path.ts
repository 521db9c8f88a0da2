/**
 * Message path: guests POST messages while agent dashboards (admin sockets) receive `user_message`.
 * Closed loop: `concurrency` guests, each in its own session, each sending `messagesPerWorker`
 * messages, the next once the previous POST has answered. Open loop: `messagesPerWorker ×
 * concurrency` messages sent at a fixed rate whatever the answers, round-robin over the sessions;
 * latency counts from the scheduled send time, so a slow server cannot hide its queueing (no
 * coordinated omission). Rounds send a fixed number of messages, not for a fixed time: on FerretDB
 * every query scans its collection, so both sides must face collections of the same size.
 * Latency: from the POST's start to the dashboard's receipt. Every accepted message must reach every
 * dashboard exactly once, and each session's messages in order (by `seq` when the event carries it,
 * else by the guest's own counter in the closed loop).
 */
import { WebSocket } from 'ws';
import { ChatClient, GuestSession } from '../lib/chat-client';
import { cpuMsIfLocal } from '../lib/proc';
import { ServerProcess } from '../lib/servers';
import { summarize, LatencySummary } from '../lib/stats';
import { closeAll, inParallel, openSocket } from '../lib/ws-clients';

export interface MessagePathOptions {
  concurrency: number;
  messagesPerWorker: number;
  dashboards: number;
  /** Messages per second for the open loop; closed loop when absent. */
  rate?: number;
  /** Measures CPU of this process too (the database server), when known. */
  databasePid?: number;
}

export interface MessagePathResult {
  sent: number;
  errors: number;
  firstError?: string;
  delivered: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  orderCheckedBy: 'seq' | 'sender counter' | 'none';
  msgsPerSec: number;
  deliveredPerSec: number;
  latencyMs: LatencySummary;
  cpuMsPerMessage: number;
  dbCpuMsPerMessage: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const MARKER = /bm\|(\d+)\|(\d+)\|(\d+)\|/;
const SEQ = /"seq":(\d+)/;
const PADDING = 'Hello, I need help with my order, it has not arrived yet.';
let roundCounter = 0;

/** Sessions are created once per server and reused by later rounds. */
const sessionPools = new WeakMap<ChatClient, GuestSession[]>();
export async function sessionPool(client: ChatClient, count: number): Promise<GuestSession[]> {
  const pool = sessionPools.get(client) ?? [];
  sessionPools.set(client, pool);
  while (pool.length < count) pool.push(...(await inParallel(count - pool.length, 8, () => client.createSession('m'))));
  return pool.slice(0, count);
}

export async function runMessagePath(server: ServerProcess, client: ChatClient, options: MessagePathOptions): Promise<MessagePathResult> {
  const round = ++roundCounter;
  const sessions = await sessionPool(client, options.concurrency);
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let outOfOrder = 0;
  let seqSeen = false;
  let lastReceipt = performance.now();
  const lastByDashboard = Array.from({ length: options.dashboards }, () => new Map<number, { n: number; seq: number }>());

  const onFrame = (dashboard: number) => (frame: string) => {
    const now = performance.now();
    const marker = MARKER.exec(frame);
    if (!marker || Number(marker[1]) !== round || !frame.includes('user_message')) return;
    lastReceipt = now;
    const worker = Number(marker[2]);
    const n = Number(marker[3]);
    const key = `${worker}|${n}`;
    const started = startedAt.get(key);
    const id = `${dashboard}|${key}`;
    if (seen.has(id)) return void duplicates++;
    seen.add(id);
    if (started !== undefined) latencies.push(now - started);
    const seqMatch = SEQ.exec(frame);
    const seq = seqMatch ? Number(seqMatch[1]) : -1;
    if (seqMatch) seqSeen = true;
    const last = lastByDashboard[dashboard].get(worker);
    if (last && (seq >= 0 ? seq <= last.seq : options.rate === undefined && n <= last.n)) outOfOrder++;
    lastByDashboard[dashboard].set(worker, { n, seq });
  };

  const adminUrl = await client.adminSocketUrl();
  const dashboards: WebSocket[] = await inParallel(options.dashboards, 16, (i) => openSocket(adminUrl, onFrame(i)));
  let sent = 0;
  let errors = 0;
  let firstError: string | undefined;
  const counters = new Array<number>(options.concurrency).fill(0);
  const send = async (worker: number, scheduledAt?: number) => {
    const n = ++counters[worker];
    const key = `${worker}|${n}`;
    startedAt.set(key, scheduledAt ?? performance.now());
    const res = await client.postMessage(sessions[worker], `bm|${round}|${worker}|${n}| ${PADDING}`).catch((err: Error) => ({ status: 0, body: err.message }));
    if (res.status === 201) sent++;
    else {
      errors++;
      firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
      startedAt.delete(key);
    }
  };

  const cpu0 = server.cpuMs();
  const db0 = cpuMsIfLocal(options.databasePid);
  await server.eventLoopDelay('reset');
  const t0 = performance.now();
  if (options.rate === undefined) {
    await Promise.all(
      sessions.map(async (_session, worker) => {
        for (let i = 0; i < options.messagesPerWorker; i++) await send(worker);
      }),
    );
  } else {
    const interval = 1000 / options.rate;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < options.messagesPerWorker * options.concurrency; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = send(i % options.concurrency, due).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  const sendingMs = performance.now() - t0;
  const expected = sent * options.dashboards;
  // Wait for the last deliveries: until all arrived, or nothing arrived for 3 s.
  while (seen.size < expected && performance.now() - lastReceipt < 3000) await new Promise((r) => setTimeout(r, 20));
  const eld = await server.eventLoopDelay('read');
  const cpu = server.cpuMs() - cpu0;
  const dbCpu = cpuMsIfLocal(options.databasePid) - db0;
  await closeAll(dashboards);

  return {
    sent,
    errors,
    firstError,
    delivered: seen.size,
    lost: expected - Math.min(expected, seen.size),
    duplicates,
    outOfOrder,
    orderCheckedBy: seqSeen ? 'seq' : options.rate === undefined ? 'sender counter' : 'none',
    msgsPerSec: (sent * 1000) / sendingMs,
    deliveredPerSec: (seen.size * 1000) / sendingMs,
    latencyMs: summarize(latencies),
    cpuMsPerMessage: cpu / Math.max(1, sent),
    dbCpuMsPerMessage: dbCpu / Math.max(1, sent),
    eventLoopDelayMs: eld,
  };
}
