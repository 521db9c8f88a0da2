import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * A constructor that runs `base` on instances born with `prototype`, an object inheriting from
 * `base.prototype` (Node's IncomingMessage and ServerResponse are plain constructor functions).
 */
function bornWith<C extends typeof IncomingMessage | typeof ServerResponse>(base: C, prototype: InstanceType<C>): C {
  function Born(this: InstanceType<C>, ...args: unknown[]): void {
    Reflect.apply(base, this, args);
  }
  Born.prototype = prototype;
  return Born as unknown as C;
}

/**
 * Nest's Express adapter, with an HTTP server that creates each request and response with Express's
 * prototypes (`app.request`, `app.response`) already in place. Express sets them on every request
 * (`Object.setPrototypeOf` in `app.handle`); changing the prototype of a live object kept every
 * request's objects alive through the next young-generation collections (2 MB of survivors per
 * scavenge on the agent reply path, 0.1 MB in the raw baseline: docs/performance.md;
 * expressjs/express#5998). Express now finds the prototypes already set and changes nothing.
 *
 * The server is plain HTTP (TLS ends at the reverse proxy, docs/security.md); `main.ts` and the
 * tests create the app with this adapter.
 */
export class ExpressHttpAdapter extends ExpressAdapter {
  override initHttpServer(): void {
    const app = this.getInstance<Express>();
    const server = createServer(
      { IncomingMessage: bornWith(IncomingMessage, app.request), ServerResponse: bornWith(ServerResponse, app.response) },
      app,
    );
    this.setHttpServer(server);
  }
}
