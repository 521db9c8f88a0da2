import type { Agent } from './types';

const KEY = 'live-chat-console.auth';

export interface StoredAuth {
  token: string;
  agent: Agent;
  /** ms since the epoch. */
  expiresAt: number;
}

/** The login kept for this tab only (sessionStorage): closing the tab logs out. */
export function loadAuth(now = Date.now()): StoredAuth | null {
  try {
    const auth = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StoredAuth | null;
    return auth && auth.expiresAt > now ? auth : null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: StoredAuth | null): void {
  if (auth) sessionStorage.setItem(KEY, JSON.stringify(auth));
  else sessionStorage.removeItem(KEY);
}

export const agentName = (agent: Pick<Agent, 'firstName' | 'lastName'>) => `${agent.firstName} ${agent.lastName}`.trim();
