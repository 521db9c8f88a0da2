import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fileSize } from '../format';
import { PaperclipIcon } from './icons';

/** How long after the last keystroke the agent stops "typing". */
const TYPING_IDLE_MS = 2500;

interface Props {
  /** Why replying is impossible (a closed chat), or undefined. */
  replyBlocked?: string;
  onReply(content: string, files: File[], clientMessageId: string): Promise<void>;
  onNote(content: string): Promise<void>;
  onTyping(isTyping: boolean): void;
}

/** 128 random bits in the characters the API allows for a clientMessageId (works without a secure context). */
function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The reply box: Enter sends, Shift+Enter adds a line. In note mode the same box adds an internal
 * note instead (styled apart; notes never reach the guest). A failed send keeps the text, the
 * files and the clientMessageId, so trying again cannot store the reply twice.
 */
export function Composer({ replyBlocked, onReply, onNote, onTyping }: Props) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const clientMessageId = useRef<string>();
  const typing = useRef<ReturnType<typeof setTimeout>>();
  const fileInput = useRef<HTMLInputElement>(null);

  const stopTyping = () => {
    if (typing.current) onTyping(false);
    clearTimeout(typing.current);
    typing.current = undefined;
  };
  useEffect(() => stopTyping, []);

  const onInput = (value: string) => {
    setText(value);
    if (mode !== 'reply') return;
    if (!typing.current) onTyping(true);
    clearTimeout(typing.current);
    typing.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const submit = async () => {
    const content = text.trim();
    if (busy || (!content && (mode === 'note' || !files.length))) return;
    setBusy(true);
    setError('');
    try {
      if (mode === 'note') await onNote(content);
      else {
        stopTyping();
        clientMessageId.current ??= newClientMessageId();
        await onReply(content, files, clientMessageId.current);
        clientMessageId.current = undefined;
        setFiles([]);
      }
      setText('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sending failed');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const blocked = mode === 'reply' ? replyBlocked : undefined;
  return (
    <div class={`composer mode-${mode}`} data-testid="composer">
      <div class="composer-tabs" role="tablist">
        <button role="tab" aria-selected={mode === 'reply'} onClick={() => setMode('reply')} data-testid="mode-reply">
          Reply
        </button>
        <button role="tab" aria-selected={mode === 'note'} onClick={() => setMode('note')} data-testid="mode-note">
          Internal note
        </button>
      </div>
      {files.length > 0 && (
        <ul class="chosen-files">
          {files.map((file) => (
            <li key={file.name + file.size}>
              {file.name} ({fileSize(file.size)})
              <button type="button" aria-label={`Remove ${file.name}`} onClick={() => setFiles(files.filter((f) => f !== file))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <textarea
          rows={2}
          aria-label={mode === 'reply' ? 'Reply to the visitor' : 'Internal note (only agents see it)'}
          placeholder={blocked ?? (mode === 'reply' ? 'Type a reply — Enter sends, Shift+Enter for a new line' : 'Internal note — only agents see it')}
          value={text}
          disabled={!!blocked}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          data-testid="composer-input"
        />
        {mode === 'reply' && (
          <>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              accept=".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.txt"
              onChange={(e) => {
                setFiles([...files, ...Array.from(e.currentTarget.files ?? [])]);
                e.currentTarget.value = '';
              }}
              data-testid="composer-file"
            />
            <button type="button" class="icon" aria-label="Attach files" disabled={!!blocked} onClick={() => fileInput.current?.click()}>
              <PaperclipIcon />
            </button>
          </>
        )}
        <button type="button" class="primary" disabled={busy || !!blocked} onClick={submit} data-testid="composer-send">
          {mode === 'reply' ? 'Send' : 'Add note'}
        </button>
      </div>
      {error && (
        <p class="error" role="alert" data-testid="composer-error">
          {error}
        </p>
      )}
    </div>
  );
}
