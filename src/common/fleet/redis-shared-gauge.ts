import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_PREFIX } from '../redis/redis-connection';
import { SharedGauge } from './shared-gauge';

const INSTANCES = `${REDIS_PREFIX}instances`;
const ALIVE = `${REDIS_PREFIX}instance:`;
const OWNED = `${REDIS_PREFIX}instance-keys:`;
const GAUGE = `${REDIS_PREFIX}gauge:`;

export interface RedisSharedGaugeOptions {
  /** How often this instance proves it is alive (and reaps dead ones). */
  heartbeatMs: number;
  /** An instance silent this long is dead: its shares stop counting and are reaped. */
  expiryMs: number;
}

/** Sums the shares of live instances (`me` always counts). */
const SUM_ALIVE = `
local function alive_total(hash, me, alive)
  local total = 0
  local fields = redis.call('HGETALL', hash)
  for i = 1, #fields, 2 do
    if fields[i] == me or redis.call('EXISTS', alive .. fields[i]) == 1 then
      total = total + tonumber(fields[i + 1])
    end
  end
  return total
end`;

/** KEYS: gauge hash, owned set. ARGV: me, alive prefix, my new share, max (0 = none), key. */
const SET_SHARE = `${SUM_ALIVE}
local mine = tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local others = alive_total(KEYS[1], ARGV[1], ARGV[2]) - current
local max = tonumber(ARGV[4])
if max > 0 and mine > current and others + mine > max then return -1 end
if mine > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], mine)
  redis.call('SADD', KEYS[2], ARGV[5])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[5])
end
return others + mine`;

/** KEYS: instances set. ARGV: dead id, alive prefix, owned prefix, gauge prefix. Returns the keys left at zero. */
const REAP = `${SUM_ALIVE}
local dead = ARGV[1]
if redis.call('EXISTS', ARGV[2] .. dead) == 1 then return {} end
local owned = ARGV[3] .. dead
local orphaned = {}
for _, key in ipairs(redis.call('SMEMBERS', owned)) do
  local hash = ARGV[4] .. key
  redis.call('HDEL', hash, dead)
  if alive_total(hash, '', ARGV[2]) == 0 then table.insert(orphaned, key) end
end
redis.call('DEL', owned)
redis.call('SREM', KEYS[1], dead)
return orphaned`;

/**
 * Each key is a hash of instance id → that instance's share, and this instance keeps its own
 * shares in memory too. Every heartbeat refreshes `instance:<id>` (expiring after `expiryMs`) and
 * reaps instances whose key expired, atomically, so each orphaned key is reported once. While
 * Redis is unreachable counts are this instance's own (logged); they are written back when it
 * returns. Needs a single Redis (scripts read keys by computed name), not Redis Cluster.
 */
export class RedisSharedGauge extends SharedGauge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisSharedGauge.name);
  private readonly mine = new Map<string, number>();
  private readonly listeners: ((key: string) => Promise<void> | void)[] = [];
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  /** Redis missed some of our changes: rewrite our shares on the next heartbeat. */
  private dirty = false;
  /** Shutting down: our shares were handed over and no longer count. */
  private left = false;

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly options: RedisSharedGaugeOptions = { heartbeatMs: 5_000, expiryMs: 15_000 },
  ) {
    super();
  }

  async increment(key: string, max?: number): Promise<number | null> {
    if (this.left) return null;
    const share = (this.mine.get(key) ?? 0) + 1;
    const total = await this.setShare(key, share, max ?? 0);
    if (total === null) return null;
    this.mine.set(key, share);
    return total;
  }

  async decrement(key: string): Promise<number | null> {
    const share = Math.max((this.mine.get(key) ?? 0) - 1, 0);
    if (share === 0) this.mine.delete(key);
    else this.mine.set(key, share);
    if (this.left) return null;
    return (await this.setShare(key, share, 0)) as number;
  }

  async total(key: string): Promise<number> {
    return (await this.setShare(key, this.left ? 0 : (this.mine.get(key) ?? 0), 0)) as number;
  }

  onOrphaned(listener: (key: string) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat();
    this.timer = setInterval(() => {
      this.beating ??= this.heartbeat().finally(() => (this.beating = undefined));
    }, this.options.heartbeatMs);
    this.timer.unref();
  }

  /**
   * Leaves the fleet while Redis and the database are still open: our shares stop counting at once
   * and the keys that fell to zero are reported here (e.g. agents whose only sockets were ours).
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    this.left = true;
    try {
      await this.redis.del(`${ALIVE}${this.instanceId}`);
      await this.reap(this.instanceId);
    } catch (err) {
      this.logger.warn({ err }, 'Could not leave the fleet cleanly; other instances will reap this one');
    }
  }

  /** Writes our share of a key and returns the total; null when `max` refuses it. Our share alone while Redis is away. */
  private async setShare(key: string, share: number, max: number): Promise<number | null> {
    try {
      const total = (await this.redis.eval(SET_SHARE, 2, `${GAUGE}${key}`, `${OWNED}${this.instanceId}`, this.instanceId, ALIVE, share, max, key)) as number;
      return total < 0 ? null : total;
    } catch (err) {
      if (!this.dirty) this.logger.warn({ err }, 'Connection counts and presence are per instance until Redis returns');
      this.dirty = true;
      return max > 0 && share > max ? null : share;
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      const previous = await this.redis.set(`${ALIVE}${this.instanceId}`, '1', 'PX', this.options.expiryMs, 'GET');
      await this.redis.sadd(INSTANCES, this.instanceId);
      if (previous === null || this.dirty) await this.rewriteShares();
      for (const id of await this.redis.smembers(INSTANCES)) {
        if (id !== this.instanceId && !(await this.redis.exists(`${ALIVE}${id}`))) await this.reap(id);
      }
    } catch (err) {
      if (!this.dirty) this.logger.warn({ err }, 'Fleet heartbeat failed');
      this.dirty = true;
    }
  }

  /** After an outage (or being reaped while paused), make Redis match what this instance holds. */
  private async rewriteShares(): Promise<void> {
    this.dirty = false;
    const owned = await this.redis.smembers(`${OWNED}${this.instanceId}`);
    const keys = new Set([...owned, ...this.mine.keys()]);
    for (const key of keys) {
      await this.redis.eval(SET_SHARE, 2, `${GAUGE}${key}`, `${OWNED}${this.instanceId}`, this.instanceId, ALIVE, this.mine.get(key) ?? 0, 0, key);
    }
  }

  private async reap(id: string): Promise<void> {
    const orphaned = (await this.redis.eval(REAP, 1, INSTANCES, id, ALIVE, OWNED, GAUGE)) as string[];
    if (orphaned.length > 0) this.logger.log(`Instance ${id} is gone; released ${orphaned.length} of its keys`);
    for (const key of orphaned) {
      await Promise.all(this.listeners.map(async (listener) => listener(key)));
    }
  }
}
