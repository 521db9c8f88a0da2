import { join } from 'node:path';
import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { Router } from 'express';
import { setWebHeaders } from './web-headers';

/** web/dist, built by `npm run build:web`; the same two levels up from src/web and dist/web. */
export const WEB_DIST_DIR = join(__dirname, '..', '..', 'web', 'dist');

/**
 * Serves the built browser apps: GET /widget.js (the launcher) and /widget/* (its lazy chunks),
 * /console/ and /demo. Plain express.static on the Express instance, like @nestjs/serve-static, but
 * with per-file headers and without its catch-all that would answer a missing chunk with HTML;
 * mounted after the global middleware (security headers, CORS) and outside Nest's routes, so static
 * files use neither the API's rate limits nor its guards. Unknown files fall through to the 404 envelope.
 */
@Module({})
export class WebModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const files = (dir: string) => express.static(join(WEB_DIST_DIR, dir), { setHeaders: setWebHeaders, etag: false, index: 'index.html' });
    const launcher = files('.');
    const router = Router();
    router.get('/widget.js', launcher);
    router.use('/widget', files('widget'));
    router.use('/console', files('console'));
    router.use('/demo', files('demo'));
    this.adapterHost.httpAdapter.use(router);
  }
}
