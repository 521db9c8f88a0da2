import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, ConsoleApi } from '../api';
import { agentName } from '../auth';
import { EventHub } from '../events';
import { capitalize, shortTime } from '../format';
import { applyListEvent } from '../live-list';
import { sessionHref } from '../router';
import { Choice } from './choice';
import { Agent, DEPARTMENTS, PRIORITIES, STATUSES, SessionFilters, SessionPage } from '../types';

/** At most one refetch per this long for events about rows the page does not show. */
const REFETCH_GAP_MS = 3000;

interface Props {
  api: ConsoleApi;
  hub: EventHub;
  me: Agent;
  agents: Agent[];
  selected?: string;
  /** Changes when the socket reconnected: events may have been missed. */
  reconnects: number;
}

export function SessionList({ api, hub, me, agents, selected, reconnects }: Props) {
  const [filters, setFilters] = useState<SessionFilters>({ page: 1 });
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<SessionPage | null>(null);
  const [error, setError] = useState('');
  const current = useRef({ filters, page, selected });
  current.current = { filters, page, selected };
  const refetchTimer = useRef<ReturnType<typeof setTimeout>>();

  const load = async () => {
    const wanted = current.current.filters;
    try {
      const result = await api.sessions(wanted);
      if (current.current.filters === wanted) {
        setPage(result);
        setError('');
      }
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The sessions cannot be loaded');
    }
  };

  useEffect(() => {
    load();
  }, [filters, reconnects]);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === (search.trim() || undefined) ? f : { ...f, search: search.trim() || undefined, page: 1 })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(
    () =>
      hub.subscribe((event) => {
        const { page: shown, filters: active, selected: open } = current.current;
        if (!shown) return;
        const update = applyListEvent(shown, active, event, open);
        if (update.page !== shown) setPage(update.page);
        if (update.refetch && !refetchTimer.current) {
          refetchTimer.current = setTimeout(() => {
            refetchTimer.current = undefined;
            load();
          }, REFETCH_GAP_MS);
        }
      }),
    [],
  );
  useEffect(() => () => clearTimeout(refetchTimer.current), []);

  const set = (changes: Partial<SessionFilters>) => setFilters({ ...filters, page: 1, ...changes });
  const counts = page?.statusCounts;
  const all = counts ? STATUSES.reduce((sum, status) => sum + counts[status], 0) : 0;

  return (
    <section class="session-list" aria-label="Sessions">
      <div class="tabs" role="tablist">
        <button role="tab" aria-selected={!filters.status} onClick={() => set({ status: undefined })} data-testid="status-tab-all">
          All <span class="count">{all}</span>
        </button>
        {STATUSES.map((status) => (
          <button key={status} role="tab" aria-selected={filters.status === status} onClick={() => set({ status })} data-testid={`status-tab-${status}`}>
            {capitalize(status)} <span class="count">{counts?.[status] ?? 0}</span>
          </button>
        ))}
      </div>
      <div class="filters">
        <input type="search" placeholder="Search name, email or session ID" aria-label="Search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} data-testid="filter-search" />
        <Choice label="Department" any="Department" values={DEPARTMENTS} value={filters.department} onChange={(department) => set({ department })} testId="filter-department" />
        <Choice label="Priority" any="Priority" values={PRIORITIES} value={filters.priority} onChange={(priority) => set({ priority })} testId="filter-priority" />
        <select aria-label="Assigned agent" value={filters.assignedAgent ?? ''} onChange={(e) => set({ assignedAgent: e.currentTarget.value || undefined })} data-testid="filter-agent">
          <option value="">Agent</option>
          <option value="unassigned">Unassigned</option>
          <option value={me._id}>Me</option>
          {agents
            .filter((agent) => agent._id !== me._id)
            .map((agent) => (
              <option key={agent._id} value={agent._id}>
                {agentName(agent)}
              </option>
            ))}
        </select>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="rows" data-testid="session-rows">
        {page?.data.map((row) => (
          <li key={row.sessionId}>
            <a
              href={sessionHref(row.sessionId)}
              class={`row${row.sessionId === selected ? ' selected' : ''}`}
              aria-current={row.sessionId === selected ? 'page' : undefined}
              data-testid="session-row"
              data-session-id={row.sessionId}
              data-status={row.status}
            >
              <span class="row-top">
                <strong class="name">{row.user.name}</strong>
                {row.user.verified && (
                  <span class="badge verified" title="Verified identity" data-testid="row-verified">
                    ✓
                  </span>
                )}
                <time>{shortTime(row.lastMessage?.timestamp ?? row.createdAt)}</time>
              </span>
              <span class="preview">{row.lastMessage ? row.lastMessage.content || 'Attachment' : row.user.email}</span>
              <span class="row-tags">
                <span class={`badge status-${row.status}`}>{row.status}</span>
                {row.priority !== 'medium' && <span class={`badge priority-${row.priority}`}>{row.priority}</span>}
                <span class="agent">{row.agentName ?? 'Unassigned'}</span>
                {row.unreadCount > 0 && (
                  <span class="unread" aria-label={`${row.unreadCount} unread`} data-testid="unread-count">
                    {row.unreadCount}
                  </span>
                )}
              </span>
            </a>
          </li>
        ))}
        {page && page.data.length === 0 && <li class="empty">No sessions match.</li>}
      </ul>
      {page && page.pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button disabled={filters.page <= 1} onClick={() => setFilters({ ...filters, page: filters.page - 1 })} data-testid="page-prev">
            ‹ Newer
          </button>
          <span data-testid="page-info">
            Page {filters.page} of {page.pages}
          </span>
          <button disabled={filters.page >= page.pages} onClick={() => setFilters({ ...filters, page: filters.page + 1 })} data-testid="page-next">
            Older ›
          </button>
        </nav>
      )}
    </section>
  );
}
