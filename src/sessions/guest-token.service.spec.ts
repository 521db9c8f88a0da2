import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env.validation';
import { GuestTokenService } from './guest-token.service';

const serviceWith = (secret: string) => new GuestTokenService({ get: () => secret } as unknown as ConfigService<Env, true>);

describe('GuestTokenService', () => {
  const tokens = serviceWith('a-secret-that-is-long-enough-0123456789');

  it('verifies a token for its own session only', () => {
    const token = tokens.sign('session-aaaaaaaa');
    expect(tokens.verify(token, 'session-aaaaaaaa')).toBe(true);
    expect(tokens.verify(token, 'session-bbbbbbbb')).toBe(false);
    expect(tokens.sessionIdOf(token)).toBe('session-aaaaaaaa');
  });

  it('refuses tokens signed with another secret, tampered or malformed', () => {
    const other = serviceWith('another-secret-that-is-long-enough-01234');
    expect(tokens.verify(other.sign('session-aaaaaaaa'), 'session-aaaaaaaa')).toBe(false);
    const [, mac] = tokens.sign('session-aaaaaaaa').split('.');
    expect(tokens.verify(`${Buffer.from('session-bbbbbbbb').toString('base64url')}.${mac}`, 'session-bbbbbbbb')).toBe(false);
    for (const bad of ['', 'abc', 'a.b.c', '.', `${Buffer.from('session-aaaaaaaa').toString('base64url')}.`]) {
      expect(tokens.sessionIdOf(bad)).toBeNull();
    }
  });

  it('never accepts the raw JWT secret HMAC as a token', () => {
    const secret = 'a-secret-that-is-long-enough-0123456789';
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const naive = createHmac('sha256', secret).update('session-aaaaaaaa').digest('base64url');
    expect(tokens.verify(`${Buffer.from('session-aaaaaaaa').toString('base64url')}.${naive}`, 'session-aaaaaaaa')).toBe(false);
  });
});
