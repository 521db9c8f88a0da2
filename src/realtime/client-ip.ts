import { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * The client address of an upgrade request, trusting `trustedHops` reverse proxies: what Express's
 * `req.ip` is for HTTP requests with `trust proxy` set to the same hop count (both use proxy-addr),
 * the address `trustedHops` entries back from the socket along `X-Forwarded-For`.
 */
export function clientIp(request: IncomingMessage, trustedHops: number): string {
  return proxyAddr(request, (_address, hop) => hop < trustedHops) ?? 'unknown';
}
