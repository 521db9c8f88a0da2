import { createHmac, createSign } from 'node:crypto';
import { TEST_JWT_SECRET } from '../utils/create-test-app';

/** Builds a JWT by hand, so tests can make the tokens a library would refuse to sign (alg none, odd headers). */
export function craftToken(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (input: string) => string): string {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign(input)}`;
}

export const hmac = (algorithm: 'sha256' | 'sha512', secret: string) => (input: string) =>
  createHmac(algorithm, secret).update(input).digest('base64url');

export const rsa = (privateKey: string) => (input: string) => createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url');

const now = () => Math.floor(Date.now() / 1000);

/** Claims of a valid agent token, valid for an hour; override any of them. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: '665f1c2ab1e4c8a1d2f3e4a5',
    role: 'support',
    firstName: 'Ext',
    lastName: 'Agent',
    email: 'ext.agent@platform.example',
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  };
}

/** An HS256 token signed with the test secret: what an external platform sharing JWT_SECRET mints. */
export const platformToken = (overrides: Record<string, unknown> = {}) =>
  craftToken({ alg: 'HS256', typ: 'JWT' }, claims(overrides), hmac('sha256', TEST_JWT_SECRET));

export { now };
