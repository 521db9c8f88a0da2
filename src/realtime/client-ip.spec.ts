import { clientIp } from './client-ip';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as Parameters<typeof clientIp>[0];

describe('clientIp', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp(request('10.0.0.1', '1.2.3.4'), 0)).toBe('10.0.0.1');
  });

  it('takes the address the trusted proxy saw, ignoring what the client forged before it', () => {
    expect(clientIp(request('10.0.0.1', '6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientIp(request('10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2'), 2)).toBe('1.2.3.4');
  });

  it('stops at the farthest address when more hops are trusted than there are', () => {
    expect(clientIp(request('10.0.0.1', '1.2.3.4'), 5)).toBe('1.2.3.4');
    expect(clientIp(request('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});
