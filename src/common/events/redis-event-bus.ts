import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS_PREFIX, RedisConnection } from '../redis/redis-connection';
import { BusEvent, DomainEvents, EventName } from './domain-events';
import { InProcessEventBus } from './in-process-event-bus';

export const EVENT_STREAM = `${REDIS_PREFIX}events`;
/** Entries kept in the stream: enough for a reader that was cut off for a while to catch up. */
const STREAM_MAX_LENGTH = 10_000;
const READ_BLOCK_MS = 5_000;
const READ_BATCH = 500;

type StreamEntries = [id: string, fields: string[]][];

/**
 * The event bus shared by every instance through one Redis stream.
 *
 * `publish` delivers to this instance's subscribers at once (as the in-process bus does, so local
 * sockets never depend on Redis) and appends the event to the stream; every other instance reads
 * the stream on a dedicated connection and delivers each entry not written by itself. Each event
 * therefore reaches each instance's subscribers exactly once, and one publisher's events arrive in
 * the order it published them. Subscribers with scope `own` only get this instance's events.
 *
 * A stream rather than PUBLISH/SUBSCRIBE: a reader that loses Redis continues from the last entry
 * it saw once it reconnects, so a network blip loses nothing. Gaps remain only for events whose
 * append failed (Redis away longer than the command retries; logged, never thrown at the request)
 * and for entries lost with a Redis restart; messages are durable in the database and clients
 * catch up with the WebSocket `resume {afterSeq}`.
 */
@Injectable()
export class RedisEventBus extends InProcessEventBus implements OnApplicationBootstrap, OnModuleDestroy {
  private reader?: Redis;
  private reading?: Promise<void>;
  private stopped = false;
  /** Settles when the bus stops: a blocked read on a connection that is down never would. */
  private stop!: () => void;
  private readonly stopping = new Promise<null>((resolve) => (this.stop = () => resolve(null)));

  constructor(private readonly redis: RedisConnection) {
    super();
  }

  override async publish<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    const event = { name, payload } as BusEvent;
    this.deliver(event);
    const client = this.redis.client as Redis;
    client
      .xadd(EVENT_STREAM, 'MAXLEN', '~', String(STREAM_MAX_LENGTH), '*', 'origin', this.redis.instanceId, 'event', JSON.stringify(event))
      .catch((err: Error) => this.logger.error({ err, event: name }, 'Event not shared with the other instances (Redis unavailable)'));
  }

  onApplicationBootstrap(): void {
    this.reader = this.redis.dedicated('events');
    this.reading = this.read(this.reader);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.stop();
    this.reader?.disconnect();
    await this.reading;
  }

  private async read(reader: Redis): Promise<void> {
    let lastId: string | null = null;
    while (!this.stopped) {
      try {
        lastId ??= await Promise.race([this.newestId(reader), this.stopping]);
        if (lastId === null) return;
        const batches: [stream: string, entries: StreamEntries][] | null = await Promise.race([
          reader.xread('COUNT', READ_BATCH, 'BLOCK', READ_BLOCK_MS, 'STREAMS', EVENT_STREAM, lastId),
          this.stopping,
        ]);
        for (const [, entries] of batches ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            this.receive(fields);
          }
        }
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err }, 'Reading the event stream failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Where this instance starts reading: after whatever the stream already holds. */
  private async newestId(reader: Redis): Promise<string> {
    const [newest] = await reader.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1);
    return newest?.[0] ?? '0-0';
  }

  private receive(fields: string[]): void {
    const entry: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]] = fields[i + 1];
    if (entry.origin === this.redis.instanceId) return;
    try {
      this.deliver(JSON.parse(entry.event) as BusEvent, false);
    } catch (err) {
      this.logger.error({ err }, 'Unreadable event in the stream');
    }
  }
}
