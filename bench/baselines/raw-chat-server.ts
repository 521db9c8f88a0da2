/**
 * Baseline 1: the chat server written by hand with `node:http`, the MongoDB driver and `ws`. Same
 * routes, JSON shapes, durable writes and WebSocket events as the service for what the benchmark
 * uses, and nothing else (no validation library, no logging, no rate limits, no security headers).
 * It is also the raw WebSocket server of the fan-out, idle-connection and reconnect scenarios:
 * guest sockets are authenticated against the database like the service's, so connect rates compare
 * like with like.
 *
 * Env: PORT, MONGODB_URI, JWT_SECRET.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import { WebSocket, WebSocketServer } from 'ws';
import { RawStore, tokenMatches } from './raw-store';

const MAX_BODY = 100 * 1024;
const MAX_CONTENT = 5000;
const HEARTBEAT_MS = 30_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        resolve(parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined);
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  // A KeyObject, as the service uses: given a string, jsonwebtoken tries to parse it as a public key on every call.
  const secret = createSecretKey(process.env.JWT_SECRET ?? '', 'utf8');
  const store = await RawStore.connect(process.env.MONGODB_URI ?? '');
  const admins = new Set<WebSocket>();
  const guests = new Map<string, Set<WebSocket>>();

  const broadcast = (sockets: Iterable<WebSocket> | undefined, event: unknown) => {
    if (!sockets) return;
    const frame = JSON.stringify(event);
    for (const socket of sockets) if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  };

  const guestSession = async (req: IncomingMessage, res: ServerResponse, sessionId: string) => {
    const token = bearer(req);
    const session = await store.findSession(sessionId);
    if (!session) return send(res, 404, { success: false, message: 'Session not found' }), null;
    if (!token || !tokenMatches(token, session.guestTokenHash)) return send(res, 401, { success: false, message: 'Invalid guest token' }), null;
    return session;
  };

  const routes = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/health') {
      await store.ping();
      return send(res, 200, { status: 'ok' });
    }
    if (parts[0] !== 'api') return send(res, 404, { success: false, message: 'Not found' });

    // POST /api/live-chat/sessions
    if (req.method === 'POST' && parts.length === 3 && parts[1] === 'live-chat' && parts[2] === 'sessions') {
      const body = await readJson(req);
      const user = body?.user as { name?: unknown; email?: unknown } | undefined;
      if (typeof body?.sessionId !== 'string' || typeof user?.name !== 'string' || typeof user?.email !== 'string') {
        return send(res, 400, { success: false, message: 'User name and email are required' });
      }
      const created = await store.createSession(
        body.sessionId,
        { name: user.name, email: user.email },
        { userAgent: req.headers['user-agent'], ipAddress: req.socket.remoteAddress },
        `Welcome ${user.name}! A support agent will be with you shortly.`,
      );
      const { guestTokenHash: _hidden, ...session } = created.session;
      broadcast(admins, { type: 'new_session', session });
      return send(res, 201, {
        success: true,
        message: 'Chat session created successfully',
        data: { session, welcomeMessage: created.welcomeMessage, guestToken: created.guestToken },
      });
    }

    // /api/live-chat/sessions/:id/messages
    if (parts.length === 5 && parts[1] === 'live-chat' && parts[2] === 'sessions' && parts[4] === 'messages') {
      const sessionId = decodeURIComponent(parts[3]);
      if (req.method === 'POST') {
        const body = await readJson(req);
        const content = body?.content;
        if (typeof content !== 'string' || !content.trim() || content.length > MAX_CONTENT) {
          return send(res, 400, { success: false, message: 'Message content is required' });
        }
        const session = await guestSession(req, res, sessionId);
        if (!session) return;
        const message = await store.appendMessage(sessionId, 'user', content);
        if (!message) return send(res, 404, { success: false, message: 'Session not found' });
        broadcast(admins, { type: 'user_message', sessionId, message });
        return send(res, 201, { success: true, message: 'Message sent successfully', data: message });
      }
      if (req.method === 'GET') {
        if (!(await guestSession(req, res, sessionId))) return;
        const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
        const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit')) || 50));
        const { data, total } = await store.listMessages(sessionId, page, limit);
        return send(res, 200, { success: true, count: data.length, total, page, pages: Math.ceil(total / limit), data });
      }
    }

    // POST /api/admin/live-chat/sessions/:id/reply
    if (req.method === 'POST' && parts.length === 6 && parts[1] === 'admin' && parts[2] === 'live-chat' && parts[3] === 'sessions' && parts[5] === 'reply') {
      let agent: jwt.JwtPayload;
      try {
        agent = jwt.verify(bearer(req) ?? '', secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      } catch {
        return send(res, 401, { success: false, message: 'Not authorized' });
      }
      const body = await readJson(req);
      const content = body?.content;
      if (typeof content !== 'string' || !content.trim() || content.length > MAX_CONTENT) {
        return send(res, 400, { success: false, message: 'Message content is required' });
      }
      const sessionId = decodeURIComponent(parts[4]);
      const agentName = `${agent.firstName ?? ''} ${agent.lastName ?? ''}`.trim();
      const message = await store.appendMessage(sessionId, 'agent', content, { agentName, agentId: agent.sub });
      if (!message) return send(res, 404, { success: false, message: 'Session not found' });
      broadcast(guests.get(sessionId), { type: 'agent_message', sessionId, message });
      return send(res, 201, { success: true, message: 'Reply sent successfully', data: message });
    }
    return send(res, 404, { success: false, message: 'Not found' });
  };

  const server = createServer((req, res) => {
    routes(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { success: false, message: 'Internal server error' });
    });
  });

  const wss = new WebSocketServer({ server, path: '/ws/live-chat', maxPayload: 64 * 1024 });
  const alive = new WeakSet<WebSocket>();
  wss.on('connection', (socket, req) => {
    socket.on('error', () => socket.terminate());
    alive.add(socket); // a socket still being authenticated must survive a heartbeat tick
    socket.on('pong', () => alive.add(socket));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token') ?? '';
    const accept = (register: () => void) => {
      register();
      socket.on('message', (data) => {
        let event: { type?: unknown } | undefined;
        try {
          event = JSON.parse(data.toString()) as { type?: unknown };
        } catch {
          return;
        }
        if (event?.type === 'ping') socket.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
      });
      socket.send(JSON.stringify({ type: 'connection_established', timestamp: new Date().toISOString() }));
    };
    if (url.searchParams.get('admin') === 'true') {
      try {
        jwt.verify(token, secret, { algorithms: ['HS256'] });
      } catch {
        return socket.close(4001, 'Unauthorized');
      }
      return accept(() => {
        admins.add(socket);
        socket.on('close', () => admins.delete(socket));
      });
    }
    const sessionId = url.searchParams.get('sessionId') ?? '';
    store.findSession(sessionId).then(
      (session) => {
        if (!session || !tokenMatches(token, session.guestTokenHash)) return socket.close(4001, 'Unauthorized');
        if (socket.readyState !== WebSocket.OPEN) return;
        accept(() => {
          let set = guests.get(sessionId);
          if (!set) guests.set(sessionId, (set = new Set()));
          set.add(socket);
          socket.on('close', () => {
            set.delete(socket);
            if (set.size === 0 && guests.get(sessionId) === set) guests.delete(sessionId);
          });
        });
      },
      () => socket.close(1011, 'Server error'),
    );
  });
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, HEARTBEAT_MS);

  server.listen(port, '127.0.0.1');
  const stop = () => {
    clearInterval(heartbeat);
    for (const socket of wss.clients) socket.terminate();
    server.close();
    void store.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: Error) => {
  console.error(`raw-chat-server: ${err.message}`);
  process.exit(1);
});
