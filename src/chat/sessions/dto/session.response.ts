import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageView } from '../../messages/dto/message.response';
import { SessionRecord } from '../sessions.repository';
import { SESSION_PRIORITIES, SESSION_STATUSES, SessionStatus } from '../schemas/live-chat-session.schema';
import { DEPARTMENTS } from '../../../common/domain/departments';

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
  @ApiPropertyOptional({ description: 'Addition: true when the host site signed the identity (absent: what the visitor typed)' }) verified?: boolean;
}

const userView = (session: SessionRecord): UserView => ({
  name: session.user.name,
  email: session.user.email,
  ...(session.user.verified ? { verified: true } : {}),
});

class UserWithMetadataView extends UserView {
  @ApiPropertyOptional() phone?: string;
  @ApiProperty({ type: UserMetadataView }) metadata: UserMetadataView;
}

const rating = (session: SessionRecord): RatingView | undefined =>
  session.rating?.score ? { score: session.rating.score, ...(session.rating.feedback ? { feedback: session.rating.feedback } : {}), ratedAt: session.rating.ratedAt } : undefined;

const userWithMetadata = (session: SessionRecord): UserWithMetadataView => ({
  ...userView(session),
  ...(session.user.phone ? { phone: session.user.phone } : {}),
  metadata: { ...(session.user.metadata ?? {}) },
});

/** The session in the create response. */
export class CreatedSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ type: UserWithMetadataView }) user: UserWithMetadataView;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty({ enum: SESSION_PRIORITIES }) priority: string;
  @ApiProperty({ enum: DEPARTMENTS }) department: string;
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
    user: userView(session),
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
  @ApiProperty({ enum: DEPARTMENTS }) department: string;
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
    user: userView(session),
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

export class NoteAuthorView {
  @ApiProperty() _id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
}

export class NoteView {
  @ApiProperty() _id: string;
  @ApiProperty() content: string;
  @ApiProperty({ type: NoteAuthorView, nullable: true, description: 'null when the agent no longer exists' }) addedBy: NoteAuthorView | null;
  @ApiProperty() addedAt: Date;
}

export class TransferView {
  @ApiProperty({ nullable: true }) from: string | null;
  @ApiProperty() to: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty() by: string;
  @ApiProperty() at: Date;
}

export class AuditView {
  @ApiProperty() action: string;
  @ApiProperty({ description: 'An agent id, "guest" or "system"' }) actor: string;
  @ApiProperty() at: Date;
  @ApiPropertyOptional({ type: Object }) details?: Record<string, unknown>;
}

/** The admin view of one session: everything, agents populated. */
export class AdminSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ type: UserWithMetadataView }) user: UserWithMetadataView;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty({ enum: SESSION_PRIORITIES }) priority: string;
  @ApiProperty({ enum: DEPARTMENTS }) department: string;
  @ApiProperty({ type: AdminAgentView, nullable: true }) assignedAgent: AdminAgentView | null;
  @ApiPropertyOptional() agentName?: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: [NoteView] }) notes: NoteView[];
  @ApiPropertyOptional({ type: RatingView }) rating?: RatingView;
  @ApiProperty({ type: [TransferView] }) transfers: TransferView[];
  @ApiProperty({ type: [AuditView] }) audit: AuditView[];
  @ApiPropertyOptional({ type: LastMessageView }) lastMessage?: LastMessageView;
  @ApiProperty() messageCount: number;
  @ApiProperty() unreadCount: number;
  @ApiProperty() startedAt: Date;
  @ApiPropertyOptional() endedAt?: Date;
  @ApiPropertyOptional() firstResponseAt?: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

/** `agents`: the profiles of every agent the session names (assignee, note authors), by id. */
export function mapAdminSession(session: SessionRecord, agents: Map<string, AgentRef>): AdminSessionView {
  const list = mapAdminSessionListItem(session);
  const assigned = session.assignedAgent ? agents.get(session.assignedAgent.toString()) : undefined;
  const view: AdminSessionView = {
    ...list,
    user: userWithMetadata(session),
    assignedAgent: assigned ? { _id: assigned.id, firstName: assigned.firstName, lastName: assigned.lastName, email: assigned.email } : null,
    notes: (session.notes ?? []).map((note) => {
      const author = agents.get(note.addedBy.toString());
      return {
        _id: note._id.toString(),
        content: note.content,
        addedBy: author ? { _id: author.id, firstName: author.firstName, lastName: author.lastName } : null,
        addedAt: note.addedAt,
      };
    }),
    transfers: (session.transfers ?? []).map((transfer) => ({
      from: transfer.from ? transfer.from.toString() : null,
      to: transfer.to.toString(),
      ...(transfer.reason ? { reason: transfer.reason } : {}),
      by: transfer.by.toString(),
      at: transfer.at,
    })),
    audit: (session.audit ?? []).map(({ action, actor, at, details }) => ({ action, actor, at, ...(details ? { details } : {}) })),
  };
  const rated = rating(session);
  if (rated) view.rating = rated;
  if (session.firstResponseAt) view.firstResponseAt = session.firstResponseAt;
  return view;
}

/** A row of a customer's history. */
export class CustomerHistoryItemView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiProperty() messageCount: number;
  @ApiPropertyOptional({ description: 'Only when rated' }) rating?: { score: number };
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional() endedAt?: Date;
}

export function mapCustomerHistoryItem(session: SessionRecord): CustomerHistoryItemView {
  return {
    sessionId: session.sessionId,
    status: session.status,
    messageCount: session.messageCount,
    ...(session.rating?.score ? { rating: { score: session.rating.score } } : {}),
    createdAt: session.createdAt,
    ...(session.endedAt ? { endedAt: session.endedAt } : {}),
  };
}

/** `data` of POST /sessions. */
export class CreatedSessionResponse {
  @ApiProperty({ type: CreatedSessionView }) session: CreatedSessionView;
  @ApiProperty({ type: MessageView }) welcomeMessage: MessageView;
  @ApiProperty({ description: 'Send it as `Authorization: Bearer` or `X-Guest-Token` on the other guest endpoints and the WebSocket' })
  guestToken: string;
}

/** `data` of PATCH /sessions/:sessionId/end. */
export class EndedSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: string;
  @ApiPropertyOptional() endedAt?: Date;
}

/** `data` of POST /sessions/:sessionId/rate. */
export class RatedSessionView {
  @ApiProperty({ type: RatingView }) rating: RatingView;
}

/** `data` of PATCH .../assign; POST .../transfer has no `status`. */
export class AssignedSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ description: 'Agent id' }) assignedAgent: string;
  @ApiProperty() agentName: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
}

export class TransferredSessionView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ description: 'Agent id' }) assignedAgent: string;
  @ApiProperty() agentName: string;
}

/** `data` of PATCH .../status. */
export class UpdatedSessionStatusView {
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ enum: SESSION_PRIORITIES }) priority: string;
  @ApiProperty({ enum: DEPARTMENTS }) department: string;
  @ApiProperty({ type: [String] }) tags: string[];
}

/** `data` of POST .../notes. */
export class AddedNoteView {
  @ApiProperty() _id: string;
  @ApiProperty() content: string;
  @ApiProperty({ description: 'Agent id' }) addedBy: string;
  @ApiProperty() addedAt: Date;
}

class MessagesPaginationView {
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
  @ApiProperty() pages: number;
}

/** `data` of GET /admin/.../sessions/:sessionId. */
export class AdminSessionDetailsView {
  @ApiProperty({ type: AdminSessionView }) session: AdminSessionView;
  @ApiProperty({ type: [MessageView] }) messages: MessageView[];
  @ApiProperty({ type: MessagesPaginationView }) messagesPagination: MessagesPaginationView;
}
