import { ApiClient, ApiError } from '../../shared/api';
import type { Envelope } from '../../shared/types';
import { listQuery } from './live-list';
import type { Agent, Analytics, Department, HistoryItem, Message, Priority, SessionFilters, SessionPage, SessionView, Status } from './types';

export { ApiError };

const ADMIN = '/api/admin/live-chat';
const sessionPath = (sessionId: string) => `${ADMIN}/sessions/${encodeURIComponent(sessionId)}`;

/** The agent REST API under one token (the console's only way to the data); a 401 runs `onUnauthorized`. */
export class ConsoleApi {
  private readonly client: ApiClient;

  constructor(
    private readonly token: string | null,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {
    this.client = new ApiClient({ baseUrl: '', token: () => token ?? undefined });
  }

  private async call<T>(request: (client: ApiClient) => Promise<Envelope<T>>): Promise<Envelope<T>> {
    try {
      return await request(this.client);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.token) this.onUnauthorized();
      throw err;
    }
  }

  login(email: string, password: string) {
    return this.call<{ accessToken: string; expiresIn: number; agent: Agent }>((c) => c.post('/api/auth/login', { email, password })).then((r) => r.data);
  }

  agents() {
    return this.call<Agent[]>((c) => c.get(`${ADMIN}/agents`, { active: true, limit: 100 })).then((r) => r.data);
  }

  /** The list answer always carries the paging fields and `statusCounts` next to `data`. */
  sessions(filters: SessionFilters) {
    return this.call<SessionPage['data']>((c) => c.get(`${ADMIN}/sessions`, listQuery(filters))).then((r) => r as unknown as SessionPage);
  }

  /** One page (50, oldest first) of the session's messages, with the session. */
  session(sessionId: string, page = 1) {
    return this.call<SessionView>((c) => c.get(sessionPath(sessionId), { page, limit: 50 })).then((r) => r.data);
  }

  reply(sessionId: string, content: string, clientMessageId: string, files: File[]) {
    const path = `${sessionPath(sessionId)}/reply`;
    if (!files.length) return this.call<Message>((c) => c.post(path, { content, clientMessageId })).then((r) => r.data);
    const form = new FormData();
    form.append('content', content);
    form.append('clientMessageId', clientMessageId);
    for (const file of files) form.append('files', file);
    return this.call<Message>((c) => c.postForm(path, form)).then((r) => r.data);
  }

  addNote(sessionId: string, content: string) {
    return this.call<{ _id: string; content: string; addedBy: string; addedAt: string }>((c) => c.post(`${sessionPath(sessionId)}/notes`, { content })).then((r) => r.data);
  }

  assign(sessionId: string, agentId: string) {
    return this.call<{ assignedAgent: string; agentName: string; status: Status }>((c) => c.patch(`${sessionPath(sessionId)}/assign`, { agentId })).then((r) => r.data);
  }

  transfer(sessionId: string, toAgentId: string, reason: string) {
    const body = { toAgentId, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    return this.call<{ assignedAgent: string; agentName: string }>((c) => c.post(`${sessionPath(sessionId)}/transfer`, body)).then((r) => r.data);
  }

  update(sessionId: string, changes: { status?: Status; priority?: Priority; department?: Department; tags?: string[] }) {
    return this.call<{ status: Status; priority: Priority; department: Department; tags: string[] }>((c) => c.patch(`${sessionPath(sessionId)}/status`, changes)).then((r) => r.data);
  }

  history(email: string) {
    return this.call<HistoryItem[]>((c) => c.get(`${ADMIN}/customers/${encodeURIComponent(email)}/history`, { limit: 20 }));
  }

  analytics(startDate: string, endDate: string) {
    return this.call<Analytics>((c) => c.get(`${ADMIN}/analytics`, { startDate, endDate })).then((r) => r.data);
  }

  /** An attachment as an object URL: agents' downloads need the token in a header, never in the URL. */
  async attachmentUrl(url: string): Promise<string> {
    const res = await fetch(url, { headers: this.token ? { Authorization: `Bearer ${this.token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, 'The file cannot be opened');
    return URL.createObjectURL(await res.blob());
  }
}
