import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { DEPARTMENTS, Department } from '../../../common/domain/departments';

export const SESSION_STATUSES = ['pending', 'active', 'closed', 'archived'] as const;
export const SESSION_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type SessionPriority = (typeof SESSION_PRIORITIES)[number];

@Schema({ _id: false })
export class UserMetadata {
  @Prop() userAgent?: string;
  @Prop() ipAddress?: string;
  @Prop() referrer?: string;
  @Prop() pageUrl?: string;
}

@Schema({ _id: false })
export class ChatUser {
  @Prop({ required: true }) name: string;
  /** As the guest typed it (trimmed), for display. */
  @Prop({ required: true }) email: string;
  /** Trimmed and lower-cased: what customer history looks up. */
  @Prop({ required: true }) emailNormalized: string;
  @Prop() phone?: string;
  /** Set when the host site signed the visitor's identity (widget `identify({token})`). */
  @Prop() verified?: boolean;
  @Prop({ type: UserMetadata, default: {} }) metadata: UserMetadata;
}

@Schema({ _id: false })
export class LastMessage {
  @Prop() content: string;
  @Prop() type: string;
  @Prop() timestamp: Date;
}

@Schema({ _id: false })
export class Rating {
  @Prop({ min: 1, max: 5 }) score: number;
  @Prop() feedback?: string;
  @Prop() ratedAt: Date;
}

@Schema({ _id: true })
export class Note {
  _id: Types.ObjectId;
  @Prop({ required: true }) content: string;
  @Prop({ type: Types.ObjectId, required: true }) addedBy: Types.ObjectId;
  @Prop({ required: true }) addedAt: Date;
}

@Schema({ _id: false })
export class Transfer {
  @Prop({ type: Types.ObjectId }) from?: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) to: Types.ObjectId;
  @Prop() reason?: string;
  @Prop({ type: Types.ObjectId, required: true }) by: Types.ObjectId;
  @Prop({ required: true }) at: Date;
}

/** Who changed what and when: every mutation appends one entry. */
@Schema({ _id: false })
export class AuditEntry {
  @Prop({ required: true }) action: string;
  /** An agent id, or 'guest' / 'system'. */
  @Prop({ required: true }) actor: string;
  @Prop({ required: true }) at: Date;
  @Prop({ type: Object }) details?: Record<string, unknown>;
}

@Schema({ collection: 'livechatsessions', timestamps: true, versionKey: false })
export class LiveChatSession {
  /**
   * The sessionId again: the embedded FerretDB answers `_id` lookups far faster than any other
   * field (it has no secondary-index query pushdown), and every request finds its session by id.
   */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) sessionId: string;
  /**
   * 128 random bits (hex) the guest token is bound to (GuestTokenService), so a session deleted and
   * created again under the same sessionId gets a different token. Never mapped to a response or
   * event (SessionRecord omits it). Not `select: false`: FerretDB refuses the projection Mongoose
   * would then add to findOneAndUpdate.
   */
  @Prop({ required: true }) guestSecret: string;
  @Prop({ type: ChatUser, required: true }) user: ChatUser;
  /** Search and customer history keys (session-search.ts): the folded name, the normalized email. */
  @Prop() nameKey: string;
  @Prop() emailKey: string;
  @Prop({ type: String, enum: SESSION_STATUSES, default: 'pending' }) status: SessionStatus;
  @Prop({ type: String, enum: SESSION_PRIORITIES, default: 'medium' }) priority: SessionPriority;
  @Prop({ type: String, enum: DEPARTMENTS, default: 'general' }) department: Department;
  @Prop({ type: Types.ObjectId, default: null }) assignedAgent: Types.ObjectId | null;
  @Prop() agentName?: string;
  @Prop({ type: [String], default: [] }) tags: string[];
  @Prop({ type: LastMessage }) lastMessage?: LastMessage;
  /** Every stored message, system ones included. */
  @Prop({ default: 0 }) messageCount: number;
  /** Guest messages no agent has read yet. */
  @Prop({ default: 0 }) unreadCount: number;
  /** The last message sequence number handed out in this session. */
  @Prop({ default: 0 }) lastSeq: number;
  @Prop({ required: true }) startedAt: Date;
  @Prop() endedAt?: Date;
  @Prop() firstResponseAt?: Date;
  @Prop({ type: Rating }) rating?: Rating;
  @Prop({ type: [Note], default: [] }) notes: Note[];
  @Prop({ type: [Transfer], default: [] }) transfers: Transfer[];
  @Prop({ type: [AuditEntry], default: [] }) audit: AuditEntry[];

  // Denormalized for analytics (FerretDB has no $avg/$min/$max in $group): written at event time.
  /** The start day, 'YYYY-MM-DD' in ANALYTICS_TIMEZONE. */
  @Prop({ required: true }) dayKey: string;
  /** Milliseconds from start to the first agent reply. */
  @Prop() firstResponseMs?: number;
  /** 1 when rated, so $sum counts rated sessions; ratingScore is the score (0 when unrated). */
  @Prop({ default: 0 }) rated: number;
  @Prop({ default: 0 }) ratingScore: number;
  /** 1 once the session has been closed (or archived), for $sum. */
  @Prop({ default: 0 }) closed: number;

  createdAt: Date;
  updatedAt: Date;
}

export type LiveChatSessionDocument = HydratedDocument<LiveChatSession>;
export const LiveChatSessionSchema = SchemaFactory.createForClass(LiveChatSession);

LiveChatSessionSchema.index({ sessionId: 1 }, { unique: true });
// The admin list: one index per filter, each in the list's order (newest activity first), so a
// page is read in order from an index on MongoDB and on the embedded database (docs/database.md).
LiveChatSessionSchema.index({ updatedAt: -1, _id: -1 });
LiveChatSessionSchema.index({ status: 1, updatedAt: -1, _id: -1 });
LiveChatSessionSchema.index({ department: 1, updatedAt: -1, _id: -1 });
LiveChatSessionSchema.index({ priority: 1, updatedAt: -1, _id: -1 });
LiveChatSessionSchema.index({ assignedAgent: 1, updatedAt: -1, _id: -1 });
// Search by name, email or sessionId prefix, counted per status (updatedAt: the embedded database
// then checks the list's date bounds from the index, docs/database.md).
LiveChatSessionSchema.index({ nameKey: 1, status: 1, updatedAt: -1 });
LiveChatSessionSchema.index({ emailKey: 1, status: 1, updatedAt: -1 });
LiveChatSessionSchema.index({ sessionId: 1, status: 1, updatedAt: -1 });
LiveChatSessionSchema.index({ emailKey: 1, createdAt: -1 });
LiveChatSessionSchema.index({ startedAt: 1 });
// Analytics: a day's fastest/slowest first response, recounted when one leaves the day (AnalyticsRecorder).
LiveChatSessionSchema.index({ dayKey: 1, firstResponseMs: 1 });
