/**
 * Fan-out: one session watched by `watchers` guest sockets (a guest with many tabs, or a widget
 * embedded many times); an agent replies in a closed loop and every watcher must receive every
 * `agent_message`. Delivered messages per second = replies × watchers ÷ time; latency from the
 * reply's POST start to each watcher's receipt. (The 50-dashboard case, `user_message` to many
 * admin sockets, is the message path with `dashboards: 50`.)
 */
import { WebSocket } from 'ws';
import { ChatClient } from '../lib/chat-client';
import { cpuMsIfLocal } from '../lib/proc';
import { ServerProcess } from '../lib/servers';
import { LatencySummary, summarize } from '../lib/stats';
import { closeAll, inParallel, openSocket } from '../lib/ws-clients';

export interface FanOutResult {
  replies: number;
  errors: number;
  firstError?: string;
  delivered: number;
  lost: number;
  deliveredPerSec: number;
  latencyMs: LatencySummary;
  cpuMsPerDelivery: number;
  /** The server's and the database server's CPU per reply (one reply is `watchers` deliveries). */
  cpuMsPerReply: number;
  dbCpuMsPerReply: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const MARKER = /fo\|(\d+)\|(\d+)\|/;
let roundCounter = 0;

export async function runFanOut(server: ServerProcess, client: ChatClient, options: { watchers: number; replies: number; databasePid?: number }): Promise<FanOutResult> {
  const round = ++roundCounter;
  const session = await client.createSession('f');
  const startedAt: number[] = [];
  const latencies: number[] = [];
  let delivered = 0;
  let lastReceipt = performance.now();
  const onFrame = (frame: string) => {
    const marker = MARKER.exec(frame);
    if (!marker || Number(marker[1]) !== round) return;
    const now = performance.now();
    lastReceipt = now;
    delivered++;
    latencies.push(now - startedAt[Number(marker[2])]);
  };
  const url = client.guestSocketUrl(session);
  const watchers: WebSocket[] = await inParallel(options.watchers, 64, () => openSocket(url, onFrame));
  await client.agentToken();

  let replies = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = server.cpuMs();
  const db0 = cpuMsIfLocal(options.databasePid);
  await server.eventLoopDelay('reset');
  const t0 = performance.now();
  for (let n = 0; n < options.replies; n++) {
    startedAt.push(performance.now());
    const res = await client.reply(session.sessionId, `fo|${round}|${n}| Thanks for waiting, let me check that for you.`).catch((err: Error) => ({ status: 0, body: err.message }));
    if (res.status === 201) replies++;
    else if (++errors >= 10) break;
    else firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
  }
  const sendingMs = performance.now() - t0;
  const expected = replies * options.watchers;
  while (delivered < expected && performance.now() - lastReceipt < 3000) await new Promise((r) => setTimeout(r, 20));
  const eld = await server.eventLoopDelay('read');
  const cpu = server.cpuMs() - cpu0;
  const dbCpu = cpuMsIfLocal(options.databasePid) - db0;
  await closeAll(watchers);
  return {
    replies,
    errors,
    firstError,
    delivered,
    lost: Math.max(0, expected - delivered),
    deliveredPerSec: (delivered * 1000) / sendingMs,
    latencyMs: summarize(latencies),
    cpuMsPerDelivery: cpu / Math.max(1, delivered),
    cpuMsPerReply: cpu / Math.max(1, replies),
    dbCpuMsPerReply: dbCpu / Math.max(1, replies),
    eventLoopDelayMs: eld,
  };
}
