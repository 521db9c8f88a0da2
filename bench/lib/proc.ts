/** What a child process costs, read from /proc (Linux): CPU time and resident memory. */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** User + system CPU time of a process, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** `cpuMs`, or NaN when the process is not on this machine (a remote database); undefined pid gives NaN too. */
export function cpuMsIfLocal(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return cpuMs(pid);
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process, in kilobytes. */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

/** The process whose command line contains `needle` (e.g. FerretDB's `--listen-addr=127.0.0.1:PORT`). */
export function findPidByCmdline(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(needle) && !cmdline[0].endsWith('sh')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}
