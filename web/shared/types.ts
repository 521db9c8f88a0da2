/** The API's shapes as the browser apps use them (LIVE_CHAT_API.md plus this service's additions). */
export interface Envelope<T> {
  success: boolean;
  message?: string;
  data: T;
  count?: number;
  total?: number;
  page?: number;
  pages?: number;
}

export type MessageType = 'user' | 'agent' | 'system';
export type SessionStatus = 'pending' | 'active' | 'closed' | 'archived';

export interface Attachment {
  id: string;
  name: string;
  type: string;
  size: number;
  url: string;
  previewUrl?: string;
}

export interface ChatMessage {
  _id: string;
  sessionId: string;
  seq: number;
  type: MessageType;
  content: string;
  agentName?: string;
  agentAvatar?: string;
  agentId?: string;
  attachments?: Attachment[];
  isRead?: boolean;
  readAt?: string;
  clientMessageId?: string;
  createdAt: string;
}

export interface ChatUser {
  name: string;
  email: string;
  phone?: string;
  /** Addition: true when the host site vouched for the visitor with a signed identity token. */
  verified?: boolean;
}

export interface AgentRef {
  id: string;
  name: string;
  avatar?: string;
}

/** Frames the server sends on /ws/live-chat (README "Realtime"). */
export type ServerFrame =
  | { type: 'connection_established'; timestamp: string }
  | { type: 'user_message' | 'agent_message'; sessionId: string; message: ChatMessage }
  | { type: 'user_typing' | 'agent_typing'; sessionId: string; isTyping: boolean }
  | { type: 'agent_assigned'; sessionId: string; agent: AgentRef }
  | { type: 'session_status_changed'; sessionId: string; status: SessionStatus }
  | { type: 'read_receipt'; sessionId: string; messageId: string; readBy: string }
  | { type: 'resumed'; sessionId: string; lastSeq: number }
  | { type: 'pong'; timestamp: string }
  | { type: 'error'; message: string }
  | { type: string; [key: string]: unknown };
