import { ConfigService } from '@nestjs/config';
import { InProcessJobLock } from '../common/locks/job-lock';
import { AttachmentsService } from './attachments.service';
import { OrphanUploadsJob } from './orphan-uploads.job';

describe('OrphanUploadsJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const jobWith = (graceMinutes: number) => {
    const sweepOrphans = jest.fn().mockResolvedValue(0);
    const config = { get: () => graceMinutes } as unknown as ConfigService;
    const job = new OrphanUploadsJob({ sweepOrphans } as unknown as AttachmentsService, new InProcessJobLock(), config as never);
    return { job, sweepOrphans };
  };

  it('sweeps every quarter of the grace period, and stops at shutdown', async () => {
    const { job, sweepOrphans } = jobWith(60);
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(15 * 60_000 - 1);
    expect(sweepOrphans).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(sweepOrphans).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(15 * 60_000);
    expect(sweepOrphans).toHaveBeenCalledTimes(2);
    job.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(sweepOrphans).toHaveBeenCalledTimes(2);
  });

  it('runs at most every minute for short grace periods, and survives a failing sweep', async () => {
    const { job, sweepOrphans } = jobWith(1);
    sweepOrphans.mockRejectedValueOnce(new Error('database down'));
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    expect(sweepOrphans).toHaveBeenCalledTimes(2);
    job.onApplicationShutdown();
  });
});
