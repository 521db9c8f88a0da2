import { randomBytes } from 'node:crypto';
import { BusEvent } from '../../src/common/events/domain-events';
import { EventBus } from '../../src/common/events/event-bus';
import { TestApp } from '../utils/create-test-app';

export interface TestSession {
  sessionId: string;
  guestToken: string;
  /** The whole `data` of the create response. */
  data: Record<string, any>;
}

export interface SessionOverrides {
  sessionId?: string;
  user?: { name?: string; email?: string; phone?: string };
  pageUrl?: string;
}

export const uniqueSessionId = () => `session-${Date.now()}-${randomBytes(6).toString('hex')}`;

/** A guest session created through the public API (201 expected). */
export async function createSession(t: TestApp, overrides: SessionOverrides = {}): Promise<TestSession> {
  const suffix = randomBytes(4).toString('hex');
  const res = await t.http
    .post('/api/live-chat/sessions')
    .send({
      sessionId: overrides.sessionId ?? uniqueSessionId(),
      user: { name: 'John Doe', email: `john-${suffix}@example.com`, ...overrides.user },
      ...(overrides.pageUrl ? { pageUrl: overrides.pageUrl } : {}),
    })
    .expect(201);
  return { sessionId: res.body.data.session.sessionId, guestToken: res.body.data.guestToken, data: res.body.data };
}

/** Headers of a guest request for this session. */
export const guestHeaders = (session: Pick<TestSession, 'guestToken'>) => ({ Authorization: `Bearer ${session.guestToken}` });

/** Sends a guest message (201 expected) and returns the message. */
export async function sendGuestMessage(t: TestApp, session: TestSession, content: string): Promise<Record<string, any>> {
  const res = await t.http.post(`/api/live-chat/sessions/${session.sessionId}/messages`).set(guestHeaders(session)).send({ content }).expect(201);
  return res.body.data;
}

/** Every event published on the app's bus from now on (the array fills as they come). */
export function recordEvents(t: TestApp): BusEvent[] {
  const events: BusEvent[] = [];
  t.app.get(EventBus).subscribe((event) => events.push(event));
  return events;
}

/** The stored session document, straight from the database. */
export const storedSession = (t: TestApp, sessionId: string) => t.connection.collection('livechatsessions').findOne({ sessionId });
