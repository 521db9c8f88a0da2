import { Injectable } from '@nestjs/common';
import { SessionFactsRecord, SessionsRepository } from './sessions.repository';

/** What other features (analytics) read of the stored sessions; they never touch the collection. */
@Injectable()
export class SessionFacts {
  constructor(private readonly sessions: SessionsRepository) {}

  /** The fastest and slowest first response of the sessions of one day; null when none was answered. */
  responseTimeExtremes(dayKey: string): Promise<{ min: number; max: number } | null> {
    return this.sessions.firstResponseExtremes(dayKey);
  }

  /** Every session's analytics fields, read in batches. */
  all(batchSize: number): AsyncIterable<SessionFactsRecord> {
    return this.sessions.analyticsFacts(batchSize);
  }
}
