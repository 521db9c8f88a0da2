import { Types } from 'mongoose';
import { accumulateNewSession, contributionOf, rollupDeltas, SessionAnalyticsFacts } from './analytics-rollup';

const agentA = new Types.ObjectId().toString();
const agentB = new Types.ObjectId().toString();
const base: SessionAnalyticsFacts = { dayKey: '2024-11-01', messageCount: 1, closed: 0, rated: 0, ratingScore: 0, assignedAgent: null };

describe('contributionOf', () => {
  it('counts a bare session', () => {
    expect(contributionOf(base)).toEqual({ sessions: 1, messages: 1, closed: 0, rated: 0, ratingSum: 0, answered: 0, responseMsSum: 0 });
  });

  it('counts an answered, rated, closed, assigned session for its agent too', () => {
    expect(contributionOf({ ...base, messageCount: 6, closed: 1, rated: 1, ratingScore: 4, firstResponseMs: 1500, assignedAgent: new Types.ObjectId(agentA) })).toEqual({
      sessions: 1,
      messages: 6,
      closed: 1,
      rated: 1,
      ratingSum: 4,
      answered: 1,
      responseMsSum: 1500,
      [`agents.${agentA}.sessions`]: 1,
      [`agents.${agentA}.rated`]: 1,
      [`agents.${agentA}.ratingSum`]: 4,
    });
  });
});

describe('rollupDeltas', () => {
  it('adds a new session and removes a deleted one', () => {
    expect(rollupDeltas(null, base)).toEqual(new Map([['2024-11-01', { inc: { sessions: 1, messages: 1 } }]]));
    const answered = { ...base, firstResponseMs: 900 };
    expect(rollupDeltas(answered, null)).toEqual(
      new Map([['2024-11-01', { inc: { sessions: -1, messages: -1, answered: -1, responseMsSum: -900 }, removedResponseMs: 900 }]]),
    );
  });

  it('changes nothing when no analytics field changed', () => {
    expect(rollupDeltas({ ...base, firstResponseMs: 5 }, { ...base, firstResponseMs: 5 }).size).toBe(0);
  });

  it('moves a session between agents on a transfer', () => {
    const before = { ...base, rated: 1, ratingScore: 5, assignedAgent: agentA };
    expect(rollupDeltas(before, { ...before, assignedAgent: agentB }).get('2024-11-01')).toEqual({
      inc: {
        [`agents.${agentA}.sessions`]: -1,
        [`agents.${agentA}.rated`]: -1,
        [`agents.${agentA}.ratingSum`]: -5,
        [`agents.${agentB}.sessions`]: 1,
        [`agents.${agentB}.rated`]: 1,
        [`agents.${agentB}.ratingSum`]: 5,
      },
    });
  });

  it('records a first response and a re-rating', () => {
    expect(rollupDeltas({ ...base, messageCount: 2 }, { ...base, messageCount: 3, firstResponseMs: 42 }).get('2024-11-01')).toEqual({
      inc: { messages: 1, answered: 1, responseMsSum: 42 },
      addedResponseMs: { min: 42, max: 42 },
    });
    expect(rollupDeltas({ ...base, rated: 1, ratingScore: 2 }, { ...base, rated: 1, ratingScore: 5 }).get('2024-11-01')).toEqual({ inc: { ratingSum: 3 } });
  });
});

describe('accumulateNewSession', () => {
  it('sums sessions per day and keeps the extremes', () => {
    const totals = new Map();
    accumulateNewSession(totals, { ...base, firstResponseMs: 300, assignedAgent: agentA });
    accumulateNewSession(totals, { ...base, messageCount: 4, firstResponseMs: 100 });
    accumulateNewSession(totals, { ...base, firstResponseMs: 200, assignedAgent: agentA });
    accumulateNewSession(totals, { ...base, dayKey: '2024-11-02' });
    expect(totals.get('2024-11-01')).toEqual({
      inc: { sessions: 3, messages: 6, answered: 3, responseMsSum: 600, [`agents.${agentA}.sessions`]: 2 },
      addedResponseMs: { min: 100, max: 300 },
    });
    expect(totals.get('2024-11-02')).toEqual({ inc: { sessions: 1, messages: 1 } });
  });
});
