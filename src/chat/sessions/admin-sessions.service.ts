import { Injectable } from '@nestjs/common';
import { agentDisplayName, AgentProfile } from '../../agents/agent-profile';
import { AgentsService } from '../../agents/agents.service';
import type { AuthenticatedAgent } from '../../common/access/authenticated-agent';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { MessagePage, MessagesService } from '../messages/messages.service';
import { ListSessionsQueryDto, TransferSessionDto, UNASSIGNED, UpdateSessionStatusDto } from './dto/admin-sessions.dto';
import {
  AddedNoteView,
  AdminSessionListItemView,
  AssignedSessionView,
  TransferredSessionView,
  UpdatedSessionStatusView,
  AdminSessionView,
  CustomerHistoryItemView,
  mapAdminSession,
  mapAdminSessionListItem,
  mapCustomerHistoryItem,
} from './dto/session.response';
import { ChatUnitOfWork } from './chat-unit-of-work';
import { SESSION_STATUSES, SessionStatus } from './schemas/live-chat-session.schema';
import * as transitions from './session-transitions';
import { SessionRecord, SessionsRepository } from './sessions.repository';
import { SessionCounts } from './session-counts';
import { normalizeEmail } from '../../common/validation/transforms';

/** The system message a session closed for inactivity ends with. */
export const IDLE_CLOSE_MESSAGE = 'This chat was closed due to inactivity.';

const assigneeOf = (agent: AgentProfile): transitions.Assignee => ({
  id: agent.id,
  name: agentDisplayName(agent),
  ...(agent.avatar ? { avatar: agent.avatar } : {}),
});

const statusView = (session: SessionRecord): UpdatedSessionStatusView => ({
  sessionId: session.sessionId,
  status: session.status,
  priority: session.priority,
  department: session.department,
  tags: session.tags,
});

export interface SessionListPage {
  items: AdminSessionListItemView[];
  total: number;
  statusCounts: Record<SessionStatus, number>;
}

/** The agents' side of sessions: list, details, assignment, transfer, status, notes, history. */
@Injectable()
export class AdminSessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly chat: ChatUnitOfWork,
    private readonly counts: SessionCounts,
    private readonly messages: MessagesService,
    private readonly agents: AgentsService,
  ) {}

  /** Newest activity first; `statusCounts` counts all four statuses under the other filters. */
  async list(query: ListSessionsQueryDto): Promise<SessionListPage> {
    const filter = {
      department: query.department,
      priority: query.priority,
      assignedAgent: query.assignedAgent === undefined ? undefined : query.assignedAgent === UNASSIGNED ? null : query.assignedAgent,
      search: query.search || undefined,
    };
    const [items, statusCounts] = await Promise.all([
      this.sessions.page({ ...filter, status: query.status }, query.page, query.limit),
      filter.search ? this.sessions.countByStatus(filter) : this.counts.under(filter),
    ]);
    // Every session has one of the statuses, so the total is a sum of statusCounts, not another count.
    const total = query.status ? statusCounts[query.status] : SESSION_STATUSES.reduce((sum, status) => sum + statusCounts[status], 0);
    return { items: items.map(mapAdminSessionListItem), total, statusCounts };
  }

  /** The session with agents populated, and one page of its messages (oldest first). */
  async details(sessionId: string, page: number, limit: number): Promise<{ session: AdminSessionView; messages: MessagePage }> {
    const session = await this.chat.load(sessionId);
    const agentIds = [session.assignedAgent, ...(session.notes ?? []).map((note) => note.addedBy)].filter((id) => id !== null).map(String);
    const [agents, messages] = await Promise.all([this.agents.findManyByIds(agentIds), this.messages.list(sessionId, { page, limit })]);
    return { session: mapAdminSession(session, agents), messages };
  }

  /** Assigns the session to an active agent (pending → active). 404 unknown agent, 409 closed session. */
  async assign(sessionId: string, agentId: string, actor: AuthenticatedAgent): Promise<AssignedSessionView> {
    const agent = assigneeOf(await this.activeAgent(agentId));
    return this.chat.transition(
      sessionId,
      (current) => transitions.assign(current, agent, actor.id, new Date()),
      (after) => ({ sessionId, assignedAgent: agent.id, agentName: agent.name, status: after.status }),
    );
  }

  /** Hands the session to another active agent, keeping the transfer history. */
  async transfer(sessionId: string, dto: TransferSessionDto, actor: AuthenticatedAgent): Promise<TransferredSessionView> {
    const agent = assigneeOf(await this.activeAgent(dto.toAgentId));
    return this.chat.transition(
      sessionId,
      (current) => transitions.transfer(current, agent, actor.id, dto.reason, new Date()),
      () => ({ sessionId, assignedAgent: agent.id, agentName: agent.name }),
    );
  }

  /** Status, priority, department and tags. Closing sets endedAt; reopening clears it. */
  updateStatus(sessionId: string, dto: UpdateSessionStatusDto, actorId: string): Promise<UpdatedSessionStatusView> {
    const fields = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as transitions.SessionFieldsInput;
    if (Object.keys(fields).length === 0) throw AppException.badRequest('Nothing to update');
    return this.chat.transition(sessionId, (current) => transitions.updateFields(current, fields, actorId, new Date()), statusView);
  }

  /**
   * Closes an open session with no activity (no write: message, assignment, note, status, rating,
   * read receipt) since `idleBefore`, as the 'system' actor, then tells the guest in a system
   * message. Decided inside the session's lock: false when the session is gone, closed or active
   * again meanwhile.
   */
  async closeIdle(sessionId: string, idleBefore: Date): Promise<boolean> {
    let closed: boolean;
    try {
      closed = await this.chat.transition(
        sessionId,
        (current) => transitions.idleClose(current, idleBefore, new Date()),
        (after, before) => after.status !== before.status,
      );
    } catch (err) {
      if (err instanceof AppException && err.code === ErrorCode.NotFound) return false;
      throw err;
    }
    if (closed) await this.messages.createMessage({ sessionId, type: 'system', content: IDLE_CLOSE_MESSAGE });
    return closed;
  }

  /** An internal note: only ever shown on admin endpoints. */
  addNote(sessionId: string, content: string, actor: AuthenticatedAgent): Promise<AddedNoteView> {
    return this.chat.transition(
      sessionId,
      () => transitions.addNote(content, actor.id, new Date()),
      (after) => {
        const note = after.notes[after.notes.length - 1];
        return { _id: note._id.toString(), content: note.content, addedBy: actor.id, addedAt: note.addedAt };
      },
    );
  }

  /** A customer's sessions by email (trimmed, case-insensitive), newest first. */
  async customerHistory(email: string, page: number, limit: number): Promise<{ items: CustomerHistoryItemView[]; total: number }> {
    const { items, total } = await this.sessions.listByEmail(normalizeEmail(email), page, limit);
    return { items: items.map(mapCustomerHistoryItem), total };
  }

  private async activeAgent(agentId: string): Promise<AgentProfile> {
    const agent = await this.agents.findById(agentId);
    if (!agent || !agent.active) throw AppException.notFound('Agent not found');
    return agent;
  }
}
