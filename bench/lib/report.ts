/** The comparison table: one row per metric, service vs baseline, with the goal. */
import { median, ratio } from './stats';

export interface Row {
  scenario: string;
  metric: string;
  service: number;
  baseline: number;
  baselineName: string;
  ratio: number;
  goal?: string;
  pass?: boolean;
}

export type Goal = { kind: 'min' | 'max'; value: number };

/** A row from the per-round values of each side (medians), checked against `goal` (on the ratio). */
export function compare(scenario: string, metric: string, service: number[], baseline: number[], baselineName: string, goal?: Goal): Row {
  const s = median(service);
  const b = median(baseline);
  // A ratio of a negative or zero figure (e.g. RSS that fell while sockets were added) means nothing.
  const r = s > 0 && b > 0 ? ratio(s, b) : Number.NaN;
  return {
    scenario,
    metric,
    service: s,
    baseline: b,
    baselineName,
    ratio: r,
    goal: goal && `${goal.kind === 'min' ? '≥' : '≤'} ${goal.value}×`,
    pass: goal && Number.isFinite(r) ? (goal.kind === 'min' ? r >= goal.value : r <= goal.value) : undefined,
  };
}

/** A row with a single measured side and an absolute goal (e.g. messages lost = 0). */
export function absolute(scenario: string, metric: string, service: number[], goal?: { text: string; ok: (v: number) => boolean }): Row {
  const s = median(service);
  return { scenario, metric, service: s, baseline: Number.NaN, baselineName: '', ratio: Number.NaN, goal: goal?.text, pass: goal ? goal.ok(s) : undefined };
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatTable(rows: Row[]): string {
  const header = ['scenario', 'metric', 'service', 'baseline', 'ratio', 'goal', ''];
  const lines = rows.map((row) => [
    row.scenario,
    row.metric,
    fmt(row.service),
    row.baselineName ? `${fmt(row.baseline)} (${row.baselineName})` : '',
    fmt(row.ratio),
    row.goal ?? '',
    row.pass === undefined ? '' : row.pass ? 'ok' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}
