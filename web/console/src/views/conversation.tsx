import { MutableRef, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { AdminSocket } from '../admin-socket';
import { ApiError, ConsoleApi } from '../api';
import { agentName } from '../auth';
import { EventHub } from '../events';
import { shortTime } from '../format';
import { mergeMessages, markRead, timeline, unreadGuestMessages } from '../timeline';
import type { Agent, Message, SessionDetails } from '../types';
import { AttachmentView } from './attachment';
import { Composer } from './composer';
import { CustomerPanel } from './customer-panel';
import { LockIcon } from './icons';

/** A guest's typing signal that is never switched off (a closed tab) stops showing after this. */
const TYPING_TIMEOUT_MS = 8000;

interface Props {
  api: ConsoleApi;
  hub: EventHub;
  socket: AdminSocket;
  me: Agent;
  agents: Agent[];
  sessionId: string;
  /** Set to this conversation's resume point, for the socket's reconnects. */
  resumeRef: MutableRef<(() => { sessionId: string; afterSeq: number } | null) | null>;
}

function MessageItem({ api, message }: { api: ConsoleApi; message: Message }) {
  const author = message.type === 'user' ? 'Visitor' : message.type === 'agent' ? (message.agentName ?? 'Agent') : 'System';
  return (
    <li class={`message from-${message.type}`} data-testid="message" data-type={message.type} data-seq={message.seq}>
      <div class="bubble">
        <span class="author">{author}</span>
        {message.content && <p class="content">{message.content}</p>}
        {message.attachments?.map((file) => <AttachmentView key={file.id} api={api} file={file} />)}
        <span class="meta">
          <time dateTime={message.createdAt}>{shortTime(message.createdAt)}</time>
          {message.type === 'agent' && (
            <>
              {' · '}
              <span class="receipt" data-testid="receipt" data-read={message.isRead ? 'true' : 'false'}>
                {message.isRead ? 'Seen' : 'Sent'}
              </span>
            </>
          )}
        </span>
      </div>
    </li>
  );
}

export function Conversation({ api, hub, socket, me, agents, sessionId, resumeRef }: Props) {
  const [session, setSession] = useState<SessionDetails | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [oldestPage, setOldestPage] = useState(1);
  const [error, setError] = useState('');
  const [guestTyping, setGuestTyping] = useState(false);
  const [details, setDetails] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const lastSeq = useRef(0);
  lastSeq.current = messages.length ? messages[messages.length - 1].seq : 0;

  // The newest page first (pages are oldest first and stable: page k holds seq 50k-49…50k).
  useEffect(() => {
    let cancelled = false;
    setSession(null);
    setMessages([]);
    setError('');
    setGuestTyping(false);
    atBottom.current = true;
    socket.follow(sessionId);
    (async () => {
      let view = await api.session(sessionId, 1);
      const { pages } = view.messagesPagination;
      if (pages > 1) view = await api.session(sessionId, pages);
      if (cancelled) return;
      setSession(view.session);
      setMessages((current) => mergeMessages(current, view.messages));
      setOldestPage(Math.max(1, pages));
    })().catch((err) => !cancelled && setError(err instanceof ApiError ? err.message : 'The chat cannot be loaded'));
    resumeRef.current = () => (lastSeq.current ? { sessionId, afterSeq: lastSeq.current } : null);
    return () => {
      cancelled = true;
      resumeRef.current = null;
      socket.follow(undefined);
    };
  }, [sessionId]);

  useEffect(
    () =>
      hub.subscribe((event) => {
        if (!('sessionId' in event) || event.sessionId !== sessionId) return;
        switch (event.type) {
          case 'user_message':
          case 'agent_message':
            setMessages((current) => mergeMessages(current, [event.message]));
            if (event.type === 'user_message') setGuestTyping(false);
            return;
          case 'user_typing':
            clearTimeout(typingTimer.current);
            setGuestTyping(event.isTyping);
            if (event.isTyping) typingTimer.current = setTimeout(() => setGuestTyping(false), TYPING_TIMEOUT_MS);
            return;
          case 'read_receipt':
            setMessages((current) => markRead(current, event.messageId));
            return;
          case 'session_status_changed':
            setSession((current) => current && { ...current, status: event.status });
            return;
          case 'agent_assigned': {
            const agent = agents.find((a) => a._id === event.agent.id);
            setSession((current) => current && { ...current, agentName: event.agent.name, assignedAgent: agent ? { ...agent } : current.assignedAgent });
            return;
          }
        }
      }),
    [sessionId, agents],
  );
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  // Read receipts for guest messages while the agent can see them.
  useEffect(() => {
    const sendReceipts = () => {
      if (document.visibilityState !== 'visible') return;
      for (const message of unreadGuestMessages(messages)) socket.markRead(sessionId, message._id);
    };
    sendReceipts();
    document.addEventListener('visibilitychange', sendReceipts);
    return () => document.removeEventListener('visibilitychange', sendReceipts);
  }, [messages]);

  useLayoutEffect(() => {
    if (atBottom.current && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages, session?.notes.length, guestTyping]);

  const act = (action: () => Promise<void>) => {
    setError('');
    action().catch((err) => setError(err instanceof ApiError ? err.message : 'That did not work'));
  };
  const patch = (changes: Partial<SessionDetails>) => {
    setSession((current) => current && { ...current, ...changes });
    const { priority, department, tags } = changes;
    if (priority || department || tags) hub.emit({ type: 'local_update', sessionId, changes: { priority, department, tags } });
  };

  const loadEarlier = () =>
    act(async () => {
      atBottom.current = false;
      const view = await api.session(sessionId, oldestPage - 1);
      setMessages((current) => mergeMessages(current, view.messages));
      setOldestPage(oldestPage - 1);
    });

  if (!session) {
    return (
      <section class="conversation empty-state" aria-busy={!error}>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted">Loading the chat…</p>
        )}
      </section>
    );
  }

  const closed = session.status === 'closed' || session.status === 'archived';
  const items = timeline(messages, session.notes, oldestPage === 1);
  return (
    <div class={`conversation-layout${details ? ' show-details' : ''}`}>
      <section class="conversation" aria-label={`Chat with ${session.user.name}`} data-testid="conversation" data-session-id={sessionId}>
        <header class="conversation-header">
          <a href="#/sessions" class="back" aria-label="Back to the list">
            ‹
          </a>
          <div class="who">
            <strong>{session.user.name}</strong>
            <span class={`badge status-${session.status}`} data-testid="conversation-status">
              {session.status}
            </span>
          </div>
          <div class="actions">
            {session.assignedAgent?._id !== me._id && !closed && (
              <button type="button" onClick={() => act(() => api.assign(sessionId, me._id).then((r) => patch({ status: r.status, agentName: r.agentName, assignedAgent: { ...me } })))} data-testid="assign-me">
                Assign to me
              </button>
            )}
            {!closed && (
              <button type="button" class="danger" onClick={() => act(() => api.update(sessionId, { status: 'closed' }).then(patch))} data-testid="end-chat">
                End chat
              </button>
            )}
            <button type="button" class="details-toggle" aria-expanded={details} onClick={() => setDetails(!details)} data-testid="details-toggle">
              Details
            </button>
          </div>
        </header>
        {error && (
          <p class="error banner" role="alert" data-testid="conversation-error">
            {error}
          </p>
        )}
        <ol
          class="messages"
          ref={list}
          aria-live="polite"
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
          data-testid="messages"
        >
          {oldestPage > 1 && (
            <li class="load-earlier">
              <button type="button" onClick={loadEarlier} data-testid="load-earlier">
                Load earlier messages
              </button>
            </li>
          )}
          {items.map((item) =>
            item.kind === 'message' ? (
              <MessageItem key={item.message.seq} api={api} message={item.message} />
            ) : (
              <li key={item.note._id} class="note" data-testid="note">
                <span class="author">
                  <LockIcon /> Internal note · {item.note.addedBy ? agentName(item.note.addedBy) : 'Former agent'}
                </span>
                <p class="content">{item.note.content}</p>
                <time dateTime={item.note.addedAt}>{shortTime(item.note.addedAt)}</time>
              </li>
            ),
          )}
        </ol>
        <p class="typing" aria-live="polite" data-testid="guest-typing">
          {guestTyping ? `${session.user.name} is typing…` : ''}
        </p>
        <Composer
          replyBlocked={closed ? 'This chat is closed' : undefined}
          onTyping={(isTyping) => socket.send({ type: 'typing', isTyping, sessionId })}
          onReply={async (content, files, clientMessageId) => {
            atBottom.current = true;
            const message = await api.reply(sessionId, content, clientMessageId, files);
            setMessages((current) => mergeMessages(current, [message]));
          }}
          onNote={async (content) => {
            atBottom.current = true;
            const note = await api.addNote(sessionId, content);
            setSession((current) => current && { ...current, notes: [...current.notes, { ...note, addedBy: { _id: me._id, firstName: me.firstName, lastName: me.lastName } }] });
          }}
        />
      </section>
      <CustomerPanel api={api} session={session} agents={agents} act={act} onUpdate={patch} onClose={() => setDetails(false)} />
    </div>
  );
}
