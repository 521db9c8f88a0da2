import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model, UpdateQuery } from 'mongoose';
import { DayDelta, MergedDayDelta, rollupDocument } from './analytics-rollup';
import { AnalyticsDay } from './schemas/analytics-day.schema';

/** The only code that touches `analyticsdays`. */
@Injectable()
export class AnalyticsRepository {
  constructor(@InjectModel(AnalyticsDay.name) private readonly days: Model<AnalyticsDay>) {}

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

  /** Sets a day's response-time extremes (null: the day has no answered session). */
  async setResponseExtremes(day: string, extremes: { min: number; max: number } | null): Promise<void> {
    const update: UpdateQuery<AnalyticsDay> = extremes
      ? { $set: { responseMsMin: extremes.min, responseMsMax: extremes.max } }
      : { $unset: { responseMsMin: '', responseMsMax: '' } };
    await this.days.updateOne({ _id: day }, update).exec();
  }

  /** Makes `analyticsdays` exactly these days' rollups (`totals`: all the sessions of each day). */
  async replaceDays(totals: Map<string, MergedDayDelta>): Promise<void> {
    for (const [day, delta] of totals) await this.days.replaceOne({ _id: day }, rollupDocument(day, delta), { upsert: true }).exec();
    await this.days.deleteMany({ _id: mongoose.trusted({ $nin: [...totals.keys()] }) }).exec();
  }
}
