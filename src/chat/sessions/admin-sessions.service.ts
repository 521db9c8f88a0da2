import { Injectable } from '@nestjs/common';
import { agentDisplayName, AgentProfile } from '../../agents/agent-profile';
import { AgentsService } from '../../agents/agents.service';
import type { AuthenticatedAgent } from '../../common/access/authenticated-agent';
import { AppException } from '../../common/errors/app.exception';
import { EventBus } from '../../common/events/event-bus';
import { KeyedLock } from '../../common/locks/keyed-lock';
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
import { AuditEntry, SESSION_STATUSES, SessionStatus } from './schemas/live-chat-session.schema';
import { auditEntry, SYSTEM_ACTOR } from './session-audit';
import { isClosedStatus } from './session-status';
import { SessionCounts } from './session-counts';
import { SessionWriter } from './session-writer';
import { SessionChange, SessionRecord, SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { normalizeEmail } from '../../common/validation/transforms';

/** The system message a session closed for inactivity ends with. */
export const IDLE_CLOSE_MESSAGE = 'This chat was closed due to inactivity.';

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
    private readonly counts: SessionCounts,
    private readonly writer: SessionWriter,
    private readonly guestSessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly agents: AgentsService,
    private readonly lock: KeyedLock,
    private readonly events: EventBus,
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
    const session = await this.guestSessions.getRecord(sessionId);
    const agentIds = [session.assignedAgent, ...(session.notes ?? []).map((note) => note.addedBy)].filter((id) => id !== null).map(String);
    const [agents, messages] = await Promise.all([this.agents.findManyByIds(agentIds), this.messages.list(sessionId, { page, limit })]);
    return { session: mapAdminSession(session, agents), messages };
  }

  /** Assigns the session to an active agent (pending → active). 404 unknown agent, 409 closed session. */
  async assign(sessionId: string, agentId: string, actor: AuthenticatedAgent): Promise<AssignedSessionView> {
    const agent = await this.activeAgent(agentId);
    const { session, activated } = await this.lock.run(sessionId, async () => {
      const current = await this.openSession(sessionId);
      const now = new Date();
      return this.applyAssignment(current, agent, { audit: auditEntry('session.assigned', actor.id, now, { agentId: agent.id }) });
    });
    await this.publishAssignment(session, agent, activated);
    return { sessionId, assignedAgent: agent.id, agentName: agentDisplayName(agent), status: session.status };
  }

  /** Hands the session to another active agent, keeping the transfer history. */
  async transfer(sessionId: string, dto: TransferSessionDto, actor: AuthenticatedAgent): Promise<TransferredSessionView> {
    const agent = await this.activeAgent(dto.toAgentId);
    const { session, activated, previousAgentId } = await this.lock.run(sessionId, async () => {
      const current = await this.openSession(sessionId);
      const from = current.assignedAgent ? current.assignedAgent.toString() : null;
      if (from === agent.id) throw AppException.badRequest('Session is already assigned to this agent');
      const at = new Date();
      const result = await this.applyAssignment(current, agent, {
        transfer: { from, to: agent.id, ...(dto.reason ? { reason: dto.reason } : {}), by: actor.id, at },
        audit: auditEntry('session.transferred', actor.id, at, { from, to: agent.id, ...(dto.reason ? { reason: dto.reason } : {}) }),
      });
      return { ...result, previousAgentId: from };
    });
    await this.publishAssignment(session, agent, activated, previousAgentId ?? undefined);
    return { sessionId, assignedAgent: agent.id, agentName: agentDisplayName(agent) };
  }

  /** Status, priority, department and tags. Closing sets endedAt; reopening clears it. */
  async updateStatus(sessionId: string, dto: UpdateSessionStatusDto, actorId: string): Promise<UpdatedSessionStatusView> {
    const changes = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length === 0) throw AppException.badRequest('Nothing to update');
    const session = await this.lock.run(sessionId, async () => {
      const current = await this.guestSessions.getRecord(sessionId);
      return this.writer.update(current, this.statusChange(current, changes, auditEntry('session.updated', actorId, new Date(), changes)));
    });
    return this.publishStatus(session);
  }

  /**
   * Closes an open session with no activity (no write: message, assignment, note, status, rating,
   * read receipt) since `idleBefore`, as the 'system' actor, the way an agent closing it would, then
   * tells the guest in a system message. Re-checked inside the session's lock: false when the
   * session is gone, closed or active again meanwhile.
   */
  async closeIdle(sessionId: string, idleBefore: Date): Promise<boolean> {
    const session = await this.lock.run(sessionId, async () => {
      const current = await this.sessions.findBySessionId(sessionId);
      if (!current || isClosedStatus(current.status) || current.updatedAt >= idleBefore) return null;
      const changes = { status: 'closed' };
      return this.writer.update(current, this.statusChange(current, changes, auditEntry('session.updated', SYSTEM_ACTOR, new Date(), { ...changes, reason: 'idle' })));
    });
    if (!session) return false;
    await this.publishStatus(session);
    await this.messages.createMessage({ sessionId, type: 'system', content: IDLE_CLOSE_MESSAGE });
    return true;
  }

  /** An internal note: only ever shown on admin endpoints. */
  async addNote(sessionId: string, content: string, actor: AuthenticatedAgent): Promise<AddedNoteView> {
    return this.lock.run(sessionId, async () => {
      const current = await this.guestSessions.getRecord(sessionId);
      const addedAt = new Date();
      const updated = await this.writer.update(current, {
        note: { content, addedBy: actor.id, addedAt },
        audit: auditEntry('note.added', actor.id, addedAt),
      });
      const note = updated.notes[updated.notes.length - 1];
      return { _id: note._id.toString(), content: note.content, addedBy: actor.id, addedAt: note.addedAt };
    });
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

  private async openSession(sessionId: string): Promise<SessionRecord> {
    const session = await this.guestSessions.getRecord(sessionId);
    if (isClosedStatus(session.status)) throw AppException.conflict('Session is closed');
    return session;
  }

  private async applyAssignment(current: SessionRecord, agent: AgentProfile, extra: Pick<SessionChange, 'audit' | 'transfer'>) {
    const activated = current.status === 'pending';
    const session = await this.writer.update(current, {
      ...extra,
      assignedAgentId: agent.id,
      set: { agentName: agentDisplayName(agent), ...(activated ? { status: 'active' } : {}) },
    });
    return { session, activated };
  }

  /** The change setting `changes`; a move between open and closed also sets or clears endedAt and the `closed` flag. */
  private statusChange(current: SessionRecord, changes: Record<string, unknown>, audit: AuditEntry): SessionChange {
    const change: SessionChange = { set: { ...changes }, audit };
    const status = changes.status as SessionStatus | undefined;
    if (status !== undefined && isClosedStatus(status) !== isClosedStatus(current.status)) {
      if (isClosedStatus(status)) Object.assign(change.set!, { endedAt: audit.at, closed: 1 });
      else {
        change.set!.closed = 0;
        change.unset = ['endedAt'];
      }
    }
    return change;
  }

  private async publishStatus(session: SessionRecord): Promise<UpdatedSessionStatusView> {
    const view = { sessionId: session.sessionId, status: session.status, priority: session.priority, department: session.department, tags: session.tags };
    await this.events.publish('session.status_changed', { ...view });
    return view;
  }

  private async publishAssignment(session: SessionRecord, agent: AgentProfile, activated: boolean, previousAgentId?: string): Promise<void> {
    await this.events.publish('session.assigned', {
      sessionId: session.sessionId,
      agent: { id: agent.id, name: agentDisplayName(agent), ...(agent.avatar ? { avatar: agent.avatar } : {}) },
      ...(previousAgentId ? { previousAgentId } : {}),
    });
    if (activated) await this.events.publish('session.status_changed', { sessionId: session.sessionId, status: 'active' });
  }
}
