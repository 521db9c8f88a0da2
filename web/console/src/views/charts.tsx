import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Hand-drawn SVG charts, drawn at the container's pixel width so text keeps its size on a phone. */
function Sized({ height, label, testId, children }: { height: number; label: string; testId: string; children: (width: number) => ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(box.current!);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} class="chart-box">
      {width > 0 && (
        <svg class="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={testId}>
          {children(width)}
        </svg>
      )}
    </div>
  );
}

export function DayColumns({ days, label }: { days: { _id: string; count: number }[]; label: string }) {
  const height = 200;
  const bottom = 22;
  const top = 18;
  const max = Math.max(1, ...days.map((d) => d.count));
  const ticks = days.length > 1 ? [0, Math.floor((days.length - 1) / 2), days.length - 1] : [0];
  return (
    <Sized height={height} label={label} testId="chart-sessions-by-day">
      {(width) => {
        const step = width / Math.max(1, days.length);
        const barWidth = Math.max(1, step * 0.7);
        return (
          <>
            <line x1={0} y1={height - bottom} x2={width} y2={height - bottom} class="axis" />
            <text x={0} y={12} class="tick">
              max {max}
            </text>
            {days.map((day, i) => {
              const h = ((height - bottom - top) * day.count) / max;
              return (
                <rect key={day._id} x={i * step + (step - barWidth) / 2} y={height - bottom - h} width={barWidth} height={h} class="bar" data-day={day._id} data-count={day.count}>
                  <title>{`${day._id}: ${day.count}`}</title>
                </rect>
              );
            })}
            {days.length > 0 &&
              ticks.map((i, n) => (
                <text key={i} x={n === 0 ? 0 : n === ticks.length - 1 ? width : (i + 0.5) * step} y={height - 6} class="tick" text-anchor={n === 0 ? 'start' : n === ticks.length - 1 ? 'end' : 'middle'}>
                  {days[i]._id.slice(5)}
                </text>
              ))}
          </>
        );
      }}
    </Sized>
  );
}

export interface Bar {
  label: string;
  value: number;
  /** Shown at the bar's end (defaults to the value). */
  text?: string;
}

export function HorizontalBars({ bars, label, testId }: { bars: Bar[]; label: string; testId: string }) {
  const rowHeight = 30;
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <Sized height={bars.length * rowHeight} label={label} testId={testId}>
      {(width) => {
        const labelWidth = Math.min(160, width * 0.3);
        const room = Math.max(0, width - labelWidth - 120);
        return bars.map((bar, i) => {
          const w = Math.max(bar.value > 0 ? 2 : 0, (room * bar.value) / max);
          const y = i * rowHeight;
          return (
            <g key={bar.label + i}>
              <text x={0} y={y + 19} class="label">
                {bar.label.length > 18 ? `${bar.label.slice(0, 17)}…` : bar.label}
              </text>
              <rect x={labelWidth} y={y + 6} width={w} height={rowHeight - 12} rx={3} class="bar" />
              <text x={labelWidth + w + 6} y={y + 19} class="value">
                {bar.text ?? bar.value}
              </text>
            </g>
          );
        });
      }}
    </Sized>
  );
}
