import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger as Pino } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import SonicBoom from 'sonic-boom';
import { Env } from '../../config/env.validation';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A client-supplied X-Request-Id is kept when it is harmless, otherwise a new one is made. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The process's pino logger: application logs (through nestjs-pino) and request logs are its children. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Express middleware: one JSON line per request (id, method, path, status, time) and the X-Request-Id header. */
export abstract class RequestLogger {
  abstract readonly middleware: HttpLogger;
}

function requestLogger(root: Pino): RequestLogger {
  return {
    middleware: pinoHttp({
      logger: root,
      genReqId: (req, res) => {
        const id = requestIdFor(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
      // Allowlists: nothing else of a request is written, so no header (Authorization, X-Guest-Token,
      // cookies) or query (`?token=`) can reach a log line, and no redaction pass is needed.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        // The status only: the response headers (security headers, rate-limit counters…) made
        // each line ~1.3 kB and were copied and serialized on every request.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  };
}

/** Log lines are written to stdout in batches of this many bytes, */
const LOG_BATCH_BYTES = 4096;
/** or at least this often. */
const LOG_FLUSH_INTERVAL_MS = 1000;
/** While stdout does not keep up, lines beyond this much unwritten output are dropped. */
const LOG_BUFFER_MAX_BYTES = 16 * 1024 * 1024;
/** How long shutdown waits for the last batch to be written. */
const LOG_FINAL_FLUSH_MS = 1000;

const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * stdout, written in batches: one write per line was a system call per request, about 3 % of a
 * message's CPU (docs/performance.md). Not `pino.destination()`: it flushes synchronously at exit,
 * and sonic-boom's `flushSync` retries a failed write forever, blocked in `Atomics.wait`; with the
 * reader of stdout gone (Ctrl-C on `npm start | pino-pretty`) the process never ended (issue 22).
 * Here nothing writes synchronously: a failed write (EPIPE) ends logging, and shutdown waits at
 * most LOG_FINAL_FLUSH_MS for the last batch. A process that exits otherwise (SIGKILL, OOM, the
 * shutdown deadline) loses at most the last second of lines.
 */
function logDestination(): SonicBoom {
  const destination = new SonicBoom({ fd: 1, sync: false, minLength: LOG_BATCH_BYTES, maxLength: LOG_BUFFER_MAX_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  destination.on('error', () => {
    destination.write = () => true;
  });
  return destination;
}

/** Writes what is buffered; resolves when written, failed, or after `timeoutMs` (a stalled stdout). */
function flushWithin(destination: SonicBoom, timeoutMs: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, timeoutMs);
    destination.flush(() => {
      clearTimeout(timer);
      done();
    });
  });
}

@Global()
@Module({
  providers: [
    { provide: LOG_DESTINATION, useFactory: logDestination },
    {
      provide: ROOT_LOGGER,
      inject: [ConfigService, LOG_DESTINATION],
      useFactory: (config: ConfigService<Env, true>, destination: SonicBoom) => pino({ level: config.get('LOG_LEVEL', { infer: true }) }, destination),
    },
    { provide: RequestLogger, inject: [ROOT_LOGGER], useFactory: requestLogger },
  ],
  exports: [ROOT_LOGGER, RequestLogger],
})
class LoggersModule implements OnApplicationShutdown {
  constructor(@Inject(LOG_DESTINATION) private readonly destination: SonicBoom) {}

  /** Global modules shut down last, so this writes what the other modules logged on their way out. */
  onApplicationShutdown(): Promise<void> {
    return flushWithin(this.destination, LOG_FINAL_FLUSH_MS);
  }
}

/**
 * Logs as JSON lines through pino. Nest's logger is nestjs-pino's; requests are logged by
 * `RequestLogger`, which `setupApp` mounts first. nestjs-pino's own request middleware is not
 * mounted (`forRoutes: []`): it binds each request's logger with AsyncLocalStorage, which on
 * Node 20 puts hooks on every promise of the process, 6–9 % of the CPU of a message
 * (docs/performance.md). So application log lines carry no request id of their own; the ones
 * written for a request (the exception filter's) add `reqId` themselves.
 */
@Module({
  imports: [
    LoggersModule,
    LoggerModule.forRootAsync({
      inject: [ROOT_LOGGER],
      useFactory: (root: Pino) => ({ pinoHttp: { logger: root }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
