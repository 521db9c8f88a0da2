import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * How many sessions have each status, per combination of the list's other filters: `_id` is
 * `department|priority|assignedAgent` (empty when unassigned). Kept by SessionCounts at every
 * session write; `npm run sessions:reindex` recounts them.
 */
@Schema({ collection: 'sessioncounts', versionKey: false })
export class SessionCount {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ default: 0 }) pending: number;
  @Prop({ default: 0 }) active: number;
  @Prop({ default: 0 }) closed: number;
  @Prop({ default: 0 }) archived: number;
}

export const SessionCountSchema = SchemaFactory.createForClass(SessionCount);
