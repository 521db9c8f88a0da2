/**
 * Baseline 2: the two read endpoints of the HTTP-overhead scenario in plain Express 5 (the version
 * the service runs on) with `express.json()` and nothing else: `GET /health` (a database ping) and
 * `GET /api/live-chat/sessions/:id/messages` (guest token check, one page of messages, the total).
 * It reads the raw chat server's database.
 *
 * Env: PORT, MONGODB_URI.
 */
import express from 'express';
import { RawStore, tokenMatches } from './raw-store';

async function main(): Promise<void> {
  const store = await RawStore.connect(process.env.MONGODB_URI ?? '');
  const app = express();
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', async (_req, res) => {
    await store.ping();
    res.json({ status: 'ok' });
  });

  app.get('/api/live-chat/sessions/:sessionId/messages', async (req, res) => {
    const { sessionId } = req.params;
    const session = await store.findSession(sessionId);
    if (!session) return void res.status(404).json({ success: false, message: 'Session not found' });
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ') || !tokenMatches(header.slice(7), session.guestTokenHash)) {
      return void res.status(401).json({ success: false, message: 'Invalid guest token' });
    }
    const page = Math.max(1, Number(req.query.page) || 1);
    const limit = Math.min(100, Math.max(1, Number(req.query.limit) || 50));
    const { data, total } = await store.listMessages(sessionId, page, limit);
    res.json({ success: true, count: data.length, total, page, pages: Math.ceil(total / limit), data });
  });

  const server = app.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => {
    server.close();
    void store.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: Error) => {
  console.error(`raw-express-server: ${err.message}`);
  process.exit(1);
});
