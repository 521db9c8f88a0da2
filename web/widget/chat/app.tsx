/**
 * The chat panel. Stable `data-testid`s (browser tests, also the console's cross-flow test):
 *   lc-launcher, lc-unread                     launcher button and its unread badge (launcher.ts)
 *   lc-panel, lc-title, lc-close, lc-end       the panel, its heading, close (hide) and end-chat buttons
 *   lc-prechat-form, lc-name, lc-email, lc-phone, lc-start   pre-chat form
 *   lc-messages, lc-message (data-seq, data-type), lc-pending (data-state: sending|failed), lc-retry
 *   lc-read (on a visitor's message an agent read), lc-attachment, lc-notice (agent joined)
 *   lc-typing, lc-connection, lc-error
 *   lc-input, lc-send, lc-attach, lc-file-input, lc-file (a chosen file), lc-file-remove
 *   lc-closed, lc-rating, lc-star-1 … lc-star-5, lc-feedback, lc-rate-submit, lc-thanks, lc-new-chat
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Attachment, ChatMessage } from '../../shared/types';
import type { Strings } from '../strings';
import type { ChatStore, PendingMessage } from './store';
import { UPLOAD_RULES } from './store';

interface AppProps {
  store: ChatStore;
  strings: Strings;
  title: string;
  open: boolean;
  onClose(): void;
}

export function App({ store, strings, title, open, onClose }: AppProps) {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion((n) => n + 1)), [store]);
  const panel = useRef<HTMLDivElement>(null);
  const s = store.state;

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('input, textarea, button:not([data-testid="lc-close"])')?.focus();
  }, [open, s.phase]);

  const closed = s.status === 'closed' || s.status === 'archived';
  const subtitle = s.agent ? s.agent.name : null;
  return (
    <div
      ref={panel}
      class="panel"
      role="dialog"
      aria-labelledby="lc-title"
      data-testid="lc-panel"
      hidden={!open}
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <header class="header">
        <div>
          <h2 id="lc-title" data-testid="lc-title">{title}</h2>
          {subtitle && <p class="subtitle">{subtitle}</p>}
        </div>
        <div class="header-actions">
          {s.phase === 'chat' && !closed && (
            <button type="button" class="link" data-testid="lc-end" onClick={() => void store.end()}>
              {strings.endChat}
            </button>
          )}
          <button type="button" class="icon" aria-label={strings.closeChat} data-testid="lc-close" onClick={onClose}>
            ×
          </button>
        </div>
      </header>
      {s.connection !== 'online' && s.phase === 'chat' && (
        <p class="banner" role="status" data-testid="lc-connection">
          {s.connection === 'connecting' ? strings.connecting : strings.offline}
        </p>
      )}
      {s.phase === 'form' ? (
        <PreChatForm store={store} strings={strings} />
      ) : (
        <>
          <MessageList store={store} strings={strings} />
          {closed ? <ClosedChat store={store} strings={strings} /> : <Composer store={store} strings={strings} />}
        </>
      )}
      {s.error && (
        <p class="error" role="alert" data-testid="lc-error">
          {s.error}{' '}
          <button type="button" class="link" aria-label="Dismiss" onClick={() => store.dismissError()}>
            ×
          </button>
        </p>
      )}
    </div>
  );
}

function PreChatForm({ store, strings }: { store: ChatStore; strings: Strings }) {
  const busy = store.state.busy;
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const phone = String(data.get('phone') ?? '').trim();
    void store.start({ name: String(data.get('name') ?? '').trim(), email: String(data.get('email') ?? '').trim(), ...(phone ? { phone } : {}) });
  };
  return (
    <form class="form" data-testid="lc-prechat-form" onSubmit={submit}>
      <p>{strings.preChatIntro}</p>
      <label>
        {strings.name}
        <input name="name" required maxLength={100} autoComplete="name" data-testid="lc-name" />
      </label>
      <label>
        {strings.email}
        <input name="email" type="email" required maxLength={254} autoComplete="email" data-testid="lc-email" />
      </label>
      <label>
        {strings.phone}
        <input name="phone" type="tel" autoComplete="tel" data-testid="lc-phone" />
      </label>
      <button type="submit" class="primary" disabled={busy} data-testid="lc-start">
        {busy ? strings.starting : strings.startChat}
      </button>
    </form>
  );
}

function MessageList({ store, strings }: { store: ChatStore; strings: Strings }) {
  const list = useRef<HTMLOListElement>(null);
  const s = store.state;
  useLayoutEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [s.messages.length, s.pending.length, s.agentTyping]);
  // Notices ("Jane joined the chat") go after the message they followed.
  const items: ComponentChildren[] = [];
  const notices = [...s.notices];
  const noticesUpTo = (seq: number) => {
    while (notices.length > 0 && notices[0].afterSeq < seq) {
      const notice = notices.shift()!;
      items.push(<NoticeLine key={notice.key} text={notice.text} />);
    }
  };
  for (const message of s.messages) {
    noticesUpTo(message.seq);
    items.push(<MessageItem key={message._id} message={message} store={store} strings={strings} read={s.readByAgent.has(message._id)} />);
  }
  noticesUpTo(Infinity);
  return (
    <>
      <ol ref={list} class="messages" role="log" aria-live="polite" aria-label={strings.messagesLabel} data-testid="lc-messages">
        {items}
        {s.pending.map((pending) => (
          <PendingItem key={pending.clientMessageId} pending={pending} store={store} strings={strings} />
        ))}
      </ol>
      <p class="typing" aria-live="polite" data-testid={s.agentTyping ? 'lc-typing' : undefined}>
        {s.agentTyping ? (s.agent ? strings.agentTyping(s.agent.name) : strings.someoneTyping) : ''}
      </p>
    </>
  );
}

function NoticeLine({ text }: { text: string }) {
  return (
    <li class="notice" data-testid="lc-notice">
      {text}
    </li>
  );
}

function MessageItem({ message, store, strings, read }: { message: ChatMessage; store: ChatStore; strings: Strings; read: boolean }) {
  const author = message.type === 'user' ? strings.you : message.type === 'agent' ? (message.agentName ?? '') : '';
  return (
    <li class={`message ${message.type}`} data-testid="lc-message" data-seq={message.seq} data-type={message.type}>
      {author && <span class="author">{author}</span>}
      {message.content && <p class="content">{message.content}</p>}
      {message.attachments?.map((attachment) => <AttachmentLink key={attachment.id} attachment={attachment} store={store} strings={strings} />)}
      <span class="meta">
        <time dateTime={message.createdAt}>{new Date(message.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
        {message.type === 'user' && read && (
          <span class="read" data-testid="lc-read">
            {' · '}
            {strings.read}
          </span>
        )}
      </span>
    </li>
  );
}

function AttachmentLink({ attachment, store, strings }: { attachment: Attachment; store: ChatStore; strings: Strings }) {
  const href = store.fileUrl(attachment.url);
  return (
    <a class="attachment" href={href} target="_blank" rel="noopener noreferrer" data-testid="lc-attachment" aria-label={strings.attachmentLabel(attachment.name)}>
      {attachment.previewUrl ? <img src={store.fileUrl(attachment.previewUrl)} alt="" /> : null}
      <span>{attachment.name}</span>
    </a>
  );
}

function PendingItem({ pending, store, strings }: { pending: PendingMessage; store: ChatStore; strings: Strings }) {
  return (
    <li class={`message user pending ${pending.state}`} data-testid="lc-pending" data-state={pending.state}>
      <span class="author">{strings.you}</span>
      {pending.content && <p class="content">{pending.content}</p>}
      {pending.files.map((file) => (
        <span key={file.name} class="attachment">
          {file.name}
        </span>
      ))}
      <span class="meta">
        {pending.state === 'sending' ? strings.sending : strings.notSent}
        {pending.state === 'failed' && (
          <button type="button" class="link" data-testid="lc-retry" onClick={() => store.retry(pending.clientMessageId)}>
            {strings.retry}
          </button>
        )}
      </span>
    </li>
  );
}

function Composer({ store, strings }: { store: ChatStore; strings: Strings }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!text.trim() && files.length === 0) return;
    void store.send(text, files);
    setText('');
    setFiles([]);
  };
  return (
    <form class="composer" onSubmit={submit}>
      {files.length > 0 && (
        <ul class="files">
          {files.map((file) => (
            <li key={file.name} data-testid="lc-file">
              {file.name}
              <button type="button" class="link" aria-label={`Remove ${file.name}`} data-testid="lc-file-remove" onClick={() => setFiles(files.filter((f) => f !== file))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <label class="visually-hidden" for="lc-input">
          {strings.messageLabel}
        </label>
        <textarea
          id="lc-input"
          rows={2}
          value={text}
          placeholder={strings.messagePlaceholder}
          data-testid="lc-input"
          onInput={(event) => {
            setText((event.currentTarget as HTMLTextAreaElement).value);
            store.typing();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) submit(event);
          }}
        />
        <button type="button" class="icon" aria-label={strings.attach} data-testid="lc-attach" onClick={() => fileInput.current?.click()}>
          <svg viewBox="0 0 24 24" aria-hidden="true" class="clip">
            <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z" />
          </svg>
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          accept={UPLOAD_RULES.extensions.map((ext) => `.${ext}`).join(',')}
          data-testid="lc-file-input"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement;
            setFiles([...files, ...store.acceptFiles(Array.from(input.files ?? []))]);
            input.value = '';
          }}
        />
        <button type="submit" class="primary" data-testid="lc-send">
          {strings.send}
        </button>
      </div>
    </form>
  );
}

function ClosedChat({ store, strings }: { store: ChatStore; strings: Strings }) {
  const [score, setScore] = useState(0);
  const [feedback, setFeedback] = useState('');
  return (
    <div class="closed" data-testid="lc-closed">
      <p role="status">{strings.chatClosed}</p>
      {store.state.rated ? (
        <p data-testid="lc-thanks">{strings.thanks}</p>
      ) : (
        <form
          data-testid="lc-rating"
          onSubmit={(event) => {
            event.preventDefault();
            if (score) void store.rate(score, feedback);
          }}
        >
          <fieldset>
            <legend>{strings.rateTitle}</legend>
            <div class="stars">
              {[1, 2, 3, 4, 5].map((n) => (
                <button type="button" key={n} class={n <= score ? 'star on' : 'star'} aria-pressed={n === score} aria-label={strings.rateStar(n)} data-testid={`lc-star-${n}`} onClick={() => setScore(n)}>
                  ★
                </button>
              ))}
            </div>
          </fieldset>
          <label>
            {strings.feedbackLabel}
            <textarea rows={2} maxLength={2000} value={feedback} data-testid="lc-feedback" onInput={(event) => setFeedback((event.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit" class="primary" disabled={!score} data-testid="lc-rate-submit">
            {strings.submitRating}
          </button>
        </form>
      )}
      <button type="button" class="link" data-testid="lc-new-chat" onClick={() => store.reset()}>
        {strings.newChat}
      </button>
    </div>
  );
}
