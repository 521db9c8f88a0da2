/**
 * `npm run db`: the embedded database alone, in the foreground, for several service instances or
 * tools to share. Prints its URI; Ctrl-C stops it.
 */
import { buildUnlessConfigured } from '../embedded-db/build';
import { EmbeddedDatabase } from '../src/database/embedded-database';

async function main(): Promise<void> {
  await buildUnlessConfigured({ FERRETDB_BIN: process.env.FERRETDB_BIN }, (line) => console.log(line));
  const port = Number(process.env.EMBEDDED_DB_PORT || 27017);
  const database = new EmbeddedDatabase({
    dataDir: process.env.DATA_DIR || './data',
    port,
    binaryPath: process.env.FERRETDB_BIN || undefined,
    log: (line) => console.log(line),
  });
  const uri = await database.start();
  console.log(`Embedded database ready: MONGODB_URI=${uri}livechat`);
  const stop = async () => {
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`Failed to start the embedded database: ${err.message}`);
  process.exit(1);
});
