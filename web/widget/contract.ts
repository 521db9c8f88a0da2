import type { ChatMessage } from '../shared/types';
import type { Strings } from './strings';

/** `window.LiveChatSettings`, all optional. */
export interface WidgetSettings {
  position?: 'right' | 'left';
  locale?: string;
  title?: string;
  primaryColor?: string;
  openOnLoad?: boolean;
}

/** `LiveChat('identify', …)`: contact details (skip the pre-chat form) or a token the host site signed. */
export interface Identity {
  name?: string;
  email?: string;
  phone?: string;
  token?: string;
}

export interface WidgetStatus {
  session: 'pending' | 'active' | 'closed' | 'archived' | null;
  connection: 'online' | 'connecting' | 'offline';
}

export interface WidgetEvents {
  ready: undefined;
  message: ChatMessage;
  unread: number;
  status: WidgetStatus;
}

/** What the launcher hands the lazily loaded chat UI. */
export interface ChatContext {
  root: ShadowRoot;
  container: HTMLElement;
  baseUrl: string;
  settings: WidgetSettings;
  strings: Strings;
  identity: Identity | undefined;
  emit<K extends keyof WidgetEvents>(event: K, payload: WidgetEvents[K]): void;
  setUnread(count: number): void;
  /** The chat asks the launcher to close the panel (its close button, Escape). */
  requestClose(): void;
}

export interface ChatController {
  setOpen(open: boolean): void;
  identify(identity: Identity): void;
}

export type MountChat = (context: ChatContext) => ChatController;

/** localStorage key of the visitor's ongoing chat (`{sessionId, guestToken}`). */
export const STORAGE_KEY = 'liveChat.session';
