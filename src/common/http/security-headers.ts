import { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** Where Swagger UI and its OpenAPI document are served: the only HTML this service sends. */
export const API_DOCS_PATH = 'api/docs';

/**
 * The API answers JSON only: the headers an API response needs (OWASP REST Security Cheat Sheet)
 * and nothing meant for HTML documents. Nothing may be framed or loaded from an answer, and no
 * answer is stored: sessions and messages are private to a guest or an agent, and the widget runs
 * in visitors' browsers, shared computers included.
 */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/** Swagger UI: helmet's document headers, with the inline script and styles the page needs. */
const documentHeaders = helmet({
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'https:'] } },
});

/**
 * Security headers for every response; a route may replace them (attachment downloads set their
 * own caching and sandbox). `setupApp` also turns Express's ETag off: nothing revalidates what is
 * never stored.
 */
export function securityHeaders(): RequestHandler {
  const docs = `/${API_DOCS_PATH}`;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(docs)) return documentHeaders(req, res, next);
    res.setHeader('Cache-Control', 'no-store');
    apiHeaders(req, res, next);
  };
}
