import { AuditEntry } from './schemas/live-chat-session.schema';

/** `actor` of changes made by the guest (agents are recorded by id). */
export const GUEST_ACTOR = 'guest';
/** `actor` of changes made by the server itself (e.g. closing idle sessions). */
export const SYSTEM_ACTOR = 'system';

export function auditEntry(action: string, actor: string, at: Date, details?: Record<string, unknown>): AuditEntry {
  return { action, actor, at, ...(details ? { details } : {}) };
}
