import { IncomingMessage } from 'node:http';
import { INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MessageMappingProperties } from '@nestjs/websockets';
import { WsAdapter } from '@nestjs/platform-ws';
import { Observable } from 'rxjs';
import WebSocket, { ServerOptions, WebSocketServer } from 'ws';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { ConnectionLimiter } from '../common/fleet/connection-limiter';
import { toErrorResponse } from '../common/filters/all-exceptions.filter';
import { jsonDepthExceeds } from '../common/http/json-depth';
import { Env } from '../config/env.validation';
import { clientIp } from './client-ip';
import { BEARER_PROTOCOL, PrincipalResolver } from '../access/principal.resolver';
import { SessionsService } from '../chat/sessions/sessions.service';
import { attachPrincipal, RealtimePrincipal } from './realtime-principal';
import { encodeFrame, ServerFrame } from './realtime.events';

export const LIVE_CHAT_WS_PATH = '/ws/live-chat';
/** Open sessions per status an agent follows by assignment when it connects (agents carry a handful). */
const MAX_FOLLOWED_ASSIGNMENTS = 500;

interface UpgradeAuth {
  principals: PrincipalResolver;
  sessions: SessionsService;
}

type VerifyClientCallback = (result: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;

/** Counts a socket's incoming frames per one-second window. */
class FrameRateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** 'ok', 'exceeded' (the first refused frame of a window: say so once) or 'dropped'. */
  take(now: number): 'ok' | 'exceeded' | 'dropped' {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    if (this.count <= this.perSecond) return 'ok';
    return this.count === this.perSecond + 1 ? 'exceeded' : 'dropped';
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and other non-URLs
  }
}

function sendFrame(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(encodeFrame(frame), { binary: false });
}

/**
 * Nest's `ws` adapter with the live-chat transport rules, for the gateway at /ws/live-chat:
 * - frames are `{type, ...payload}` JSON (the spec's format), not Nest's `{event, data}`;
 *   bad JSON, unknown types and throttled frames get `{type: 'error', message}`, the socket stays open;
 * - the upgrade is refused with an HTTP status before any WebSocket exists: Origin not in
 *   CORS_ORIGINS (403), too many sockets from the IP across the fleet (429), then
 *   `PrincipalResolver.forUpgrade` (400/401/403/404);
 * - frames over WS_MAX_PAYLOAD_BYTES close the socket with 1009 (done by `ws`);
 * - the server pings every WS_HEARTBEAT_INTERVAL_MS and terminates sockets that missed a pong.
 */
export class LiveChatWsAdapter extends WsAdapter {
  private readonly heartbeats = new Map<WebSocketServer, NodeJS.Timeout>();
  private messagesPerSecond = 0;
  private maxJsonDepth = 0;

  constructor(
    private readonly app: INestApplicationContext,
    /** `true` for any origin (CORS_ORIGINS=*), else the allowed origins. */
    private readonly allowedOrigins: true | string[],
  ) {
    super(app);
  }

  override create(port: number, options: ServerOptions & { namespace?: string } = {}): WebSocketServer {
    const config = this.app.get<ConfigService<Env, true>>(ConfigService);
    const auth = { principals: this.app.get(PrincipalResolver), sessions: this.app.get(SessionsService) };
    const limiter = this.app.get(ConnectionLimiter);
    const trustedHops = config.get('TRUST_PROXY', { infer: true });
    this.messagesPerSecond = config.get('WS_MESSAGES_PER_SECOND', { infer: true });
    this.maxJsonDepth = config.get('JSON_MAX_DEPTH', { infer: true });

    const server: WebSocketServer = super.create(port, {
      ...options,
      maxPayload: config.get('WS_MAX_PAYLOAD_BYTES', { infer: true }),
      perMessageDeflate: false,
      handleProtocols: (protocols: Set<string>) => (protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false),
      verifyClient: (info: { origin: string; req: IncomingMessage }, done: VerifyClientCallback) => {
        const refuse = (status: number, message: string) =>
          done(false, status, JSON.stringify({ success: false, message }), { 'Content-Type': 'application/json; charset=utf-8' });
        if (!this.originAllowed(info.origin, info.req.headers.host)) return refuse(403, 'Origin not allowed');
        this.admit(info.req, limiter, auth, trustedHops).then(
          () => done(true),
          (err: unknown) => {
            const { status, body } = toErrorResponse(err);
            if (status >= 500) this.logger.error({ err }, 'WebSocket upgrade failed');
            refuse(status, body.message);
          },
        );
      },
    });

    const alive = new WeakSet<WebSocket>();
    server.on('connection', (socket: WebSocket) => {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    });
    const heartbeat = setInterval(() => {
      for (const socket of server.clients) {
        if (!alive.delete(socket)) socket.terminate();
        else socket.ping();
      }
    }, config.get('WS_HEARTBEAT_INTERVAL_MS', { infer: true }));
    heartbeat.unref();
    this.heartbeats.set(server, heartbeat);
    return server;
  }

  override bindMessageHandlers(socket: WebSocket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    const callbacks = new Map(handlers.map((handler) => [handler.message as string, handler.callback]));
    const limiter = new FrameRateLimiter(this.messagesPerSecond);

    socket.on('message', (data: WebSocket.RawData) => {
      const rate = limiter.take(Date.now());
      if (rate !== 'ok') {
        if (rate === 'exceeded') sendFrame(socket, { type: 'error', message: 'Too many messages, slow down' });
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return sendFrame(socket, { type: 'error', message: 'Invalid JSON' });
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof (frame as { type?: unknown }).type !== 'string') {
        return sendFrame(socket, { type: 'error', message: 'A frame must be a JSON object with a string "type"' });
      }
      if (jsonDepthExceeds(frame, this.maxJsonDepth)) return sendFrame(socket, { type: 'error', message: 'Frame is nested too deeply' });
      const { type, ...payload } = frame as { type: string };
      const callback = callbacks.get(type);
      if (!callback) return sendFrame(socket, { type: 'error', message: `Unknown message type: ${type.slice(0, 64)}` });
      transform(callback(payload, type)).subscribe((response) => {
        if (response) sendFrame(socket, response as ServerFrame);
      });
    });
  }

  override async close(server: WebSocketServer): Promise<void> {
    clearInterval(this.heartbeats.get(server));
    this.heartbeats.delete(server);
    await super.close(server);
  }

  /**
   * Takes one of the IP's WS_MAX_CONNECTIONS_PER_IP slots (fleet-wide; given back when the TCP
   * socket closes, whether or not the upgrade succeeded), then authenticates the request.
   */
  private async admit(request: IncomingMessage, limiter: ConnectionLimiter, auth: UpgradeAuth, trustedHops: number): Promise<void> {
    const ip = clientIp(request, trustedHops);
    if (!(await limiter.tryAcquire(ip))) throw new AppException(ErrorCode.TooManyRequests, 'Too many connections from this IP');
    const release = () => void limiter.release(ip).catch((err: unknown) => this.logger.warn({ err }, 'Could not release a connection slot'));
    if (request.socket.destroyed) release();
    else request.socket.once('close', release);
    attachPrincipal(request, await this.principalOf(request, auth));
  }

  /** Agents follow the open sessions assigned to them when they connect. */
  private async principalOf(request: IncomingMessage, auth: UpgradeAuth): Promise<RealtimePrincipal> {
    const principal = await auth.principals.forUpgrade(request);
    if (principal.kind === 'agent') {
      return { ...principal, assignedSessionIds: await auth.sessions.openSessionIdsAssignedTo(principal.agent.id, MAX_FOLLOWED_ASSIGNMENTS) };
    }
    return { kind: 'guest', sessionId: principal.sessionId! };
  }

  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    // Only browsers send Origin, and only browsers can be tricked into a cross-site connection.
    // A page of this service itself (the agent console at /console/) is not cross-site.
    return this.allowedOrigins === true || origin === undefined || this.allowedOrigins.includes(origin) || sameHost(origin, host);
  }
}
