import { rm } from 'node:fs/promises';
import { EmbeddedDatabase } from '../../src/database/embedded-database';

export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as Record<string, unknown>).__EMBEDDED_DATABASE__ as EmbeddedDatabase | undefined;
  await database?.stop();
  if (process.env.TEST_DATA_ROOT) await rm(process.env.TEST_DATA_ROOT, { recursive: true, force: true });
}
