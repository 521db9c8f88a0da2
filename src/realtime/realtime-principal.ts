import { IncomingMessage } from 'node:http';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';

/** Who is on the other end of a socket, decided once at the upgrade. */
export type RealtimePrincipal =
  | { kind: 'guest'; sessionId: string }
  /** `assignedSessionIds`: the open sessions assigned to the agent when it connected. */
  | { kind: 'agent'; agent: AuthenticatedAgent; assignedSessionIds: string[] };

const principals = new WeakMap<IncomingMessage, RealtimePrincipal>();

/** Called by the adapter once the upgrade request is authenticated. */
export function attachPrincipal(request: IncomingMessage, principal: RealtimePrincipal): void {
  principals.set(request, principal);
}

/** The principal of an accepted upgrade request (the gateway's `handleConnection`). */
export function principalOf(request: IncomingMessage): RealtimePrincipal {
  const principal = principals.get(request);
  if (!principal) throw new Error('WebSocket connection without an authenticated upgrade request');
  return principal;
}
