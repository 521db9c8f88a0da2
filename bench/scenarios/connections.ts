/**
 * Connections: idle authenticated guest sockets on one process.
 * - Memory per connection: (memory with `sockets` open − before) ÷ sockets, each read after a full
 *   garbage collection in the server, as RSS and as live heap + external buffers (RSS alone moves
 *   with the allocator's slack: it can even drop while sockets are added); connect rate with at most HANDSHAKES_IN_FLIGHT handshakes in flight.
 * - Leak check: RSS after each of `cycles` connect/disconnect cycles; the last should be within 10%
 *   of the first.
 * - Reconnect storm: `storm` sockets connected, dropped at once (TCP reset, as when a proxy
 *   restarts), then all reconnect at the same moment; time until every one is accepted again (a
 *   refused handshake is retried after 100 ms, as widgets do).
 * Sockets are spread over sessions, `socketsPerSession` each (tabs of one visitor).
 */
import { WebSocket } from 'ws';
import { ChatClient, GuestSession } from '../lib/chat-client';
import { ServerProcess } from '../lib/servers';
import { closeAll, inParallel, openSocket } from '../lib/ws-clients';
import { sessionPool } from './message-path';

export interface ConnectionsResult {
  sockets: number;
  failed: number;
  connectsPerSec: number;
  rssBeforeKb: number;
  rssConnectedKb: number;
  rssPerConnectionKb: number;
  heapPerConnectionKb: number;
  rssAfterCycleKb: number[];
  rssGrowthAfterCycles: number;
  stormSockets: number;
  stormMs: number;
  stormRetries: number;
}

/**
 * Handshakes in flight while connecting. Each costs a session lookup; FerretDB/SQLite collapses under
 * many concurrent queries (200 in flight: ~15-30 connects/s), which would measure only the database.
 */
const HANDSHAKES_IN_FLIGHT = 16;

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connectAll(client: ChatClient, sessions: GuestSession[], count: number, parallel: number) {
  let failed = 0;
  const sockets = await inParallel(count, parallel, (i) =>
    openSocket(client.guestSocketUrl(sessions[i % sessions.length])).catch(() => {
      failed++;
      return undefined;
    }),
  );
  return { sockets: sockets.filter((s): s is WebSocket => s !== undefined), failed };
}

export async function runConnections(server: ServerProcess, client: ChatClient, options: { sockets: number; socketsPerSession: number; cycles: number; storm: number }): Promise<ConnectionsResult> {
  const sessions = await sessionPool(client, Math.ceil(options.sockets / options.socketsPerSession));
  await settle(1000);
  const before = await server.memoryAfterGcKb();
  const rssBeforeKb = before.rss;
  let heapPerConnectionKb = 0;
  const rssAfterCycleKb: number[] = [];
  let connectsPerSec = 0;
  let rssConnectedKb = 0;
  let failed = 0;
  for (let cycle = 0; cycle < options.cycles; cycle++) {
    const t0 = performance.now();
    const connected = await connectAll(client, sessions, options.sockets, HANDSHAKES_IN_FLIGHT);
    const elapsed = performance.now() - t0;
    if (cycle === 0) {
      connectsPerSec = (connected.sockets.length * 1000) / elapsed;
      failed = connected.failed;
      await settle(1000);
      const connectedMemory = await server.memoryAfterGcKb();
      rssConnectedKb = connectedMemory.rss;
      heapPerConnectionKb = (connectedMemory.heap - before.heap) / Math.max(1, connected.sockets.length);
    }
    await closeAll(connected.sockets);
    await settle(1000);
    rssAfterCycleKb.push((await server.memoryAfterGcKb()).rss);
  }

  const first = await connectAll(client, sessions, options.storm, HANDSHAKES_IN_FLIGHT);
  await closeAll(first.sockets, true);
  let stormRetries = 0;
  const t0 = performance.now();
  const stormed = await Promise.all(
    first.sockets.map(async (_unused, i) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await openSocket(client.guestSocketUrl(sessions[i % sessions.length]), undefined, 60_000);
        } catch (err) {
          if (attempt >= 20) throw err;
          stormRetries++;
          await settle(100);
        }
      }
    }),
  );
  const stormMs = performance.now() - t0;
  await closeAll(stormed);

  return {
    sockets: options.sockets,
    failed,
    connectsPerSec,
    rssBeforeKb,
    rssConnectedKb,
    rssPerConnectionKb: (rssConnectedKb - rssBeforeKb) / Math.max(1, options.sockets - failed),
    heapPerConnectionKb,
    rssAfterCycleKb,
    rssGrowthAfterCycles: rssAfterCycleKb[rssAfterCycleKb.length - 1] / rssAfterCycleKb[0],
    stormSockets: first.sockets.length,
    stormMs,
    stormRetries,
  };
}
