import { randomBytes } from 'node:crypto';

/** What a sessionId may look like (the guest may choose it). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export function generateSessionId(): string {
  return `session-${Date.now()}-${randomBytes(8).toString('hex')}`;
}
