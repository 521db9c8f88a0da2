import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model, UpdateQuery } from 'mongoose';
import { LiveChatSession } from '../sessions/schemas/live-chat-session.schema';
import { DayDelta, MergedDayDelta, rollupDocument, SessionAnalyticsFacts } from './analytics-rollup';
import { AnalyticsDay } from './schemas/analytics-day.schema';

/** The only code that touches `analyticsdays` (and reads sessions for a day's response-time extremes). */
@Injectable()
export class AnalyticsRepository {
  constructor(
    @InjectModel(AnalyticsDay.name) private readonly days: Model<AnalyticsDay>,
    @InjectModel(LiveChatSession.name) private readonly sessions: Model<LiveChatSession>,
  ) {}

  /** The rollups of the days `firstDay`..`lastDay` that have one. */
  findDays(firstDay: string, lastDay: string): Promise<AnalyticsDay[]> {
    return this.days
      .find({ _id: mongoose.trusted({ $gte: firstDay, $lte: lastDay }) })
      .lean<AnalyticsDay[]>()
      .exec();
  }

  /** Applies one delta to a day (creating its rollup); returns the rollup after it. */
  applyDelta(day: string, delta: DayDelta): Promise<AnalyticsDay | null> {
    const update: UpdateQuery<AnalyticsDay> = {};
    if (Object.keys(delta.inc).length) update.$inc = delta.inc;
    if (delta.addedResponseMs !== undefined) {
      update.$min = { responseMsMin: delta.addedResponseMs.min };
      update.$max = { responseMsMax: delta.addedResponseMs.max };
    }
    return this.days.findOneAndUpdate({ _id: day }, update, { upsert: true, returnDocument: 'after' }).lean<AnalyticsDay>().exec();
  }

  /** Sets a day's response-time extremes from its sessions (after a first-response time left the day). */
  async recountResponseExtremes(day: string): Promise<void> {
    const answered = { dayKey: day, firstResponseMs: mongoose.trusted({ $ne: null }) };
    const extreme = (direction: 1 | -1) =>
      this.sessions.findOne(answered, { firstResponseMs: 1 }).sort({ firstResponseMs: direction }).lean<Pick<LiveChatSession, 'firstResponseMs'>>().exec();
    const [min, max] = await Promise.all([extreme(1), extreme(-1)]);
    const update: UpdateQuery<AnalyticsDay> =
      min && max ? { $set: { responseMsMin: min.firstResponseMs, responseMsMax: max.firstResponseMs } } : { $unset: { responseMsMin: '', responseMsMax: '' } };
    await this.days.updateOne({ _id: day }, update).exec();
  }

  /** Every session's analytics fields, read in batches. */
  sessionFacts(batchSize: number): AsyncIterable<SessionAnalyticsFacts> {
    const fields = { dayKey: 1, messageCount: 1, closed: 1, rated: 1, ratingScore: 1, assignedAgent: 1, firstResponseMs: 1 };
    return this.sessions.find({}, fields).lean<SessionAnalyticsFacts>().cursor({ batchSize });
  }

  /** Makes `analyticsdays` exactly these days' rollups (`totals`: all the sessions of each day). */
  async replaceDays(totals: Map<string, MergedDayDelta>): Promise<void> {
    for (const [day, delta] of totals) await this.days.replaceOne({ _id: day }, rollupDocument(day, delta), { upsert: true }).exec();
    await this.days.deleteMany({ _id: mongoose.trusted({ $nin: [...totals.keys()] }) }).exec();
  }
}
