import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { AgentRole } from '../../common/access/agent-role';
import { AgentAvailability, AgentSource } from '../agent-attributes';
import { DEPARTMENTS } from '../../common/domain/departments';

/** A support agent: a built-in account (password) or a profile provisioned from an external platform's token. */
@Schema({ collection: 'agents', timestamps: true, versionKey: false })
export class Agent {
  _id: Types.ObjectId;

  @Prop({ type: String, required: true, trim: true, maxlength: 100 }) firstName: string;
  @Prop({ type: String, default: '', trim: true, maxlength: 100 }) lastName: string;
  /** Normalised (trimmed, lower case) and unique. */
  @Prop({ type: String, required: true, trim: true, lowercase: true, maxlength: 254 }) email: string;
  @Prop({ type: String, enum: Object.values(AgentRole), required: true, default: AgentRole.Support }) role: AgentRole;
  /**
   * argon2id; absent for agents provisioned from external tokens (they cannot log in here). Not
   * `select: false` (FerretDB refuses projections on findAndModify): the repository leaves it out.
   */
  @Prop({ type: String }) passwordHash?: string;
  @Prop({ type: String, default: null }) avatar: string | null;
  @Prop({ type: [String], enum: DEPARTMENTS, default: [] }) departments: string[];
  @Prop({ type: Number, default: 5, min: 1, max: 100 }) maxConcurrentChats: number;
  @Prop({ type: String, enum: Object.values(AgentAvailability), default: AgentAvailability.Offline }) availability: AgentAvailability;
  @Prop({ type: Boolean, default: true }) active: boolean;
  @Prop({ type: String, enum: Object.values(AgentSource), default: AgentSource.Local }) source: AgentSource;
  @Prop({ type: Date, default: null }) lastLoginAt: Date | null;
  /** Tokens issued (iat) before this instant are refused: set on deactivation and password changes. */
  @Prop({ type: Date, default: null }) tokensNotBefore: Date | null;

  createdAt: Date;
  updatedAt: Date;
}

export type AgentDocument = HydratedDocument<Agent>;
export const AgentSchema = SchemaFactory.createForClass(Agent);

AgentSchema.index({ email: 1 }, { unique: true });
AgentSchema.index({ role: 1, active: 1 });
AgentSchema.index({ active: 1, availability: 1 });
