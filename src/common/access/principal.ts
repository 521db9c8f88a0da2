import type { AuthenticatedAgent } from './authenticated-agent';

/**
 * Who is calling, decided once per request or WebSocket upgrade by the access layer
 * (src/access): an agent, or the guest of one session (`sessionId` null only where guest tokens
 * are not required and none was sent).
 */
export type Principal = { kind: 'agent'; agent: AuthenticatedAgent } | { kind: 'guest'; sessionId: string | null };

export interface RequestWithPrincipal {
  principal?: Principal;
}
