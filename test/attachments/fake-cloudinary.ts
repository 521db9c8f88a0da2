import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { v2 as cloudinary } from 'cloudinary';
import multer from 'multer';

export interface FakeUpload {
  cloudName: string;
  resourceType: string;
  params: Record<string, string>;
  file: Buffer;
}

/**
 * A local stand-in for Cloudinary's upload API (`/v1_1/<cloud>/<resource_type>/upload|destroy`):
 * checks each request's signature with the shared secret, keeps what it was sent, and answers
 * like Cloudinary does. No network.
 */
export class FakeCloudinary {
  readonly uploads: FakeUpload[] = [];
  readonly destroyed: { resourceType: string; publicId: string }[] = [];
  /** Once this many uploads were accepted, further uploads fail (an outage). */
  failUploadsAfter = Infinity;
  private server?: Server;
  private port = 0;

  constructor(
    readonly cloudName = 'demo-cloud',
    readonly apiKey = '123456789012345',
    readonly apiSecret = 'fake-cloudinary-secret',
  ) {}

  get cloudinaryUrl(): string {
    return `cloudinary://${this.apiKey}:${this.apiSecret}@${this.cloudName}?upload_prefix=http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/v1_1\/([^/]+)\/(image|raw)\/(upload|destroy)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return this.reply(res, 404, { error: { message: 'Not found' } });
    const [, cloudName, resourceType, action] = match;
    const { params, file } = await this.readForm(req, res);
    const { signature, api_key: apiKey, ...signed } = params;
    if (cloudName !== this.cloudName || apiKey !== this.apiKey || signature !== cloudinary.utils.api_sign_request(signed, this.apiSecret)) {
      return this.reply(res, 401, { error: { message: 'Invalid Signature' } });
    }
    if (action === 'destroy') {
      this.destroyed.push({ resourceType, publicId: params.public_id });
      return this.reply(res, 200, { result: 'ok' });
    }
    if (this.uploads.length >= this.failUploadsAfter) return this.reply(res, 500, { error: { message: 'General Error' } });
    this.uploads.push({ cloudName, resourceType, params, file });
    const version = 1700000000;
    this.reply(res, 200, {
      public_id: params.public_id,
      version,
      resource_type: resourceType,
      type: 'upload',
      bytes: file.length,
      secure_url: `https://res.cloudinary.com/${cloudName}/${resourceType}/upload/v${version}/${params.public_id}`,
    });
  }

  private readForm(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, string>; file: Buffer }> {
    const form = req as IncomingMessage & { body: Record<string, string>; files?: Express.Multer.File[] };
    return new Promise((resolve, reject) =>
      multer({ storage: multer.memoryStorage() }).any()(form as never, res as never, (err?: unknown) =>
        err ? reject(err) : resolve({ params: { ...form.body }, file: form.files?.[0]?.buffer ?? Buffer.alloc(0) }),
      ),
    );
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}
