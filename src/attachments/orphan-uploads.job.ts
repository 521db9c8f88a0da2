import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobLock } from '../common/locks/job-lock';
import { Env } from '../config/env.validation';
import { AttachmentsService } from './attachments.service';

const MIN_INTERVAL_MS = 60_000;
const MAX_INTERVAL_MS = 15 * 60_000;

/**
 * Runs `AttachmentsService.sweepOrphans` every quarter of UPLOAD_ORPHAN_GRACE_MINUTES (between one
 * and fifteen minutes), once across the fleet.
 */
@Injectable()
export class OrphanUploadsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrphanUploadsJob.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly attachments: AttachmentsService,
    private readonly jobLock: JobLock,
    config: ConfigService<Env, true>,
  ) {
    const graceMs = config.get('UPLOAD_ORPHAN_GRACE_MINUTES', { infer: true }) * 60_000;
    this.intervalMs = Math.min(Math.max(graceMs / 4, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      await this.jobLock.runOnce('orphan-uploads', this.intervalMs - 5_000, async () => {
        const removed = await this.attachments.sweepOrphans();
        if (removed > 0) this.logger.log(`Removed ${removed} uploads never attached to a message`);
      });
    } catch (err) {
      this.logger.error({ err }, 'Orphan upload cleanup failed');
    }
  }
}
