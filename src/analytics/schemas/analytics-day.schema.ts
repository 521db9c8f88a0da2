import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One agent's sessions on a day (sessions currently assigned to the agent). */
export interface AgentDayCounters {
  sessions: number;
  rated: number;
  ratingSum: number;
}

/**
 * The analytics rollup of one day (in ANALYTICS_TIMEZONE): counters over the sessions that started
 * that day, updated with `$inc`/`$min`/`$max` from the changes of such sessions (AnalyticsRecorder,
 * which buffers them for up to ANALYTICS_FLUSH_INTERVAL_MS).
 * `_id` is the day key, so a day is read and written by `_id`, the one filter the embedded
 * database answers without scanning.
 */
@Schema({ collection: 'analyticsdays', versionKey: false, minimize: false })
export class AnalyticsDay {
  /** 'YYYY-MM-DD'. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ default: 0 }) sessions: number;
  /** Sum of the sessions' messageCount. */
  @Prop({ default: 0 }) messages: number;
  @Prop({ default: 0 }) closed: number;
  @Prop({ default: 0 }) rated: number;
  @Prop({ default: 0 }) ratingSum: number;
  /** Sessions with a first agent reply, and the sum of their first-response times (ms). */
  @Prop({ default: 0 }) answered: number;
  @Prop({ default: 0 }) responseMsSum: number;
  /** Smallest and largest first-response time of the day; absent while `answered` is 0. */
  @Prop() responseMsMin?: number;
  @Prop() responseMsMax?: number;
  /** By agent id. */
  @Prop({ type: Object, default: {} }) agents: Record<string, AgentDayCounters>;
}

export const AnalyticsDaySchema = SchemaFactory.createForClass(AnalyticsDay);
