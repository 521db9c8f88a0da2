import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InProcessJobLock } from '../../common/locks/job-lock';
import { Env } from '../../config/env.validation';
import { AdminSessionsService } from './admin-sessions.service';
import { IdleSessionsJob } from './idle-sessions.job';
import { SessionsRepository } from './sessions.repository';

/** The sweep's batching, over an in-memory list of idle session ids. */
function jobOver(idle: string[], refuse: (sessionId: string) => boolean = () => false, minutes = 30) {
  const open = new Set(idle);
  const sessions = { findIdleOpen: async (_before: Date, limit: number) => [...open].slice(0, limit) } as unknown as SessionsRepository;
  const admin = {
    closeIdle: async (sessionId: string) => {
      if (refuse(sessionId)) throw new Error('boom');
      return open.delete(sessionId);
    },
  } as unknown as AdminSessionsService;
  const config = { get: () => minutes } as unknown as ConfigService<Env, true>;
  return { job: new IdleSessionsJob(sessions, admin, new InProcessJobLock(), config), open };
}

describe('IdleSessionsJob.sweep', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `session-${String(i).padStart(8, '0')}`);

  it('queries again while full batches close sessions, until every idle one is closed', async () => {
    const { job, open } = jobOver(ids(250));
    expect(await job.sweep()).toBe(250);
    expect(open.size).toBe(0);
  });

  it('stops (instead of looping) when a full batch closes nothing, e.g. every close fails', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { job, open } = jobOver(ids(150), (id) => id < 'session-00000100');
    expect(await job.sweep()).toBe(0);
    expect(open.size).toBe(150);
    expect(logged).toHaveBeenCalledTimes(100);
    logged.mockRestore();
  });

  it('does nothing when SESSION_IDLE_CLOSE_MINUTES is 0', async () => {
    const { job, open } = jobOver(ids(3), undefined, 0);
    expect(await job.sweep()).toBe(0);
    expect(open.size).toBe(3);
  });
});
