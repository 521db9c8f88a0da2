/**
 * The live-chat protocol as the benchmark uses it (LIVE_CHAT_API.md): the service and the raw chat
 * server answer the same paths, so every scenario drives both through this one client.
 */
import jwt from 'jsonwebtoken';
import { HttpClient } from './http-client';

export interface GuestSession {
  sessionId: string;
  guestToken: string;
}

export interface AgentIdentity {
  sub: string;
  role: string;
  firstName: string;
  lastName: string;
  email: string;
}

export const BENCH_AGENT: AgentIdentity = {
  sub: '65a1b2c3d4e5f60718293a4b',
  role: 'admin',
  firstName: 'Bench',
  lastName: 'Agent',
  email: 'bench-agent@example.com',
};

let sessionCounter = 0;

export class ChatClient {
  readonly http: HttpClient;
  private adminToken?: string;

  constructor(
    readonly baseUrl: string,
    readonly wsUrl: string,
    private readonly jwtSecret: string,
    private readonly login?: { email: string; password: string },
  ) {
    this.http = new HttpClient(baseUrl);
  }

  async createSession(label: string): Promise<GuestSession> {
    const n = ++sessionCounter;
    const sessionId = `session-${Date.now()}-${label}${n}`;
    const res = await this.http.json<{ data?: { guestToken?: string; session?: { guestToken?: string } } }>('POST', '/api/live-chat/sessions', {
      body: { sessionId, user: { name: `Bench Guest ${n}`, email: `guest${n}@bench.example.com` }, pageUrl: 'https://bench.example.com/' },
    });
    const guestToken = res.body?.data?.guestToken ?? res.body?.data?.session?.guestToken;
    if (res.status !== 201 || !guestToken) throw new Error(`create session: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return { sessionId, guestToken };
  }

  postMessage(session: GuestSession, content: string) {
    return this.http.send('POST', `/api/live-chat/sessions/${encodeURIComponent(session.sessionId)}/messages`, { body: { content }, token: session.guestToken });
  }

  messagesPath(session: GuestSession): string {
    return `/api/live-chat/sessions/${encodeURIComponent(session.sessionId)}/messages?page=1&limit=50`;
  }

  async reply(sessionId: string, content: string) {
    return this.http.send('POST', `/api/admin/live-chat/sessions/${encodeURIComponent(sessionId)}/reply`, { body: { content }, token: await this.agentToken() });
  }

  /**
   * An agent token: logs in when an admin account is configured, else mints one with the shared
   * secret (what another platform's SSO would hand the dashboard).
   */
  async agentToken(): Promise<string> {
    if (this.adminToken) return this.adminToken;
    if (this.login) {
      const res = await this.http.json<{ data?: { token?: string; accessToken?: string }; token?: string }>('POST', '/api/auth/login', { body: this.login });
      const token = res.body?.data?.token ?? res.body?.data?.accessToken ?? res.body?.token;
      if (res.status < 300 && token) return (this.adminToken = token);
    }
    return (this.adminToken = jwt.sign({ ...BENCH_AGENT }, this.jwtSecret, { algorithm: 'HS256', expiresIn: '8h' }));
  }

  async adminSocketUrl(): Promise<string> {
    return `${this.wsUrl}?admin=true&token=${encodeURIComponent(await this.agentToken())}`;
  }

  guestSocketUrl(session: GuestSession): string {
    return `${this.wsUrl}?sessionId=${encodeURIComponent(session.sessionId)}&token=${encodeURIComponent(session.guestToken)}`;
  }

  close(): void {
    this.http.close();
  }
}
