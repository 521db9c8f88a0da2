import { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import request from 'supertest';
import { ExpressHttpAdapter } from './express-http.adapter';

describe('ExpressHttpAdapter', () => {
  let app: Express;
  let server: Server;
  let bornWith: { request?: object; response?: object };

  beforeEach(() => {
    const adapter = new ExpressHttpAdapter();
    adapter.initHttpServer();
    app = adapter.getInstance<Express>();
    server = adapter.getHttpServer() as Server;
    bornWith = {};
    // Runs before Express, which would otherwise set the prototypes itself.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      bornWith = { request: Object.getPrototypeOf(req) as object, response: Object.getPrototypeOf(res) as object };
    });
    app.get('/echo', (req: Request, res: Response) => {
      res.status(201).json({ x: req.query.x, path: req.path, isRequest: req instanceof IncomingMessage });
    });
  });

  it("creates each request and response with Express's prototypes already set", async () => {
    await request(server).get('/echo?x=1').expect(201);
    expect(bornWith.request).toBe(app.request);
    expect(bornWith.response).toBe(app.response);
  });

  it('gives Express working requests and responses', async () => {
    const res = await request(server).get('/echo?x=1').expect(201);
    expect(res.body).toEqual({ x: '1', path: '/echo', isRequest: true });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
