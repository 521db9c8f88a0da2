import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InProcessKeyedLock } from '../common/locks/in-process-keyed-lock';
import { AnalyticsRecorder } from './analytics.recorder';
import { SessionChangeFeed } from '../chat/sessions/session-change-feed';
import { SessionFacts } from '../chat/sessions/session-facts';
import { AnalyticsRepository } from './analytics.repository';
import { SessionAnalyticsFacts } from './analytics-rollup';

const DAY = '2024-11-01';
const OTHER_DAY = '2024-11-02';
const session = (facts: Partial<SessionAnalyticsFacts> = {}): SessionAnalyticsFacts => ({
  dayKey: DAY,
  messageCount: 1,
  closed: 0,
  rated: 0,
  ratingScore: 0,
  assignedAgent: null,
  ...facts,
});

/** An in-memory stand-in for the rollup writes: records each call, can be made to fail or wait. */
function fakeRepository() {
  const calls: string[] = [];
  const repository = {
    calls,
    applyDelta: jest.fn(async (day: string) => {
      calls.push(`apply ${day}`);
      return null;
    }),
    setResponseExtremes: jest.fn(async (day: string) => {
      calls.push(`recount ${day}`);
    }),
  };
  return repository;
}

function recorderWith(repository: ReturnType<typeof fakeRepository>, intervalMs = 60_000) {
  const config = { get: () => intervalMs } as unknown as ConfigService;
    const sessions = { responseTimeExtremes: async () => null } as unknown as SessionFacts;
  return new AnalyticsRecorder(repository as unknown as AnalyticsRepository, sessions, new SessionChangeFeed(), new InProcessKeyedLock(), config as never);
}

describe('AnalyticsRecorder', () => {
  let repository: ReturnType<typeof fakeRepository>;
  let recorder: AnalyticsRecorder;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    repository = fakeRepository();
    recorder = recorderWith(repository);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await recorder.onApplicationShutdown();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('only buffers on record, and writes one merged delta per day on flush', async () => {
    await recorder.record(null, session());
    await recorder.record(session(), session({ messageCount: 2 }));
    await recorder.record(session({ messageCount: 2 }), session({ messageCount: 3, firstResponseMs: 700 }));
    await recorder.record(null, session({ firstResponseMs: 200, closed: 1 }));
    await recorder.record(null, session({ dayKey: OTHER_DAY, assignedAgent: 'agent1' }));
    expect(repository.applyDelta).not.toHaveBeenCalled();

    await recorder.flush();
    expect(repository.applyDelta).toHaveBeenCalledTimes(2);
    expect(repository.applyDelta).toHaveBeenCalledWith(DAY, {
      inc: { sessions: 2, messages: 4, closed: 1, answered: 2, responseMsSum: 900 },
      addedResponseMs: { min: 200, max: 700 },
    });
    expect(repository.applyDelta).toHaveBeenCalledWith(OTHER_DAY, {
      inc: { sessions: 1, messages: 1, 'agents.agent1.sessions': 1 },
    });
    expect(repository.setResponseExtremes).not.toHaveBeenCalled();

    await recorder.flush();
    expect(repository.applyDelta).toHaveBeenCalledTimes(2);
  });

  it('recounts the response-time extremes after applying when a time left the day', async () => {
    await recorder.record(null, session({ firstResponseMs: 100 }));
    await recorder.record(session({ firstResponseMs: 500 }), null);
    await recorder.flush();
    expect(repository.applyDelta).toHaveBeenCalledWith(DAY, {
      inc: { responseMsSum: -400 },
      addedResponseMs: { min: 100, max: 100 },
      responseRemoved: true,
    });
    expect(repository.calls).toEqual([`apply ${DAY}`, `recount ${DAY}`]);
  });

  it('keeps a day whose write failed, merged with newer changes, for the next flush', async () => {
    repository.applyDelta.mockRejectedValueOnce(new Error('database down'));
    await recorder.record(null, session());
    await recorder.record(null, session({ dayKey: OTHER_DAY }));
    await recorder.flush();
    expect(repository.calls).toEqual([`apply ${OTHER_DAY}`]);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ day: DAY }), expect.any(String));

    await recorder.record(session(), session({ messageCount: 4, firstResponseMs: 50 }));
    await recorder.flush();
    expect(repository.applyDelta).toHaveBeenLastCalledWith(DAY, {
      inc: { sessions: 1, messages: 4, answered: 1, responseMsSum: 50 },
      addedResponseMs: { min: 50, max: 50 },
    });
    expect(repository.calls).toEqual([`apply ${OTHER_DAY}`, `apply ${DAY}`]);
  });

  it('retries only the recount when the delta was applied but the recount failed', async () => {
    repository.setResponseExtremes.mockRejectedValueOnce(new Error('database down'));
    await recorder.record(session({ firstResponseMs: 500 }), null);
    await recorder.flush();
    await recorder.flush();
    expect(repository.calls).toEqual([`apply ${DAY}`, `recount ${DAY}`]);
    expect(repository.applyDelta).toHaveBeenCalledTimes(1);
    expect(repository.setResponseExtremes).toHaveBeenCalledTimes(2);
  });

  it('runs one flush at a time; flushes asked for meanwhile share one run after it', async () => {
    let release!: () => void;
    let running = 0;
    let mostAtOnce = 0;
    repository.applyDelta.mockImplementation(async (day: string) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      repository.calls.push(`apply ${day}`);
      if (repository.calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
      return null;
    });
    await recorder.record(null, session());
    const first = recorder.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(repository.calls).toEqual([`apply ${DAY}`]);

    await recorder.record(null, session({ dayKey: OTHER_DAY }));
    const second = recorder.flush();
    const third = recorder.flush();
    expect(third).toBe(second);
    await new Promise((resolve) => setImmediate(resolve));
    expect(repository.calls).toEqual([`apply ${DAY}`]);

    release();
    await first;
    await second;
    expect(repository.calls).toEqual([`apply ${DAY}`, `apply ${OTHER_DAY}`]);
    expect(mostAtOnce).toBe(1);
  });

  describe('timer', () => {
    beforeEach(() => jest.useFakeTimers());

    it('flushes ANALYTICS_FLUSH_INTERVAL_MS after the first unwritten change, and sets no timer while idle', async () => {
      recorder = recorderWith(repository, 1000);
      expect(jest.getTimerCount()).toBe(0);
      await recorder.record(null, session());
      await jest.advanceTimersByTimeAsync(500);
      await recorder.record(null, session());
      await jest.advanceTimersByTimeAsync(499);
      expect(repository.applyDelta).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(repository.applyDelta).toHaveBeenCalledWith(DAY, { inc: { sessions: 2, messages: 2 } });
      expect(jest.getTimerCount()).toBe(0);
    });

    it('flushes right after the change with an interval of 0, and retries a failed day', async () => {
      recorder = recorderWith(repository, 0);
      repository.applyDelta.mockRejectedValueOnce(new Error('database down'));
      await recorder.record(null, session());
      await jest.advanceTimersByTimeAsync(5);
      // Written right away, and again (the retry) without any further change or flush call.
      expect(repository.applyDelta).toHaveBeenCalledTimes(2);
      expect(repository.applyDelta).toHaveBeenLastCalledWith(DAY, { inc: { sessions: 1, messages: 1 } });
      expect(jest.getTimerCount()).toBe(0);
    });

    it('writes the buffer at shutdown and leaves no timer behind', async () => {
      await recorder.record(null, session());
      expect(jest.getTimerCount()).toBe(1);
      await recorder.onApplicationShutdown();
      expect(repository.applyDelta).toHaveBeenCalledWith(DAY, { inc: { sessions: 1, messages: 1 } });
      expect(jest.getTimerCount()).toBe(0);
      await recorder.record(null, session());
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
