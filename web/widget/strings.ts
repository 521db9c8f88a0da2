/** Every text the widget shows, in one place: add a locale by adding an object with the same keys. */
export const en = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: (count: number) => `${count} unread ${count === 1 ? 'message' : 'messages'}`,
  title: 'Chat with us',
  preChatIntro: 'Tell us who you are and we will be right with you.',
  name: 'Name',
  email: 'Email',
  phone: 'Phone (optional)',
  startChat: 'Start chat',
  starting: 'Starting…',
  messageLabel: 'Type your message',
  messagePlaceholder: 'Type your message…',
  send: 'Send',
  attach: 'Attach a file',
  uploading: (name: string) => `Uploading ${name}…`,
  fileTooLarge: (name: string, maxMb: number) => `${name} is larger than ${maxMb} MB.`,
  fileTypeNotAllowed: (name: string) => `${name}: this file type is not allowed.`,
  sending: 'Sending…',
  notSent: 'Not sent yet, retrying when you are back online',
  retry: 'Retry',
  read: 'Read',
  you: 'You',
  agentTyping: (name: string) => `${name} is typing…`,
  someoneTyping: 'Agent is typing…',
  agentJoined: (name: string) => `${name} joined the chat`,
  connecting: 'Reconnecting…',
  offline: 'You are offline. Messages will be sent when the connection is back.',
  chatClosed: 'This chat has ended.',
  endChat: 'End chat',
  rateTitle: 'How was your chat?',
  rateStar: (score: number) => `${score} ${score === 1 ? 'star' : 'stars'}`,
  feedbackLabel: 'Anything to add? (optional)',
  submitRating: 'Send rating',
  thanks: 'Thank you for your feedback!',
  newChat: 'Start a new chat',
  verified: 'Verified',
  messagesLabel: 'Messages',
  attachmentLabel: (name: string) => `Attachment: ${name}`,
  errorGeneric: 'Something went wrong. Please try again.',
};

export type Strings = typeof en;

const locales: Record<string, Strings> = { en };

export function stringsFor(locale: string | undefined): Strings {
  return locales[(locale ?? 'en').toLowerCase().split('-')[0]] ?? en;
}
