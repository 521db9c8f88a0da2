import { generateKeyPairSync } from 'node:crypto';
import { DEVELOPMENT_JWT_SECRET, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('fills safe defaults', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(5000);
    expect(env.DATA_DIR).toBe('./data');
    expect(env.JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
    expect(env.GUEST_TOKEN_REQUIRED).toBe(true);
    expect(env.MONGODB_URI).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const env = validateEnv({ PORT: '8080', TRUST_PROXY: '1', GUEST_TOKEN_REQUIRED: 'false' });
    expect(env.PORT).toBe(8080);
    expect(env.TRUST_PROXY).toBe(1);
    expect(env.GUEST_TOKEN_REQUIRED).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ GUEST_TOKEN_REQUIRED: 'maybe' }, 'GUEST_TOKEN_REQUIRED'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ ANALYTICS_TIMEZONE: 'Mars/Olympus_Mons' }, 'ANALYTICS_TIMEZONE'],
    [{ AGENT_AUTH_CACHE_TTL_MS: '60001' }, 'AGENT_AUTH_CACHE_TTL_MS'],
    [{ GUEST_ACCESS_CACHE_TTL_MS: '600001' }, 'GUEST_ACCESS_CACHE_TTL_MS'],
    [{ JWT_PUBLIC_KEY: 'not a key' }, 'JWT_PUBLIC_KEY'],
  ])('rejects %j naming the variable in one line', (raw, name) => {
    expect(() => validateEnv(raw)).toThrow(new RegExp(`^Invalid configuration: .*${name}:`));
    try {
      validateEnv(raw);
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('accepts a PEM public key, also with \\n escapes on one line', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(validateEnv({ JWT_PUBLIC_KEY: pem }).JWT_PUBLIC_KEY).toBe(pem);
    expect(() => validateEnv({ JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') })).not.toThrow();
  });

  it('refuses the development or a short JWT secret in production', () => {
    expect(() => validateEnv({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.example' })).toThrow(/JWT_SECRET/);
    expect(() => validateEnv({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.example', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(validateEnv({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.example', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it('refuses a wildcard CORS origin in production', () => {
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });
});
