import { ConfigService } from '@nestjs/config';
import { Env } from '../../config/env.validation';
import { GuestTokenService } from './guest-token.service';

const serviceWith = (secret: string) => new GuestTokenService({ get: () => secret } as unknown as ConfigService<Env, true>);

describe('GuestTokenService', () => {
  const tokens = serviceWith('a-secret-that-is-long-enough-0123456789');
  const secret = tokens.newSecret();

  it('makes 128-bit secrets, a new one each time', () => {
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.newSecret()).not.toBe(secret);
  });

  it('verifies a token for its own session and secret only', () => {
    const token = tokens.sign('session-aaaaaaaa', secret);
    expect(tokens.verify(token, 'session-aaaaaaaa', secret)).toBe(true);
    expect(tokens.verify(token, 'session-bbbbbbbb', secret)).toBe(false);
    expect(tokens.claimedSessionIdOf(token)).toBe('session-aaaaaaaa');
  });

  it('refuses the token of a session re-created under the same id (new secret), or of one without a secret', () => {
    const token = tokens.sign('session-aaaaaaaa', secret);
    expect(tokens.verify(token, 'session-aaaaaaaa', tokens.newSecret())).toBe(false);
    expect(tokens.verify(token, 'session-aaaaaaaa', undefined)).toBe(false);
  });

  it('refuses tokens signed with another key, tampered or malformed', () => {
    const other = serviceWith('another-secret-that-is-long-enough-01234');
    expect(tokens.verify(other.sign('session-aaaaaaaa', secret), 'session-aaaaaaaa', secret)).toBe(false);
    const [, mac] = tokens.sign('session-aaaaaaaa', secret).split('.');
    expect(tokens.verify(`${Buffer.from('session-bbbbbbbb').toString('base64url')}.${mac}`, 'session-bbbbbbbb', secret)).toBe(false);
    for (const bad of ['', 'abc', 'a.b.c', '.', `${Buffer.from('session-aaaaaaaa').toString('base64url')}.`]) {
      expect(tokens.claimedSessionIdOf(bad)).toBeNull();
      expect(tokens.verify(bad, 'session-aaaaaaaa', secret)).toBe(false);
    }
  });

  it('never accepts an HMAC keyed with the raw JWT secret as a token', () => {
    const jwtSecret = 'a-secret-that-is-long-enough-0123456789';
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const encodedId = Buffer.from('session-aaaaaaaa').toString('base64url');
    for (const input of ['session-aaaaaaaa', `${secret}:session-aaaaaaaa`]) {
      const naive = createHmac('sha256', jwtSecret).update(input).digest('base64url');
      expect(tokens.verify(`${encodedId}.${naive}`, 'session-aaaaaaaa', secret)).toBe(false);
    }
  });
});
