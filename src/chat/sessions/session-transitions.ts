import type { AgentSummary, BusEvent } from '../../common/events/domain-events';
import { AppException } from '../../common/errors/app.exception';
import type { MessageType } from '../messages/schemas/live-chat-message.schema';
import type { ChatUser, SessionStatus } from './schemas/live-chat-session.schema';
import { auditEntry, GUEST_ACTOR, SYSTEM_ACTOR } from './session-audit';
import { isClosedStatus } from './session-status';
import type { NewSession, SessionChange, SessionRecord } from './sessions.repository';

/**
 * Every rule about a chat's state, without a database: each function takes the session as it is
 * (and what was asked) and decides the change to write and the events to publish once written, or
 * refuses with an AppException. `ChatUnitOfWork` runs the decisions (lock, load, write, publish);
 * services never set a session's fields themselves.
 */

/** A decided change: `change` null when there is nothing to write; `events` from the session as written. */
export interface Decision {
  change: SessionChange | null;
  events: (after: SessionRecord) => BusEvent[];
}

const noEvents = () => [];

/** A change of plain fields and counters, whose result can be worked out without reading it back. */
export type FieldChange = Pick<SessionChange, 'set' | 'inc'>;

/** The assignee of an assignment or transfer, as the events and the session show it. */
export type Assignee = AgentSummary;

export interface NewSessionInput {
  sessionId: string;
  guestSecret: string;
  user: ChatUser;
  dayKey: string;
}

export interface RatingInput {
  score: number;
  feedback?: string;
}

/** The admin-editable fields (`PATCH …/status`), as validated. */
export type SessionFieldsInput = Partial<Pick<SessionRecord, 'status' | 'priority' | 'department' | 'tags'>>;

const statusChanged = (sessionId: string, status: SessionStatus): BusEvent => ({ name: 'session.status_changed', payload: { sessionId, status } });

function ratingFields(rating: RatingInput, now: Date) {
  const stored = { score: rating.score, ...(rating.feedback ? { feedback: rating.feedback } : {}), ratedAt: now };
  return { rating: stored, rated: 1, ratingScore: rating.score };
}

const ratedEvent = (after: SessionRecord): BusEvent => ({
  name: 'session.rated',
  payload: { sessionId: after.sessionId, rating: { ...after.rating!, ratedAt: new Date(after.rating!.ratedAt).toISOString() } },
});

/** A new chat, pending, opened by the guest. */
export function create(input: NewSessionInput, now: Date): NewSession {
  return { ...input, startedAt: now, audit: [auditEntry('session.created', GUEST_ACTOR, now)] };
}

/** Counting a message: the next `seq`, the counters and the list preview (applied without reading the session first). */
export function messageCounted(type: MessageType, preview: string, now: Date): FieldChange {
  return {
    set: { lastMessage: { content: preview, type, timestamp: now } },
    inc: { lastSeq: 1, messageCount: 1, ...(type === 'user' ? { unreadCount: 1 } : {}) },
  };
}

/** Closed and archived chats take system messages only. */
export function acceptsMessage(session: Pick<SessionRecord, 'status'>, type: MessageType): boolean {
  return type === 'system' || !isClosedStatus(session.status);
}

/** An agent's reply: the first one records the first-response time; a pending chat becomes active. */
export function agentReplied(session: SessionRecord, now: Date): Decision {
  const firstReply = !session.firstResponseAt;
  const activated = session.status === 'pending';
  if (!firstReply && !activated) return { change: null, events: noEvents };
  const set: Record<string, unknown> = {};
  if (firstReply) Object.assign(set, { firstResponseAt: now, firstResponseMs: now.getTime() - new Date(session.startedAt).getTime() });
  if (activated) set.status = 'active';
  return { change: { set }, events: (after) => (activated ? [statusChanged(after.sessionId, 'active')] : []) };
}

/** An agent read one guest message: one fewer unread, never below zero. */
export function guestMessageRead(session: SessionRecord): Decision {
  return { change: session.unreadCount > 0 ? { inc: { unreadCount: -1 } } : null, events: noEvents };
}

function assignment(session: SessionRecord, agent: Assignee, extra: Pick<SessionChange, 'audit' | 'transfer'>, previousAgentId?: string): Decision {
  const activated = session.status === 'pending';
  return {
    change: { ...extra, assignedAgentId: agent.id, set: { agentName: agent.name, ...(activated ? { status: 'active' } : {}) } },
    events: (after) => [
      { name: 'session.assigned', payload: { sessionId: after.sessionId, agent, ...(previousAgentId ? { previousAgentId } : {}) } },
      ...(activated ? [statusChanged(after.sessionId, 'active')] : []),
    ],
  };
}

function refuseClosed(session: SessionRecord): void {
  if (isClosedStatus(session.status)) throw AppException.conflict('Session is closed');
}

/** Assigning an open chat to an agent (pending → active); 409 when it is closed. */
export function assign(session: SessionRecord, agent: Assignee, actorId: string, now: Date): Decision {
  refuseClosed(session);
  return assignment(session, agent, { audit: auditEntry('session.assigned', actorId, now, { agentId: agent.id }) });
}

/** Handing an open chat to another agent, kept in its transfer history; 409 closed, 400 to its own agent. */
export function transfer(session: SessionRecord, agent: Assignee, actorId: string, reason: string | undefined, now: Date): Decision {
  refuseClosed(session);
  const from = session.assignedAgent ? session.assignedAgent.toString() : null;
  if (from === agent.id) throw AppException.badRequest('Session is already assigned to this agent');
  const because = reason ? { reason } : {};
  return assignment(
    session,
    agent,
    {
      transfer: { from, to: agent.id, ...because, by: actorId, at: now },
      audit: auditEntry('session.transferred', actorId, now, { from, to: agent.id, ...because }),
    },
    from ?? undefined,
  );
}

/**
 * Status, priority, department and tags. A move from open to closed (closing) sets `endedAt` and the
 * `closed` flag; a move back (reopening) clears them.
 */
export function updateFields(session: SessionRecord, fields: SessionFieldsInput, actorId: string, now: Date, reason?: string): Decision {
  const change: SessionChange = { set: { ...fields }, audit: auditEntry('session.updated', actorId, now, { ...fields, ...(reason ? { reason } : {}) }) };
  if (fields.status !== undefined && isClosedStatus(fields.status) !== isClosedStatus(session.status)) {
    if (isClosedStatus(fields.status)) Object.assign(change.set!, { endedAt: now, closed: 1 });
    else {
      change.set!.closed = 0;
      change.unset = ['endedAt'];
    }
  }
  return {
    change,
    events: (after) => [
      { name: 'session.status_changed', payload: { sessionId: after.sessionId, status: after.status, priority: after.priority, department: after.department, tags: after.tags } },
    ],
  };
}

/**
 * Closing an open chat nobody wrote to (its `updatedAt`) since `idleBefore`, as `system`, the way an
 * agent closing it would; nothing when it is closed already or active again.
 */
export function idleClose(session: SessionRecord, idleBefore: Date, now: Date): Decision {
  if (isClosedStatus(session.status) || session.updatedAt >= idleBefore) return { change: null, events: noEvents };
  return updateFields(session, { status: 'closed' }, SYSTEM_ACTOR, now, 'idle');
}

/** The guest ends the chat, optionally rating it; ending an ended chat changes nothing but the rating. */
export function end(session: SessionRecord, rating: RatingInput | undefined, now: Date): Decision {
  const ending = !isClosedStatus(session.status);
  if (!ending && !rating) return { change: null, events: noEvents };
  const change: SessionChange = {
    set: { ...(ending ? { status: 'closed', endedAt: now, closed: 1 } : {}), ...(rating ? ratingFields(rating, now) : {}) },
    audit: auditEntry(ending ? 'session.ended' : 'session.rated', GUEST_ACTOR, now, rating ? { score: rating.score } : undefined),
  };
  return {
    change,
    events: (after) => [...(ending ? [statusChanged(after.sessionId, after.status)] : []), ...(rating ? [ratedEvent(after)] : [])],
  };
}

/** The guest rates the chat (again: the last rating counts). */
export function rate(rating: RatingInput, now: Date): Decision {
  return {
    change: { set: ratingFields(rating, now), audit: auditEntry('session.rated', GUEST_ACTOR, now, { score: rating.score }) },
    events: (after) => [ratedEvent(after)],
  };
}

/** An internal note by an agent: never shown to the guest. */
export function addNote(content: string, actorId: string, now: Date): Decision {
  return { change: { note: { content, addedBy: actorId, addedAt: now }, audit: auditEntry('note.added', actorId, now) }, events: noEvents };
}
