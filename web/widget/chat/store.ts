import { ApiClient, ApiError } from '../../shared/api';
import { LiveSocket, SocketStatus } from '../../shared/socket';
import type { AgentRef, Attachment, ChatMessage, ServerFrame, SessionStatus } from '../../shared/types';
import type { ChatContext, Identity } from '../contract';
import { STORAGE_KEY } from '../contract';

/** The upload endpoint's rules (README "Attachments"), checked before sending to explain refusals early. */
export const UPLOAD_RULES = {
  maxBytes: 10 * 1024 * 1024,
  extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'txt'],
};

interface StoredSession {
  sessionId: string;
  guestToken: string;
}

/** A message of the visitor's not confirmed by the server yet; `clientMessageId` makes retries safe. */
export interface PendingMessage {
  clientMessageId: string;
  content: string;
  files: File[];
  attachmentIds?: string[];
  state: 'sending' | 'failed';
}

/** A line in the conversation that is not a message: "Jane joined the chat". */
export interface Notice {
  key: string;
  afterSeq: number;
  text: string;
}

export interface ChatState {
  phase: 'form' | 'ready' | 'chat';
  sessionId: string | null;
  status: SessionStatus | null;
  messages: ChatMessage[];
  pending: PendingMessage[];
  notices: Notice[];
  /** Ids of the visitor's messages an agent has read. */
  readByAgent: Set<string>;
  agent: AgentRef | null;
  agentTyping: boolean;
  connection: SocketStatus;
  error: string | null;
  busy: boolean;
  rated: boolean;
}

export interface NewVisitor {
  name: string;
  email: string;
  phone?: string;
}

const TYPING_IDLE_MS = 3000;
const RETRYABLE = (err: unknown) => err instanceof ApiError && (err.status === 0 || err.status === 429 || err.status >= 500);

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function readStored(): StoredSession | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
    return value && typeof value.sessionId === 'string' && typeof value.guestToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

function writeStored(value: StoredSession | null): void {
  try {
    if (value) localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode, blocked cookies): the chat still works until the page closes.
  }
}

/**
 * The widget's chat, without any UI: the session, its messages in `seq` order (each once, whether it
 * came from a REST answer, the socket or a `resume`), the visitor's unconfirmed messages, typing,
 * read receipts and unread count. The UI renders `state` and calls the methods.
 */
export class ChatStore {
  state: ChatState;
  private readonly api: ApiClient;
  private socket: LiveSocket | null = null;
  private stored: StoredSession | null = readStored();
  private identity: Identity | undefined;
  private listeners = new Set<() => void>();
  private open = false;
  private typingSince = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private unread = -1;

  constructor(private readonly context: ChatContext) {
    this.identity = context.identity;
    this.api = new ApiClient({ baseUrl: context.baseUrl, token: () => this.stored?.guestToken });
    this.state = {
      phase: this.stored ? 'chat' : this.identified() ? 'ready' : 'form',
      sessionId: this.stored?.sessionId ?? null,
      status: null,
      messages: [],
      pending: [],
      notices: [],
      readByAgent: new Set(),
      agent: null,
      agentTyping: false,
      connection: 'offline',
      error: null,
      busy: false,
      rated: false,
    };
    addEventListener('online', () => this.retryFailed());
    if (this.stored) void this.restore();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setOpen(open: boolean): void {
    this.open = open;
    if (open) this.markRead();
    this.updateUnread();
  }

  identify(identity: Identity): void {
    this.identity = identity;
    if (this.state.phase === 'form' && this.identified()) this.set({ phase: 'ready' });
  }

  /** Where an attachment can be opened: the service's URL, with the guest token for `<img>`/links. */
  fileUrl(url: string): string {
    if (/^https?:\/\//.test(url)) return url;
    const token = this.stored?.guestToken;
    return `${this.context.baseUrl}${url}${token ? `${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : ''}`;
  }

  /** Pre-chat form (or identify's details): creates the session. */
  async start(visitor?: NewVisitor): Promise<boolean> {
    if (this.state.busy) return false;
    this.set({ busy: true, error: null });
    try {
      const { data } = await this.api.post<{ session: { sessionId: string; status: SessionStatus }; welcomeMessage: ChatMessage; guestToken: string }>(
        '/api/live-chat/sessions',
        this.sessionBody(visitor),
      );
      this.stored = { sessionId: data.session.sessionId, guestToken: data.guestToken };
      writeStored(this.stored);
      this.set({ phase: 'chat', sessionId: data.session.sessionId, status: data.session.status, messages: [], pending: this.state.pending, notices: [], rated: false, agent: null });
      this.receive(data.welcomeMessage);
      this.connect();
      return true;
    } catch (err) {
      this.set({ error: err instanceof ApiError ? err.message : this.context.strings.errorGeneric });
      return false;
    } finally {
      this.set({ busy: false });
    }
  }

  /** Sends a message (and its files); kept and retried with the same `clientMessageId` until stored. */
  async send(content: string, files: File[]): Promise<void> {
    const text = content.trim();
    if (!text && files.length === 0) return;
    this.stopTyping();
    const pending: PendingMessage = { clientMessageId: randomId(), content: text, files, state: 'sending' };
    this.set({ pending: [...this.state.pending, pending], error: null });
    if (!this.stored && !(await this.start())) return this.fail(pending, false);
    await this.deliver(pending);
  }

  /** The files the upload endpoint would take; the others are named in `error`. */
  acceptFiles(files: File[]): File[] {
    const { strings } = this.context;
    const refusals: string[] = [];
    const accepted = files.filter((file) => {
      const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
      const refusal = !UPLOAD_RULES.extensions.includes(extension)
        ? strings.fileTypeNotAllowed(file.name)
        : file.size > UPLOAD_RULES.maxBytes
          ? strings.fileTooLarge(file.name, UPLOAD_RULES.maxBytes / 1024 / 1024)
          : null;
      if (refusal) refusals.push(refusal);
      return !refusal;
    });
    this.set({ error: refusals.length > 0 ? refusals.join(' ') : null });
    return accepted;
  }

  retry(clientMessageId: string): void {
    const pending = this.state.pending.find((p) => p.clientMessageId === clientMessageId);
    if (pending) void this.deliver(pending);
  }

  /** The visitor is typing: one `typing: true` per few seconds, `false` after a pause or on send. */
  typing(): void {
    if (!this.stored || this.state.status === 'closed') return;
    const now = Date.now();
    if (now - this.typingSince > TYPING_IDLE_MS) {
      this.typingSince = now;
      this.sendTyping(true);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  async end(): Promise<void> {
    if (!this.stored) return;
    try {
      await this.api.patch(`/api/live-chat/sessions/${this.stored.sessionId}/end`, {});
      this.set({ status: 'closed' });
    } catch (err) {
      this.set({ error: err instanceof ApiError ? err.message : this.context.strings.errorGeneric });
    }
  }

  async rate(score: number, feedback: string): Promise<void> {
    if (!this.stored) return;
    try {
      await this.api.post(`/api/live-chat/sessions/${this.stored.sessionId}/rate`, feedback.trim() ? { score, feedback: feedback.trim() } : { score });
      this.set({ rated: true, error: null });
    } catch (err) {
      this.set({ error: err instanceof ApiError ? err.message : this.context.strings.errorGeneric });
    }
  }

  /** After a closed chat: forget it and offer a new one. */
  reset(): void {
    this.socket?.stop();
    this.socket = null;
    this.stored = null;
    writeStored(null);
    this.set({ phase: this.identified() ? 'ready' : 'form', sessionId: null, status: null, messages: [], pending: [], notices: [], readByAgent: new Set(), agent: null, agentTyping: false, rated: false, error: null });
    this.updateUnread();
  }

  dismissError(): void {
    this.set({ error: null });
  }

  private identified(): boolean {
    return Boolean(this.identity?.token || (this.identity?.name && this.identity.email));
  }

  private sessionBody(visitor?: NewVisitor): Record<string, unknown> {
    const { token, ...details } = this.identity ?? {};
    const user = visitor ?? details;
    const body: Record<string, unknown> = { pageUrl: location.href.startsWith('http') ? location.href.slice(0, 2048) : undefined };
    if (user.name || user.email) body.user = { name: user.name, email: user.email, ...(user.phone ? { phone: user.phone } : {}) };
    if (token) body.identityToken = token;
    return body;
  }


  private async deliver(pending: PendingMessage): Promise<void> {
    const sessionId = this.stored!.sessionId;
    this.updatePending(pending, { state: 'sending' });
    try {
      if (pending.files.length > 0 && !pending.attachmentIds) {
        const form = new FormData();
        form.append('sessionId', sessionId);
        for (const file of pending.files) form.append('files', file, file.name);
        const { data } = await this.api.postForm<{ attachments: Attachment[] }>('/api/live-chat/upload', form);
        pending.attachmentIds = data.attachments.map((a) => a.id);
      }
      const { data } = await this.api.post<ChatMessage>(`/api/live-chat/sessions/${sessionId}/messages`, {
        content: pending.content,
        clientMessageId: pending.clientMessageId,
        ...(pending.attachmentIds ? { attachmentIds: pending.attachmentIds } : {}),
      });
      this.receive(data);
    } catch (err) {
      this.fail(pending, RETRYABLE(err));
      if (!RETRYABLE(err)) this.set({ error: err instanceof ApiError ? err.message : this.context.strings.errorGeneric });
    }
  }

  /** Retryable failures stay in the list (retried when back online); refusals are dropped. */
  private fail(pending: PendingMessage, retryable: boolean): void {
    if (retryable) this.updatePending(pending, { state: 'failed' });
    else this.set({ pending: this.state.pending.filter((p) => p.clientMessageId !== pending.clientMessageId) });
  }

  private retryFailed(): void {
    if (!this.stored) return;
    for (const pending of this.state.pending) if (pending.state === 'failed') void this.deliver(pending);
  }

  private updatePending(pending: PendingMessage, patch: Partial<PendingMessage>): void {
    Object.assign(pending, patch);
    this.set({ pending: [...this.state.pending] });
  }

  private async restore(): Promise<void> {
    const { sessionId } = this.stored!;
    try {
      const { data } = await this.api.get<{ status: SessionStatus; assignedAgent: { _id: string; firstName: string; lastName: string } | null; rating?: unknown }>(
        `/api/live-chat/sessions/${sessionId}`,
      );
      const agent = data.assignedAgent ? { id: data.assignedAgent._id, name: `${data.assignedAgent.firstName} ${data.assignedAgent.lastName}`.trim() } : null;
      this.set({ status: data.status, agent, rated: Boolean(data.rating) });
      // The socket's `resume {afterSeq: 0}` brings the whole conversation, in order.
      this.connect();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) this.reset();
      else {
        this.set({ error: this.context.strings.errorGeneric });
        this.connect();
      }
    }
  }

  private connect(): void {
    if (this.socket || !this.stored) return;
    const { sessionId, guestToken } = this.stored;
    const wsBase = this.context.baseUrl.replace(/^http/, 'ws');
    this.socket = new LiveSocket({
      url: () => `${wsBase}/ws/live-chat?sessionId=${encodeURIComponent(sessionId)}&token=${encodeURIComponent(guestToken)}`,
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (connection) => {
        this.set({ connection });
        this.emitStatus();
        if (connection === 'online') {
          this.retryFailed();
          if (this.open) this.markRead();
        }
      },
      resume: () => [{ afterSeq: this.lastSeq() }],
      stopOnCodes: [4404],
    });
    this.socket.start();
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'user_message':
      case 'agent_message':
        this.receive((frame as { message: ChatMessage }).message);
        if (frame.type === 'agent_message') this.set({ agentTyping: false });
        break;
      case 'agent_typing':
        this.set({ agentTyping: Boolean((frame as { isTyping: boolean }).isTyping) });
        break;
      case 'agent_assigned': {
        const agent = (frame as { agent: AgentRef }).agent;
        const notice = { key: `agent-${agent.id}-${this.lastSeq()}`, afterSeq: this.lastSeq(), text: this.context.strings.agentJoined(agent.name) };
        this.set({ agent, notices: [...this.state.notices, notice] });
        break;
      }
      case 'session_status_changed':
        this.set({ status: (frame as { status: SessionStatus }).status, agentTyping: false });
        this.emitStatus();
        break;
      case 'read_receipt': {
        const { messageId, readBy } = frame as { messageId: string; readBy: string };
        if (readBy !== 'guest') this.set({ readByAgent: new Set(this.state.readByAgent).add(messageId) });
        break;
      }
    }
  }

  /** Adds a message once, in `seq` order, replacing the pending copy it confirms. */
  private receive(message: ChatMessage): void {
    const pending = message.clientMessageId ? this.state.pending.filter((p) => p.clientMessageId !== message.clientMessageId) : this.state.pending;
    if (this.state.messages.some((m) => m._id === message._id)) {
      if (pending !== this.state.pending) this.set({ pending });
      return;
    }
    const messages = [...this.state.messages, message].sort((a, b) => a.seq - b.seq);
    const readByAgent = message.type === 'user' && message.isRead ? new Set(this.state.readByAgent).add(message._id) : this.state.readByAgent;
    this.set({ messages, pending, readByAgent });
    this.context.emit('message', message);
    if (this.open) this.markRead();
    this.updateUnread();
  }

  /** The visitor reads agent and system messages while the panel is open. */
  private markRead(): void {
    if (!this.socket) return;
    let changed = false;
    for (const message of this.state.messages) {
      if (message.type === 'user' || message.isRead) continue;
      if (!this.socket.send({ type: 'read_receipt', messageId: message._id })) break;
      message.isRead = true;
      changed = true;
    }
    if (changed) {
      this.set({ messages: [...this.state.messages] });
      this.updateUnread();
    }
  }

  private updateUnread(): void {
    const count = this.open ? 0 : this.state.messages.filter((m) => m.type !== 'user' && !m.isRead).length;
    if (count === this.unread) return;
    this.unread = count;
    this.context.setUnread(count);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingSince === 0) return;
    this.typingSince = 0;
    this.sendTyping(false);
  }

  private sendTyping(isTyping: boolean): void {
    if (this.socket?.send({ type: 'typing', isTyping })) return;
    if (this.stored) this.api.post(`/api/live-chat/sessions/${this.stored.sessionId}/typing`, { isTyping }).catch(() => undefined);
  }

  /**
   * The last `seq` up to which nothing is missing: a message sent by REST while the socket was down
   * can be newer than agent messages the socket has not replayed yet, and `resume` must fetch those.
   */
  private lastSeq(): number {
    let seq = 0;
    for (const message of this.state.messages) {
      if (message.seq > seq + 1) break;
      seq = message.seq;
    }
    return seq;
  }

  private emitStatus(): void {
    this.context.emit('status', { session: this.state.status, connection: this.state.connection });
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
