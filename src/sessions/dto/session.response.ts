import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SessionRecord } from '../sessions.repository';
import { SESSION_DEPARTMENTS, SESSION_PRIORITIES, SESSION_STATUSES } from '../schemas/live-chat-session.schema';

/** What session responses need of an agent (an `AgentProfile` fits); `email` only on admin endpoints. */
export interface AgentRef {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

export class PublicAgentView {
  @ApiProperty() _id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
}

export class AdminAgentView extends PublicAgentView {
  @ApiProperty() email: string;
}

export class RatingView {
  @ApiProperty({ minimum: 1, maximum: 5 }) score: number;
  @ApiPropertyOptional() feedback?: string;
  @ApiProperty() ratedAt: Date;
}

export class LastMessageView {
  @ApiProperty() content: string;
  @ApiProperty() type: string;
  @ApiProperty() timestamp: Date;
}

class UserMetadataView {
  @ApiPropertyOptional() userAgent?: string;
  @ApiPropertyOptional() ipAddress?: string;
  @ApiPropertyOptional() referrer?: string;
  @ApiPropertyOptional() pageUrl?: string;
}

class UserView {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

class UserWithMetadataView extends UserView {
  @ApiPropertyOptional() phone?: string;
  @ApiProperty({ type: UserMetadataView }) metadata: UserMetadataView;
}

const rating = (session: SessionRecord): RatingView | undefined =>
  session.rating?.score ? { score: session.rating.score, ...(session.rating.feedback ? { feedback: session.rating.feedback } : {}), ratedAt: session.rating.ratedAt } : undefined;

const userWithMetadata = (session: SessionRecord): UserWithMetadataView => ({
  name: session.user.name,
  email: session.user.email,
  ...(session.user.phone ? { phone: session.user.phone } : {}),
  metadata: { ...(session.user.metadata ?? {}) },
});

/** The session in the create response. */
export class CreatedSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ type: UserWithMetadataView }) user: UserWithMetadataView;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty({ enum: SESSION_PRIORITIES }) priority: string;
  @ApiProperty({ enum: SESSION_DEPARTMENTS }) department: string;
  @ApiProperty() messageCount: number;
  @ApiProperty() unreadCount: number;
  @ApiProperty() startedAt: Date;
}

export function mapCreatedSession(session: SessionRecord): CreatedSessionView {
  return {
    sessionId: session.sessionId,
    user: userWithMetadata(session),
    status: session.status,
    priority: session.priority,
    department: session.department,
    messageCount: session.messageCount,
    unreadCount: session.unreadCount,
    startedAt: session.startedAt,
  };
}

/** What a guest may see of its own session: never notes, audit, agent emails or metadata. */
export class PublicSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty({ type: PublicAgentView, nullable: true }) assignedAgent: PublicAgentView | null;
  @ApiProperty() messageCount: number;
  @ApiProperty() startedAt: Date;
  @ApiPropertyOptional() endedAt?: Date;
  @ApiPropertyOptional({ type: RatingView }) rating?: RatingView;
}

export function mapPublicSession(session: SessionRecord, agent: AgentRef | null): PublicSessionView {
  const view: PublicSessionView = {
    sessionId: session.sessionId,
    user: { name: session.user.name, email: session.user.email },
    status: session.status,
    assignedAgent: agent ? { _id: agent.id, firstName: agent.firstName, lastName: agent.lastName } : null,
    messageCount: session.messageCount,
    startedAt: session.startedAt,
  };
  if (session.endedAt) view.endedAt = session.endedAt;
  const rated = rating(session);
  if (rated) view.rating = rated;
  return view;
}

/** A row of the admin list (also the `session` of the session.created event). */
export class AdminSessionListItemView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ type: UserView }) user: UserView;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty({ enum: SESSION_PRIORITIES }) priority: string;
  @ApiProperty({ enum: SESSION_DEPARTMENTS }) department: string;
  @ApiProperty({ nullable: true, description: 'Agent id' }) assignedAgent: string | null;
  @ApiPropertyOptional() agentName?: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiPropertyOptional({ type: LastMessageView }) lastMessage?: LastMessageView;
  @ApiProperty() messageCount: number;
  @ApiProperty() unreadCount: number;
  @ApiProperty() startedAt: Date;
  @ApiPropertyOptional() endedAt?: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export function mapAdminSessionListItem(session: SessionRecord): AdminSessionListItemView {
  const view: AdminSessionListItemView = {
    sessionId: session.sessionId,
    user: { name: session.user.name, email: session.user.email },
    status: session.status,
    priority: session.priority,
    department: session.department,
    assignedAgent: session.assignedAgent ? session.assignedAgent.toString() : null,
    tags: session.tags ?? [],
    messageCount: session.messageCount,
    unreadCount: session.unreadCount,
    startedAt: session.startedAt,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
  if (session.agentName) view.agentName = session.agentName;
  if (session.lastMessage?.timestamp) {
    view.lastMessage = { content: session.lastMessage.content, type: session.lastMessage.type, timestamp: session.lastMessage.timestamp };
  }
  if (session.endedAt) view.endedAt = session.endedAt;
  return view;
}
