import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env.validation';
import { LoginAttemptsLimiter } from './login-attempts.limiter';

const limiter = (max = 2, windowMs = 60_000) =>
  new LoginAttemptsLimiter({ get: (key: string) => ({ LOGIN_MAX_ATTEMPTS: max, RATE_LIMIT_WINDOW_MS: windowMs, RATE_LIMIT_ENABLED: true })[key] } as unknown as ConfigService<Env, true>);

describe('LoginAttemptsLimiter', () => {
  it('allows max attempts per key, then tells how long to wait', () => {
    const l = limiter(2, 60_000);
    expect(l.reserveLocally(['ip:1', 'email:a'], 0)).toBeNull();
    expect(l.reserveLocally(['ip:1', 'email:a'], 1000)).toBeNull();
    expect(l.reserveLocally(['ip:1', 'email:a'], 2000)).toEqual({ retryAfterSeconds: 58 });
    expect(l.reserveLocally(['ip:2', 'email:a'], 2000)).toEqual({ retryAfterSeconds: 58 });
    expect(l.reserveLocally(['ip:2', 'email:b'], 2000)).toBeNull();
  });

  it('does not count a refused attempt against the other key', () => {
    const l = limiter(1);
    expect(l.reserveLocally(['ip:1', 'email:a'], 0)).toBeNull();
    expect(l.reserveLocally(['ip:1', 'email:b'], 0)).not.toBeNull();
    expect(l.reserveLocally(['ip:2', 'email:b'], 0)).toBeNull();
  });

  it('gives back attempts that succeeded', async () => {
    const l = limiter(1);
    for (let i = 0; i < 5; i++) {
      expect(l.reserveLocally(['ip:1', 'email:a'], Date.now())).toBeNull();
      await l.release(['ip:1', 'email:a']);
    }
  });

  it('starts a new window once the old one ends', () => {
    const l = limiter(1, 1000);
    expect(l.reserveLocally(['ip:1'], 0)).toBeNull();
    expect(l.reserveLocally(['ip:1'], 999)).toEqual({ retryAfterSeconds: 1 });
    expect(l.reserveLocally(['ip:1'], 1000)).toBeNull();
  });
});
