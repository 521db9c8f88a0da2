import type { ChatController, Identity, MountChat, WidgetEvents, WidgetSettings } from './contract';
import { STORAGE_KEY } from './contract';
import css from './launcher.css?inline';
import { stringsFor } from './strings';

/** The chat UI's entry file under /widget/, filled in by scripts/build-web.mjs. */
declare const __CHAT_ENTRY__: string;

type Handler = (payload: unknown) => void;
type Command = [string, ...unknown[]];
interface LiveChatFn {
  (...command: Command): void;
  /** Commands queued by the host page's stub before this script ran (each an `arguments`). */
  q?: ArrayLike<unknown>[];
}

declare global {
  interface Window {
    LiveChat?: LiveChatFn;
    LiveChatSettings?: WidgetSettings;
  }
}

const CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';

function start(script: HTMLScriptElement | null): void {
  const baseUrl = script ? new URL(script.src).origin : location.origin;
  const settings: WidgetSettings = window.LiveChatSettings ?? {};
  const strings = stringsFor(settings.locale);
  const handlers: Partial<Record<keyof WidgetEvents, Handler[]>> = {};
  let identity: Identity | undefined;
  let open = false;
  let ready = false;
  let chat: ChatController | undefined;
  let loading: Promise<ChatController> | undefined;

  const host = document.createElement('div');
  host.setAttribute('data-live-chat', '');
  if (settings.primaryColor) host.style.setProperty('--lc-primary', settings.primaryColor);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];

  const container = document.createElement('div');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `launcher ${settings.position === 'left' ? 'left' : 'right'}`;
  button.dataset.testid = 'lc-launcher';
  button.innerHTML = CHAT_ICON;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.testid = 'lc-unread';
  badge.hidden = true;
  button.append(badge);
  root.append(container, button);

  const emit = <K extends keyof WidgetEvents>(event: K, payload: WidgetEvents[K]): void => {
    for (const handler of handlers[event] ?? []) {
      try {
        handler(payload);
      } catch (err) {
        console.error(err);
      }
    }
  };

  const setUnread = (count: number): void => {
    badge.hidden = count === 0 || open;
    badge.textContent = count > 99 ? '99+' : String(count);
    button.setAttribute('aria-label', count > 0 && !open ? `${strings.openChat}, ${strings.unread(count)}` : open ? strings.closeChat : strings.openChat);
    emit('unread', count);
  };

  const load = (): Promise<ChatController> =>
    (loading ??= import(/* @vite-ignore */ `${baseUrl}/widget/${__CHAT_ENTRY__}`).then((module: { mount: MountChat }) => {
      chat = module.mount({ root, container, baseUrl, settings, strings, identity, emit, setUnread, requestClose: () => setOpen(false) });
      chat.setOpen(open);
      return chat;
    }));

  const setOpen = (next: boolean): void => {
    const wasOpen = open;
    open = next;
    button.setAttribute('aria-expanded', String(open));
    button.classList.toggle('open', open);
    badge.hidden = open || badge.textContent === '' || badge.textContent === '0';
    button.setAttribute('aria-label', open ? strings.closeChat : strings.openChat);
    if (chat) chat.setOpen(open);
    else if (open) void load();
    if (wasOpen && !open) button.focus();
  };

  const commands: Record<string, (...args: unknown[]) => void> = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    identify: (value) => {
      identity = value as Identity;
      chat?.identify(identity);
    },
    on: (event, handler) => {
      if (typeof handler !== 'function') return;
      (handlers[event as keyof WidgetEvents] ??= []).push(handler as Handler);
      if (event === 'ready' && ready) (handler as Handler)(undefined);
    },
  };

  const run = (name: unknown, ...args: unknown[]): void => {
    const command = typeof name === 'string' ? commands[name] : undefined;
    if (command) command(...args);
    else console.warn(`LiveChat: unknown command ${String(name)}`);
  };

  const queued = Array.from(window.LiveChat?.q ?? [], (entry) => Array.from(entry));
  window.LiveChat = (...command: Command) => run(...command);
  button.addEventListener('click', () => setOpen(!open));
  // Fetch the chat code as soon as the visitor shows interest, so the click opens it at once.
  button.addEventListener('pointerenter', () => void load(), { once: true });
  button.addEventListener('focus', () => void load(), { once: true });
  setOpen(false);
  document.body.append(host);
  for (const [name, ...args] of queued) run(name, ...args);
  // A visitor with a chat going on needs its socket (unread badge, `message` events) before clicking.
  if (settings.openOnLoad) setOpen(true);
  else if (hasOngoingChat()) void load();
  ready = true;
  emit('ready', undefined);
}

function hasOngoingChat(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

// Only known while this script runs, not later in a DOMContentLoaded callback.
const currentScript = document.currentScript as HTMLScriptElement | null;
if (document.body) start(currentScript);
else document.addEventListener('DOMContentLoaded', () => start(currentScript), { once: true });
