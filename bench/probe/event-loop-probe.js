/**
 * Preloaded into every measured server (`node -r bench/probe/event-loop-probe.js ...`): the
 * event-loop delay histogram of that process, reset and read by the harness over the IPC channel,
 * a full garbage collection before memory readings, and an on-demand CPU profile (`bench --profile`). The servers themselves expose nothing extra.
 * Plain CommonJS so that it runs before anything else.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const { monitorEventLoopDelay } = require('node:perf_hooks');

if (typeof process.send === 'function') {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // The samples are the intervals between the probe's timer ticks: the delay is what exceeds the tick.
  const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  let profiler;
  const reply = (message, extra) => {
    const { heapUsed, external } = process.memoryUsage();
    process.send({ probe: message.probe, id: message.id, p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), heapUsed, external, ...extra });
  };

  process.on('message', (message) => {
    if (!message || message.probe === undefined) return;
    if (message.probe === 'reset') histogram.reset();
    // Full garbage collection before a memory reading (the harness starts servers with --expose-gc).
    if (message.probe === 'gc' && typeof global.gc === 'function') global.gc();
    if (message.probe === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      profiler.post('Profiler.enable', () => profiler.post('Profiler.start', () => reply(message)));
      return;
    }
    if (message.probe === 'profile-stop') {
      profiler.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(message.path, JSON.stringify(result.profile));
        profiler.disconnect();
        reply(message, { error: err ? String(err) : undefined });
      });
      return;
    }
    reply(message);
  });
  process.channel.unref();
}
