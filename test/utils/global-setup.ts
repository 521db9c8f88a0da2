import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildUnlessConfigured } from '../../embedded-db/build';
import { EmbeddedDatabase } from '../../src/database/embedded-database';

/** One FerretDB for the whole run; every test app gets its own database in it. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) {
    process.env.TEST_MONGODB_BASE_URI = process.env.TEST_MONGODB_URI.replace(/\/?$/, '/');
    return;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  await buildUnlessConfigured({ FERRETDB_BIN: process.env.FERRETDB_BIN }, log);
  const dataDir = await mkdtemp(join(tmpdir(), 'live-chat-test-db-'));
  const database = new EmbeddedDatabase({
    dataDir,
    port: 0,
    binaryPath: process.env.FERRETDB_BIN,
    log,
  });
  process.env.TEST_MONGODB_BASE_URI = await database.start();
  process.env.TEST_DATA_ROOT = dataDir;
  (globalThis as Record<string, unknown>).__EMBEDDED_DATABASE__ = database;
}
