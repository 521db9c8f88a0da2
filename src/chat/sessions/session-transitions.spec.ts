import { Types } from 'mongoose';
import { AppException } from '../../common/errors/app.exception';
import { HTTP_STATUS_BY_CODE } from '../../common/errors/error-code';
import { SessionStatus } from './schemas/live-chat-session.schema';
import * as transitions from './session-transitions';
import type { SessionChange, SessionRecord } from './sessions.repository';

const NOW = new Date('2024-12-04T12:00:00Z');
const STARTED = new Date('2024-12-04T11:59:00Z');
const AGENT = { id: new Types.ObjectId().toString(), name: 'Jane Smith' };
const ACTOR = new Types.ObjectId().toString();

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    _id: 's-1',
    sessionId: 'session-1',
    user: { name: 'Ann', email: 'ann@example.com', emailNormalized: 'ann@example.com', metadata: {} },
    nameKey: 'ann',
    emailKey: 'ann@example.com',
    status: 'pending',
    priority: 'medium',
    department: 'general',
    assignedAgent: null,
    tags: [],
    messageCount: 1,
    unreadCount: 0,
    lastSeq: 1,
    startedAt: STARTED,
    notes: [],
    transfers: [],
    audit: [],
    dayKey: '2024-12-04',
    rated: 0,
    ratingScore: 0,
    closed: 0,
    createdAt: STARTED,
    updatedAt: STARTED,
    ...overrides,
  };
}

/** The session as the decided change leaves its plain fields (what the database would return). */
const written = (before: SessionRecord, change: SessionChange | null): SessionRecord => ({ ...before, ...change?.set } as SessionRecord);
const eventsOf = (before: SessionRecord, decision: transitions.Decision) => decision.events(written(before, decision.change));
const refusal = (decide: () => unknown) => {
  try {
    decide();
  } catch (err) {
    return err instanceof AppException ? { status: HTTP_STATUS_BY_CODE[err.code], message: err.message } : err;
  }
  return undefined;
};

describe('session transitions', () => {
  describe('create', () => {
    it('opens a pending chat audited as created by the guest', () => {
      const created = transitions.create({ sessionId: 'session-1', guestSecret: 'x', user: session().user, dayKey: '2024-12-04' }, NOW);
      expect(created).toMatchObject({ sessionId: 'session-1', startedAt: NOW, audit: [{ action: 'session.created', actor: 'guest', at: NOW }] });
    });
  });

  describe('message counted', () => {
    it('takes the next seq, counts the message and sets the preview; only guest messages count as unread', () => {
      expect(transitions.messageCounted('user', 'Hi', NOW)).toEqual({
        set: { lastMessage: { content: 'Hi', type: 'user', timestamp: NOW } },
        inc: { lastSeq: 1, messageCount: 1, unreadCount: 1 },
      });
      expect(transitions.messageCounted('agent', 'Hello', NOW).inc).toEqual({ lastSeq: 1, messageCount: 1 });
    });

    it.each<[SessionStatus, boolean, boolean]>([
      ['pending', true, true],
      ['active', true, true],
      ['closed', false, true],
      ['archived', false, true],
    ])('a %s chat takes guest/agent messages: %s, system messages: %s', (status, chat, system) => {
      expect(transitions.acceptsMessage({ status }, 'user')).toBe(chat);
      expect(transitions.acceptsMessage({ status }, 'agent')).toBe(chat);
      expect(transitions.acceptsMessage({ status }, 'system')).toBe(system);
    });
  });

  describe('first reply', () => {
    it('records the first-response time and activates a pending chat', () => {
      const before = session();
      const decision = transitions.agentReplied(before, NOW);
      expect(decision.change).toEqual({ set: { firstResponseAt: NOW, firstResponseMs: 60_000, status: 'active' } });
      expect(eventsOf(before, decision)).toEqual([{ name: 'session.status_changed', payload: { sessionId: 'session-1', status: 'active' } }]);
    });

    it('changes nothing after the first reply of an active chat', () => {
      const decision = transitions.agentReplied(session({ status: 'active', firstResponseAt: STARTED }), NOW);
      expect(decision.change).toBeNull();
    });

    it('activates a pending chat that was answered before (reopened): only the status', () => {
      const decision = transitions.agentReplied(session({ firstResponseAt: STARTED }), NOW);
      expect(decision.change).toEqual({ set: { status: 'active' } });
    });
  });

  describe('guest message read', () => {
    it('lowers unread by one, never below zero', () => {
      expect(transitions.guestMessageRead(session({ unreadCount: 2 })).change).toEqual({ inc: { unreadCount: -1 } });
      expect(transitions.guestMessageRead(session({ unreadCount: 0 })).change).toBeNull();
    });
  });

  describe('assign', () => {
    it('assigns a pending chat and activates it, announcing both', () => {
      const before = session();
      const decision = transitions.assign(before, AGENT, ACTOR, NOW);
      expect(decision.change).toMatchObject({ assignedAgentId: AGENT.id, set: { agentName: 'Jane Smith', status: 'active' }, audit: { action: 'session.assigned', actor: ACTOR } });
      expect(eventsOf(before, decision).map((event) => event.name)).toEqual(['session.assigned', 'session.status_changed']);
    });

    it('keeps an active chat active', () => {
      const before = session({ status: 'active' });
      const decision = transitions.assign(before, AGENT, ACTOR, NOW);
      expect(decision.change!.set).toEqual({ agentName: 'Jane Smith' });
      expect(eventsOf(before, decision).map((event) => event.name)).toEqual(['session.assigned']);
    });

    it.each<SessionStatus>(['closed', 'archived'])('refuses a %s chat with 409', (status) => {
      expect(refusal(() => transitions.assign(session({ status }), AGENT, ACTOR, NOW))).toEqual({ status: 409, message: 'Session is closed' });
    });
  });

  describe('transfer', () => {
    const from = new Types.ObjectId();

    it('hands the chat over, keeping history and the previous agent in the event', () => {
      const before = session({ status: 'active', assignedAgent: from });
      const decision = transitions.transfer(before, AGENT, ACTOR, 'billing question', NOW);
      expect(decision.change).toMatchObject({
        transfer: { from: from.toString(), to: AGENT.id, reason: 'billing question', by: ACTOR, at: NOW },
        audit: { action: 'session.transferred', details: { from: from.toString(), to: AGENT.id, reason: 'billing question' } },
      });
      expect(eventsOf(before, decision)).toEqual([{ name: 'session.assigned', payload: { sessionId: 'session-1', agent: AGENT, previousAgentId: from.toString() } }]);
    });

    it('refuses a transfer to the agent it is assigned to (400) and a closed chat (409)', () => {
      expect(refusal(() => transitions.transfer(session({ status: 'active', assignedAgent: new Types.ObjectId(AGENT.id) }), AGENT, ACTOR, undefined, NOW))).toEqual({
        status: 400,
        message: 'Session is already assigned to this agent',
      });
      expect(refusal(() => transitions.transfer(session({ status: 'closed' }), AGENT, ACTOR, undefined, NOW))).toMatchObject({ status: 409 });
    });
  });

  describe('status change', () => {
    it('closing sets endedAt and the closed flag, and announces the fields as written', () => {
      const before = session({ status: 'active' });
      const decision = transitions.updateFields(before, { status: 'closed', priority: 'high' }, ACTOR, NOW);
      expect(decision.change).toMatchObject({ set: { status: 'closed', priority: 'high', endedAt: NOW, closed: 1 }, audit: { action: 'session.updated', details: { status: 'closed', priority: 'high' } } });
      expect(eventsOf(before, decision)).toEqual([
        { name: 'session.status_changed', payload: { sessionId: 'session-1', status: 'closed', priority: 'high', department: 'general', tags: [] } },
      ]);
    });

    it('reopening clears endedAt and the closed flag', () => {
      const decision = transitions.updateFields(session({ status: 'closed', closed: 1, endedAt: NOW }), { status: 'active' }, ACTOR, NOW);
      expect(decision.change).toMatchObject({ set: { status: 'active', closed: 0 }, unset: ['endedAt'] });
    });

    it('a move between two closed (or two open) statuses leaves endedAt alone', () => {
      expect(transitions.updateFields(session({ status: 'closed', closed: 1 }), { status: 'archived' }, ACTOR, NOW).change).toEqual({
        set: { status: 'archived' },
        audit: expect.anything(),
      });
      expect(transitions.updateFields(session(), { tags: ['vip'] }, ACTOR, NOW).change!.set).toEqual({ tags: ['vip'] });
    });
  });

  describe('idle close', () => {
    const idleBefore = new Date('2024-12-04T11:59:30Z');

    it('closes an open chat unchanged since before the cutoff, as system, with the reason', () => {
      const decision = transitions.idleClose(session({ updatedAt: STARTED }), idleBefore, NOW);
      expect(decision.change).toMatchObject({ set: { status: 'closed', endedAt: NOW, closed: 1 }, audit: { actor: 'system', details: { status: 'closed', reason: 'idle' } } });
    });

    it('leaves a chat written since the cutoff, or already closed', () => {
      expect(transitions.idleClose(session({ updatedAt: NOW }), idleBefore, NOW).change).toBeNull();
      expect(transitions.idleClose(session({ status: 'closed', updatedAt: STARTED }), idleBefore, NOW).change).toBeNull();
    });
  });

  describe('end', () => {
    it('closes an open chat as the guest, with a rating when given, announcing status then rating', () => {
      const before = session({ status: 'active' });
      const decision = transitions.end(before, { score: 5, feedback: 'Great' }, NOW);
      expect(decision.change).toMatchObject({
        set: { status: 'closed', endedAt: NOW, closed: 1, rating: { score: 5, feedback: 'Great', ratedAt: NOW }, rated: 1, ratingScore: 5 },
        audit: { action: 'session.ended', actor: 'guest', details: { score: 5 } },
      });
      expect(eventsOf(before, decision).map((event) => event.name)).toEqual(['session.status_changed', 'session.rated']);
    });

    it('ending an ended chat changes only its rating, or nothing', () => {
      const closed = session({ status: 'closed', closed: 1 });
      const rated = transitions.end(closed, { score: 3 }, NOW);
      expect(rated.change).toMatchObject({ set: { rating: { score: 3, ratedAt: NOW }, rated: 1, ratingScore: 3 }, audit: { action: 'session.rated' } });
      expect(rated.change!.set).not.toHaveProperty('status');
      expect(eventsOf(closed, rated).map((event) => event.name)).toEqual(['session.rated']);
      expect(transitions.end(closed, undefined, NOW).change).toBeNull();
    });
  });

  describe('rate', () => {
    it('stores the rating (the last one counts) and announces it with an ISO date', () => {
      const before = session({ status: 'closed' });
      const decision = transitions.rate({ score: 4 }, NOW);
      expect(decision.change).toMatchObject({ set: { rating: { score: 4, ratedAt: NOW }, rated: 1, ratingScore: 4 }, audit: { action: 'session.rated', details: { score: 4 } } });
      expect(eventsOf(before, decision)).toEqual([{ name: 'session.rated', payload: { sessionId: 'session-1', rating: { score: 4, ratedAt: NOW.toISOString() } } }]);
    });
  });

  describe('note', () => {
    it('adds an internal note by the agent, audited, announcing nothing', () => {
      const decision = transitions.addNote('VIP customer', ACTOR, NOW);
      expect(decision.change).toEqual({ note: { content: 'VIP customer', addedBy: ACTOR, addedAt: NOW }, audit: { action: 'note.added', actor: ACTOR, at: NOW } });
      expect(decision.events(session())).toEqual([]);
    });
  });
});
