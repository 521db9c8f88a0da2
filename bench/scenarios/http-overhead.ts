/** HTTP overhead: a closed loop of GETs at a fixed concurrency; requests per second and latency. */
import { HttpClient } from '../lib/http-client';
import { LatencySummary, summarize } from '../lib/stats';

export interface HttpResult {
  requests: number;
  errors: number;
  requestsPerSec: number;
  latencyMs: LatencySummary;
}

export async function runHttp(baseUrl: string, path: string, options: { concurrency: number; durationMs: number; token?: string }): Promise<HttpResult> {
  const http = new HttpClient(baseUrl, options.concurrency);
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        const res = await http.send('GET', path, { token: options.token }).catch(() => ({ status: 0 }));
        if (res.status === 200) latencies.push(performance.now() - start);
        else errors++;
      }
    }),
  );
  const elapsed = performance.now() - t0;
  http.close();
  return { requests: latencies.length, errors, requestsPerSec: (latencies.length * 1000) / elapsed, latencyMs: summarize(latencies) };
}
