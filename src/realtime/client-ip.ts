import { IncomingMessage } from 'node:http';

/**
 * The client address of an upgrade request, trusting `trustedHops` reverse proxies the way
 * Express's `trust proxy` hop count does for HTTP requests: the address `trustedHops` entries
 * back from the socket along `X-Forwarded-For`.
 */
export function clientIp(request: Pick<IncomingMessage, 'headers' | 'socket'>, trustedHops: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const chain = [socketAddress, ...forwarded.reverse()];
  return chain[Math.min(trustedHops, chain.length - 1)];
}
