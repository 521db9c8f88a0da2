import { SessionStatus } from './schemas/live-chat-session.schema';

/** Sessions still taking messages. */
export const OPEN_STATUSES: readonly SessionStatus[] = ['pending', 'active'];

/** Closed and archived sessions take no new guest or agent messages. */
export function isClosedStatus(status: SessionStatus): boolean {
  return status === 'closed' || status === 'archived';
}
