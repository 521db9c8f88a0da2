import type { AdminEvent, SessionFilters, SessionPage, SessionSummary, Status } from './types';

export const PAGE_SIZE = 20;

/** What a list event did: the new page, and whether the server must be asked (a row we cannot see changed). */
export interface ListUpdate {
  page: SessionPage;
  refetch: boolean;
}

const includesText = (session: SessionSummary, search: string) => {
  const needle = search.toLowerCase();
  return [session.user.name, session.user.email, session.sessionId].some((field) => field.toLowerCase().includes(needle));
};

/** The server's filters (admin-sessions.service) but status, which `statusCounts` ignores. */
function matchesOtherFilters(session: SessionSummary, filters: SessionFilters): boolean {
  if (filters.department && session.department !== filters.department) return false;
  if (filters.priority && session.priority !== filters.priority) return false;
  if (filters.assignedAgent) {
    const wanted = filters.assignedAgent === 'unassigned' ? null : filters.assignedAgent;
    if (session.assignedAgent !== wanted) return false;
  }
  return !filters.search || includesText(session, filters.search);
}

const pagesOf = (total: number) => Math.ceil(total / PAGE_SIZE);

function withCounts(page: SessionPage, data: SessionSummary[], totalDelta: number, counts: Partial<Record<Status, number>>): SessionPage {
  const statusCounts = { ...page.statusCounts };
  for (const [status, delta] of Object.entries(counts) as [Status, number][]) statusCounts[status] = Math.max(0, statusCounts[status] + delta);
  const total = Math.max(0, page.total + totalDelta);
  return { ...page, data, count: data.length, total, pages: pagesOf(total), statusCounts };
}

function removeRow(page: SessionPage, row: SessionSummary): SessionPage {
  return withCounts(
    page,
    page.data.filter((item) => item.sessionId !== row.sessionId),
    -1,
    { [row.status]: -1 },
  );
}

/** Page 1 lists the most recently written session first (the server sorts by `updatedAt`). */
function touch(page: SessionPage, filters: SessionFilters, row: SessionSummary, updated: SessionSummary): SessionSummary[] {
  if (filters.page !== 1) return page.data.map((item) => (item === row ? updated : item));
  return [updated, ...page.data.filter((item) => item !== row)];
}

/** A row written just now: first on page 1, or off the page when it no longer matches the filters. */
function rewrite(page: SessionPage, filters: SessionFilters, row: SessionSummary, changes: Partial<SessionSummary>): SessionPage {
  const updated = { ...row, ...changes, updatedAt: new Date().toISOString() };
  return matchesOtherFilters(updated, filters) ? { ...page, data: touch(page, filters, row, updated) } : removeRow(page, row);
}

/**
 * Applies an admin socket event to the visible page of the session list, as the server would list
 * it (newest write first). Events about a row that is not on the page and may now belong to it
 * ask for a refetch instead, since the event alone does not carry the row.
 */
export function applyListEvent(page: SessionPage, filters: SessionFilters, event: AdminEvent, openSessionId?: string): ListUpdate {
  const unchanged = { page, refetch: false };
  if (event.type === 'new_session') {
    const { session } = event;
    if (page.data.some((row) => row.sessionId === session.sessionId) || !matchesOtherFilters(session, filters)) return unchanged;
    const listed = !filters.status || filters.status === session.status;
    const data = listed && filters.page === 1 ? [session, ...page.data].slice(0, PAGE_SIZE) : page.data;
    return { page: withCounts(page, data, listed ? 1 : 0, { [session.status]: 1 }), refetch: false };
  }
  if (!('sessionId' in event)) return unchanged;
  const row = page.data.find((item) => item.sessionId === event.sessionId);
  switch (event.type) {
    case 'user_message':
    case 'agent_message': {
      if (!row) return { page, refetch: filters.page === 1 && event.type === 'user_message' };
      const { message } = event;
      if (message.seq <= row.messageCount) return unchanged; // already counted (the REST answer and the socket both bring a reply)
      const guest = message.type === 'user';
      const updated: SessionSummary = {
        ...row,
        lastMessage: { content: message.content, type: message.type, timestamp: message.createdAt },
        messageCount: message.seq,
        unreadCount: guest && event.sessionId !== openSessionId ? row.unreadCount + 1 : row.unreadCount,
        updatedAt: message.createdAt,
      };
      return { page: { ...page, data: touch(page, filters, row, updated) }, refetch: false };
    }
    case 'session_status_changed': {
      if (!row) return { page, refetch: true };
      if (row.status === event.status) return unchanged;
      if (filters.status && filters.status !== event.status) {
        return { page: withCounts(page, page.data.filter((item) => item !== row), -1, { [row.status]: -1, [event.status]: 1 }), refetch: false };
      }
      const data = touch(page, filters, row, { ...row, status: event.status, updatedAt: new Date().toISOString() });
      return { page: withCounts(page, data, 0, { [row.status]: -1, [event.status]: 1 }), refetch: false };
    }
    case 'agent_assigned': {
      if (!row) return { page, refetch: filters.assignedAgent === event.agent.id };
      return { page: rewrite(page, filters, row, { assignedAgent: event.agent.id, agentName: event.agent.name }), refetch: false };
    }
    case 'local_update': {
      if (!row) return unchanged;
      const defined = Object.fromEntries(Object.entries(event.changes).filter(([, value]) => value !== undefined));
      return { page: rewrite(page, filters, row, defined), refetch: false };
    }
    case 'read_receipt': {
      if (!row || event.readBy === 'guest' || row.unreadCount === 0) return unchanged;
      return { page: { ...page, data: page.data.map((item) => (item === row ? { ...row, unreadCount: row.unreadCount - 1 } : item)) }, refetch: false };
    }
    default:
      return unchanged;
  }
}

/** The query string of GET /sessions for these filters. */
export function listQuery(filters: SessionFilters): Record<string, string> {
  const query: Record<string, string> = { page: String(filters.page), limit: String(PAGE_SIZE) };
  for (const key of ['status', 'department', 'priority', 'assignedAgent', 'search'] as const) {
    const value = filters[key]?.trim();
    if (value) query[key] = value;
  }
  return query;
}
