import { Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { REDIS_PREFIX, RedisConnection } from '../common/redis/redis-connection';
import { Env } from '../config/env.validation';

interface Window {
  count: number;
  resetAt: number;
}

export interface Refusal {
  retryAfterSeconds: number;
}

const MAX_TRACKED_KEYS = 100_000;

/** KEYS: counters; ARGV: max, window ms. Returns 0 (reserved) or the ms to wait. */
const RESERVE_SCRIPT = `
local max, window, wait = tonumber(ARGV[1]), tonumber(ARGV[2]), 0
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= max then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then ttl = window; redis.call('PEXPIRE', key, window) end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, window) end
end
return 0`;

const RELEASE_SCRIPT = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

/**
 * LOGIN_MAX_ATTEMPTS failed logins per RATE_LIMIT_WINDOW_MS, counted per IP and per email. An
 * attempt is reserved before the password is checked (so parallel guesses count) and given back
 * when it succeeds. With REDIS_URL the counters are shared by every instance (one atomic script);
 * without it, or while Redis is unreachable, each instance counts in memory.
 */
@Injectable()
export class LoginAttemptsLimiter {
  private readonly logger = new Logger(LoginAttemptsLimiter.name);
  private readonly windows = new Map<string, Window>();
  private readonly max: number;
  private readonly windowMs: number;
  readonly enabled: boolean;

  constructor(
    config: ConfigService<Env, true>,
    @Optional() private readonly redis?: RedisConnection,
  ) {
    this.max = config.get('LOGIN_MAX_ATTEMPTS', { infer: true });
    this.windowMs = config.get('RATE_LIMIT_WINDOW_MS', { infer: true });
    this.enabled = config.get('RATE_LIMIT_ENABLED', { infer: true });
  }

  /** Reserves one attempt for every key; returns how long to wait instead when a key is used up. */
  async reserve(keys: string[]): Promise<Refusal | null> {
    const client = this.redis?.client;
    if (client) {
      try {
        const waitMs = Number(await client.eval(RESERVE_SCRIPT, keys.length, ...keys.map(redisKey), this.max, this.windowMs));
        return waitMs > 0 ? { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : null;
      } catch (err) {
        this.logger.warn({ err }, 'Login attempts counted on this instance only: Redis unavailable');
      }
    }
    return this.reserveLocally(keys, Date.now());
  }

  /** Gives back an attempt that succeeded. */
  async release(keys: string[]): Promise<void> {
    const client = this.redis?.client;
    if (client) {
      try {
        await client.eval(RELEASE_SCRIPT, keys.length, ...keys.map(redisKey));
        return;
      } catch (err) {
        this.logger.warn({ err }, 'Could not give back a login attempt in Redis');
      }
    }
    for (const key of keys) {
      const window = this.windows.get(key);
      if (window && window.count > 0) window.count -= 1;
    }
  }

  /** The in-memory counters (exposed for unit tests with a clock). */
  reserveLocally(keys: string[], now: number): Refusal | null {
    const current = keys.map((key) => {
      const window = this.windows.get(key);
      return window && window.resetAt > now ? window : { count: 0, resetAt: now + this.windowMs };
    });
    const exhausted = current.filter((window) => window.count >= this.max);
    if (exhausted.length > 0) {
      return { retryAfterSeconds: Math.max(1, Math.ceil((Math.max(...exhausted.map((w) => w.resetAt)) - now) / 1000)) };
    }
    if (this.windows.size > MAX_TRACKED_KEYS) {
      for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    }
    keys.forEach((key, i) => this.windows.set(key, { count: current[i].count + 1, resetAt: current[i].resetAt }));
    return null;
  }
}

const redisKey = (key: string) => `${REDIS_PREFIX}login:${key}`;
