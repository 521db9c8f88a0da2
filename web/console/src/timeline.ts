import type { Message, Note } from './types';

/**
 * Messages by `seq`, each once: pages, REST answers, socket events and resumed backlogs overlap.
 * Being read only ever turns on: a reply's REST answer can arrive after the guest's receipt.
 */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map(current.map((message) => [message.seq, message]));
  for (const message of incoming) {
    const known = bySeq.get(message.seq);
    bySeq.set(message.seq, { ...known, ...message, isRead: !!(known?.isRead || message.isRead) });
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function markRead(messages: Message[], messageId: string): Message[] {
  return messages.map((message) => (message._id === messageId && !message.isRead ? { ...message, isRead: true } : message));
}

export type TimelineItem = { kind: 'message'; at: string; message: Message } | { kind: 'note'; at: string; note: Note };

/**
 * Messages in seq order with internal notes placed among them by time. Notes older than the oldest
 * loaded message belong to history not loaded yet and wait for that page.
 */
export function timeline(messages: Message[], notes: Note[], allLoaded: boolean): TimelineItem[] {
  const oldest = messages[0]?.createdAt;
  const shownNotes = notes.filter((note) => allLoaded || !oldest || note.addedAt >= oldest);
  const items: TimelineItem[] = messages.map((message) => ({ kind: 'message', at: message.createdAt, message }));
  for (const note of shownNotes) {
    const index = items.findIndex((item) => item.at > note.addedAt);
    items.splice(index === -1 ? items.length : index, 0, { kind: 'note', at: note.addedAt, note });
  }
  return items;
}

/** The guest messages an agent has not read yet (what the console sends read receipts for). */
export const unreadGuestMessages = (messages: Message[]) => messages.filter((message) => message.type === 'user' && !message.isRead);
