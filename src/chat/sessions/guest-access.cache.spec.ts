import { ConfigService } from '@nestjs/config';
import { InProcessEventBus } from '../../common/events/in-process-event-bus';
import { Env } from '../../config/env.validation';
import { GuestAccessCache } from './guest-access.cache';

describe('GuestAccessCache', () => {
  let bus: InProcessEventBus;
  let reads: string[];
  const read = async (sessionId: string) => {
    reads.push(sessionId);
    return sessionId === 'unknown' ? null : `secret-of-${sessionId}`;
  };
  const cache = (ttlMs = 60_000) => {
    const created = new GuestAccessCache({ get: () => ttlMs } as unknown as ConfigService<Env, true>, bus);
    created.onModuleInit();
    return created;
  };

  beforeEach(() => {
    bus = new InProcessEventBus();
    reads = [];
  });

  it('reads a session once, and never remembers an unknown one', async () => {
    const c = cache();
    expect(await c.guestSecretOf('s1', read)).toBe('secret-of-s1');
    expect(await c.guestSecretOf('s1', read)).toBe('secret-of-s1');
    expect(await c.guestSecretOf('unknown', read)).toBeNull();
    expect(await c.guestSecretOf('unknown', read)).toBeNull();
    expect(reads).toEqual(['s1', 'unknown', 'unknown']);
  });

  it.each(['session.deleted', 'session.created'] as const)('forgets a session on %s from any instance, and only that session', async (name) => {
    const c = cache();
    await c.guestSecretOf('s1', read);
    await c.guestSecretOf('s2', read);
    await bus.publish('session.status_changed', { sessionId: 's1', status: 'closed' });
    await c.guestSecretOf('s1', read);
    expect(reads).toEqual(['s1', 's2']);
    await bus.publish(name, name === 'session.created' ? { sessionId: 's1', session: {} } : { sessionId: 's1' });
    await c.guestSecretOf('s1', read);
    await c.guestSecretOf('s2', read);
    expect(reads).toEqual(['s1', 's2', 's1']);
  });

  it('reads the database every time with a TTL of 0', async () => {
    const c = cache(0);
    await c.guestSecretOf('s1', read);
    await c.guestSecretOf('s1', read);
    expect(reads).toEqual(['s1', 's1']);
  });

  it('stops listening to the bus when the module is destroyed', async () => {
    const c = cache();
    await c.guestSecretOf('s1', read);
    c.onModuleDestroy();
    await bus.publish('session.deleted', { sessionId: 's1' });
    await c.guestSecretOf('s1', read);
    expect(reads).toEqual(['s1']);
  });
});
