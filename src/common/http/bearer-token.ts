import { IncomingHttpHeaders } from 'node:http';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header value. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  return BEARER.exec(authorization ?? '')?.[1];
}

/** The guest token of a request: `X-Guest-Token`, else `Authorization: Bearer <token>`. */
export function guestTokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-guest-token'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  return bearerTokenOf(headers.authorization);
}

/** A JWT in compact form has three dot-separated parts; our guest tokens have two. */
export function isCompactJwt(token: string): boolean {
  return token.split('.').length === 3;
}
