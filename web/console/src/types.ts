/** The shapes the console reads from the admin API (LIVE_CHAT_API.md, README "Guest chat and sessions"). */
import type { ChatMessage, ChatUser, ServerFrame, SessionStatus } from '../../shared/types';


export const STATUSES: readonly SessionStatus[] = ['pending', 'active', 'closed', 'archived'];
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const DEPARTMENTS = ['general', 'sales', 'support', 'billing', 'technical'] as const;
export type Status = SessionStatus;
export type Priority = (typeof PRIORITIES)[number];
export type Department = (typeof DEPARTMENTS)[number];
export type StatusCounts = Record<Status, number>;

export interface Agent {
  _id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: 'super_admin' | 'admin' | 'support';
  avatar: string | null;
  availability: 'online' | 'away' | 'offline';
  active: boolean;
}

/** The admin list and views carry more than the guest's side; messages are the same. */
export type Message = ChatMessage;

export interface SessionUser extends ChatUser {
  metadata?: { userAgent?: string; ipAddress?: string; referrer?: string; pageUrl?: string };
}

/** A row of GET /sessions (also `new_session.session`). */
export interface SessionSummary {
  sessionId: string;
  user: SessionUser;
  status: Status;
  priority: Priority;
  department: Department;
  assignedAgent: string | null;
  agentName?: string;
  tags: string[];
  lastMessage?: { content: string; type: string; timestamp: string };
  messageCount: number;
  unreadCount: number;
  startedAt: string;
  endedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Note {
  _id: string;
  content: string;
  addedBy: { _id: string; firstName: string; lastName: string } | null;
  addedAt: string;
}

export interface SessionDetails extends Omit<SessionSummary, 'assignedAgent'> {
  assignedAgent: { _id: string; firstName: string; lastName: string; email: string } | null;
  notes: Note[];
  rating?: { score: number; feedback?: string; ratedAt: string };
  transfers: { from: string | null; to: string; reason?: string; by: string; at: string }[];
  firstResponseAt?: string;
}

export interface Paged<T> {
  data: T[];
  count: number;
  total: number;
  page: number;
  pages: number;
}

export interface SessionPage extends Paged<SessionSummary> {
  statusCounts: StatusCounts;
}

export interface SessionView {
  session: SessionDetails;
  messages: Message[];
  messagesPagination: { page: number; limit: number; total: number; pages: number };
}

export interface HistoryItem {
  sessionId: string;
  status: Status;
  messageCount: number;
  rating?: { score: number };
  createdAt: string;
  endedAt?: string;
}

export interface Analytics {
  period: { start: string; end: string };
  overview: { totalSessions: number; avgMessages: number; closedSessions: number; avgRating: number };
  responseTime: { avgResponseTime: number; minResponseTime: number; maxResponseTime: number };
  sessionsByDay: { _id: string; count: number }[];
  topAgents: { _id: string; sessionsHandled: number; avgRating: number; name: string | null }[];
}

export interface SessionFilters {
  status?: Status;
  department?: Department;
  priority?: Priority;
  /** An agent id or "unassigned". */
  assignedAgent?: string;
  search?: string;
  page: number;
}

/** Admin socket frames the console reacts to (README "Realtime"); the shared ServerFrame lacks `new_session`. */
export type AdminEvent =
  | { type: 'new_session'; session: SessionSummary }
  /** Not from the server: this console changed a session's priority, department or tags (no socket event carries them). */
  | { type: 'local_update'; sessionId: string; changes: Pick<Partial<SessionSummary>, 'priority' | 'department' | 'tags'> }
  | Extract<ServerFrame, { type: 'user_message' | 'agent_message' | 'user_typing' | 'agent_typing' | 'agent_assigned' | 'session_status_changed' | 'read_receipt' }>;
