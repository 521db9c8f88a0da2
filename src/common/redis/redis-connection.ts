import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis, { RedisOptions } from 'ioredis';
import { Env } from '../../config/env.validation';

/** Every key and stream this service writes starts with this. */
export const REDIS_PREFIX = 'livechat:';

/** Reconnect forever, backing off to one attempt every 2 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}

/**
 * The Redis connections of this instance, made from `REDIS_URL`. Without it `client` is undefined
 * and every fleet-wide provider uses its in-process twin (one instance needs no Redis).
 *
 * `client` carries short commands: while Redis is unreachable they wait in ioredis' offline queue
 * for two reconnect attempts and then fail, so a request never hangs on Redis. Blocking readers
 * get their own connection from `dedicated()`. All are closed last, on application shutdown.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly url?: string;
  private readonly connections: Redis[] = [];
  readonly client?: Redis;
  /** Names this process among the instances sharing the Redis. */
  readonly instanceId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(config: ConfigService<Env, true>) {
    this.url = config.get('REDIS_URL', { infer: true });
    if (this.url) this.client = this.open('commands', { maxRetriesPerRequest: 2 });
  }

  /** A connection of its own (blocking reads), whose commands wait for Redis however long it is away. */
  dedicated(name: string): Redis {
    if (!this.url) throw new Error('REDIS_URL is not set');
    return this.open(name, { maxRetriesPerRequest: null });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.connections.map(async (connection) => {
        if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
        else if (connection.status !== 'end') connection.disconnect();
      }),
    );
  }

  private open(name: string, options: RedisOptions): Redis {
    const connection = new Redis(this.url as string, {
      connectionName: `${REDIS_PREFIX}${name}`,
      retryStrategy: reconnectDelay,
      ...options,
    });
    let healthy = true;
    connection.on('error', (err: Error) => {
      if (!healthy) return;
      healthy = false;
      this.logger.warn(`Redis connection "${name}" failed (${err.message}); reconnecting`);
    });
    connection.on('ready', () => {
      if (healthy) return;
      healthy = true;
      this.logger.log(`Redis connection "${name}" is back`);
    });
    this.connections.push(connection);
    return connection;
  }
}
