import { ConfigService } from '@nestjs/config';
import { InProcessEventBus } from '../common/events/in-process-event-bus';
import { Env } from '../config/env.validation';
import { AGENT_AUTH_CACHE_MAX_ENTRIES, AgentAuthCache } from './agent-auth-cache';
import { AgentProfile } from './agent-profile';

const ID = '665f1c2ab1e4c8a1d2f3e4a5';
const TTL = 5000;

const profile = (id: string, active = true) => ({ id, active }) as AgentProfile;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('AgentAuthCache', () => {
  let now: number;
  let bus: InProcessEventBus;
  /** The database: what `load` answers, and how often it was asked. */
  let stored: Map<string, AgentProfile>;
  let loads: string[];
  const load = async (id: string) => {
    loads.push(id);
    return stored.get(id) ?? null;
  };

  const cache = (ttlMs = TTL) => {
    const created = new AgentAuthCache({ get: () => ttlMs } as unknown as ConfigService<Env, true>, bus);
    created.onModuleInit();
    return created;
  };

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    bus = new InProcessEventBus();
    stored = new Map([[ID, profile(ID)]]);
    loads = [];
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers from memory until the TTL, counted from the read, has passed', async () => {
    const c = cache();
    expect(await c.get(ID, load)).toEqual(profile(ID));
    stored.set(ID, profile(ID, false));
    now += TTL - 1;
    expect(await c.get(ID, load)).toEqual(profile(ID, true));
    expect(loads).toEqual([ID]);
    now += 1;
    expect(await c.get(ID, load)).toEqual(profile(ID, false));
    expect(loads).toEqual([ID, ID]);
  });

  it('reads the database every time with a TTL of 0', async () => {
    const c = cache(0);
    await c.get(ID, load);
    stored.set(ID, profile(ID, false));
    expect(await c.get(ID, load)).toEqual(profile(ID, false));
    expect(loads).toEqual([ID, ID]);
  });

  it('forgets an invalidated agent, whatever the case of its id', async () => {
    const c = cache();
    await c.get(ID.toUpperCase(), load);
    stored.set(ID, profile(ID, false));
    c.invalidate(ID);
    expect(await c.get(ID.toUpperCase(), load)).toEqual(profile(ID, false));
    expect(loads).toEqual([ID, ID]);
  });

  it('forgets an agent when any instance publishes agent.changed, and only that agent', async () => {
    const other = '665f1c2ab1e4c8a1d2f3e4b6';
    stored.set(other, profile(other));
    const c = cache();
    await c.get(ID, load);
    await c.get(other, load);
    await bus.publish('agent.presence', { agentId: ID, availability: 'online' });
    await c.get(ID, load);
    expect(loads).toEqual([ID, other]);
    await bus.publish('agent.changed', { agentId: ID });
    await c.get(ID, load);
    await c.get(other, load);
    expect(loads).toEqual([ID, other, ID]);
  });

  it('stops listening to the bus when the module is destroyed', async () => {
    const c = cache();
    await c.get(ID, load);
    c.onModuleDestroy();
    await bus.publish('agent.changed', { agentId: ID });
    await c.get(ID, load);
    expect(loads).toEqual([ID]);
  });

  it('neither joins nor stores a read that was under way when the agent was invalidated', async () => {
    const c = cache();
    const stale = deferred<AgentProfile | null>();
    const racing = c.get(ID, () => stale.promise);
    stored.set(ID, profile(ID, false));
    c.invalidate(ID);
    expect(await c.get(ID, load)).toEqual(profile(ID, false));
    stale.resolve(profile(ID, true));
    expect(await racing).toEqual(profile(ID, true));
    expect(await c.get(ID, load)).toEqual(profile(ID, false));
    expect(loads).toEqual([ID]);
  });

  it('shares one read among the requests that arrive while it is under way', async () => {
    const c = cache();
    const read = deferred<AgentProfile | null>();
    let calls = 0;
    const slowLoad = () => {
      calls++;
      return read.promise;
    };
    const answers = Promise.all([c.get(ID, slowLoad), c.get(ID, slowLoad), c.get(ID, slowLoad)]);
    read.resolve(profile(ID));
    expect(await answers).toEqual([profile(ID), profile(ID), profile(ID)]);
    expect(calls).toBe(1);
  });

  it('does not remember unknown agents or failed reads', async () => {
    const c = cache();
    const unknown = '665f1c2ab1e4c8a1d2f3e4c7';
    expect(await c.get(unknown, load)).toBeNull();
    expect(await c.get(unknown, load)).toBeNull();
    expect(loads).toEqual([unknown, unknown]);
    await expect(c.get(ID, () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await c.get(ID, load)).toEqual(profile(ID));
    expect(loads).toEqual([unknown, unknown, ID]);
  });

  it(`keeps at most ${AGENT_AUTH_CACHE_MAX_ENTRIES} agents, evicting the least recently used`, async () => {
    const c = cache();
    const ids = Array.from({ length: AGENT_AUTH_CACHE_MAX_ENTRIES + 1 }, (_, i) => i.toString(16).padStart(24, '0'));
    for (const id of ids) stored.set(id, profile(id));
    for (const id of ids.slice(0, -1)) await c.get(id, load);
    await c.get(ids[0], load); // used again: now the most recent
    await c.get(ids.at(-1)!, load); // one too many: evicts ids[1]
    loads = [];
    await c.get(ids[0], load);
    await c.get(ids[2], load);
    expect(loads).toEqual([]);
    await c.get(ids[1], load);
    expect(loads).toEqual([ids[1]]);
  });
});
