/** Opening many WebSockets at a bounded rate and waiting for the server's `connection_established`. */
import { WebSocket } from 'ws';

/** Opens one socket; resolves once the server has sent its first frame (the connection is accepted). */
export function openSocket(url: string, onFrame?: (frame: string) => void, timeoutMs = 30_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('WebSocket: no connection_established in time'));
    }, timeoutMs);
    socket.once('message', (data) => {
      clearTimeout(timer);
      if (onFrame) socket.on('message', (frame) => onFrame(frame.toString()));
      resolve(socket);
      void data;
    });
    socket.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`WebSocket closed before it was accepted (${code})`));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Runs `task(i)` for i in [0, count) with at most `parallel` in flight; returns results in order. */
export async function inParallel<T>(count: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

/** Closes sockets and waits until each has seen its close (or a second has passed). */
export async function closeAll(sockets: WebSocket[], abrupt = false): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            socket.terminate();
            resolve();
          }, 1000);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          if (abrupt) socket.terminate();
          else socket.close();
        }),
    ),
  );
}
