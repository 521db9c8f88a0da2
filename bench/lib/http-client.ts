/** A keep-alive HTTP/1.1 client on node:http: lighter than fetch, so the load generator costs less. */
import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 512) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /**
   * One request. A kept-alive socket the server closed while idle fails with ECONNRESET before the
   * request was read: that one is retried, as Node's documentation advises (`req.reusedSocket`).
   */
  send(method: string, path: string, options: { body?: unknown; token?: string; timeoutMs?: number } = {}, retried = false): Promise<HttpResponse> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | number> = {};
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') resolve(this.send(method, path, options, true));
        else reject(err);
      });
      req.end(payload);
    });
  }

  async json<T>(method: string, path: string, options: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<{ status: number; body: T }> {
    const res = await this.send(method, path, options);
    return { status: res.status, body: (res.body ? JSON.parse(res.body) : undefined) as T };
  }

  close(): void {
    this.agent.destroy();
  }
}
