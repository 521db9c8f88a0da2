import { useEffect, useState } from 'preact/hooks';
import { ApiError, ConsoleApi } from '../api';
import { duration, plural } from '../format';
import type { Analytics } from '../types';
import { DayColumns, HorizontalBars } from './charts';

const PRESETS = [7, 30, 90];

/** YYYY-MM-DD of a local date: the API reads a bare date as that day in its ANALYTICS_TIMEZONE. */
const isoDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function lastDays(days: number) {
  const end = new Date();
  const start = new Date(end);
  start.setDate(end.getDate() - (days - 1));
  return { start: isoDay(start), end: isoDay(end) };
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div class="figure" data-testid={testId}>
      <span class="figure-value">{value}</span>
      <span class="figure-label">{label}</span>
    </div>
  );
}

export function AnalyticsPage({ api }: { api: ConsoleApi }) {
  const [range, setRange] = useState(() => lastDays(30));
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!range.start || !range.end) return;
    setError('');
    api
      .analytics(range.start, range.end)
      .then(setData)
      .catch((err) => setError(err instanceof ApiError ? err.message : 'Analytics cannot be loaded'));
  }, [range.start, range.end]);

  const { overview, responseTime } = data ?? {};
  return (
    <main class="analytics" aria-label="Analytics">
      <div class="range">
        {PRESETS.map((days) => (
          <button key={days} type="button" aria-pressed={JSON.stringify(range) === JSON.stringify(lastDays(days))} onClick={() => setRange(lastDays(days))} data-testid={`range-${days}`}>
            Last {days} days
          </button>
        ))}
        <label>
          From <input type="date" value={range.start} max={range.end} onChange={(e) => setRange({ ...range, start: e.currentTarget.value })} data-testid="range-start" />
        </label>
        <label>
          to <input type="date" value={range.end} min={range.start} onChange={(e) => setRange({ ...range, end: e.currentTarget.value })} data-testid="range-end" />
        </label>
      </div>
      {error && (
        <p class="error" role="alert" data-testid="analytics-error">
          {error}
        </p>
      )}
      {data && overview && responseTime && (
        <>
          <div class="figures">
            <Figure label="Chats started" value={overview.totalSessions} testId="figure-total" />
            <Figure label="Closed" value={overview.closedSessions} testId="figure-closed" />
            <Figure label="Messages per chat" value={overview.avgMessages} testId="figure-messages" />
            <Figure label="Average rating" value={overview.avgRating ? `${overview.avgRating} ★` : '–'} testId="figure-rating" />
          </div>
          <section class="card">
            <h2>Chats by day</h2>
            <DayColumns days={data.sessionsByDay} label="Chats started per day" />
          </section>
          <section class="card">
            <h2>First response time</h2>
            {responseTime.maxResponseTime > 0 ? (
              <HorizontalBars
                label="First response time: fastest, average and slowest"
                testId="chart-response-time"
                bars={[
                  { label: 'Fastest', value: responseTime.minResponseTime, text: duration(responseTime.minResponseTime) },
                  { label: 'Average', value: responseTime.avgResponseTime, text: duration(responseTime.avgResponseTime) },
                  { label: 'Slowest', value: responseTime.maxResponseTime, text: duration(responseTime.maxResponseTime) },
                ]}
              />
            ) : (
              <p class="muted">No chat of this period was answered yet.</p>
            )}
          </section>
          <section class="card">
            <h2>Top agents</h2>
            {data.topAgents.length ? (
              <HorizontalBars
                label="Chats handled per agent"
                testId="chart-top-agents"
                bars={data.topAgents.map((agent) => ({
                  label: agent.name ?? 'Former agent',
                  value: agent.sessionsHandled,
                  text: `${plural(agent.sessionsHandled, 'chat')}${agent.avgRating ? ` · ${agent.avgRating} ★` : ''}`,
                }))}
              />
            ) : (
              <p class="muted">No chat of this period is assigned yet.</p>
            )}
          </section>
        </>
      )}
    </main>
  );
}
