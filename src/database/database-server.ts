import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { EmbeddedDatabase } from './embedded-database';

/** Where the service's MongoDB lives: `MONGODB_URI`, or an embedded FerretDB started for it. */
export class DatabaseServer implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly uri: string,
    private readonly embedded?: EmbeddedDatabase,
  ) {}

  static async connectTo(options: {
    mongodbUri?: string;
    dataDir: string;
    embeddedPort: number;
    ferretDbBin?: string;
    production: boolean;
  }): Promise<DatabaseServer> {
    if (options.mongodbUri) return new DatabaseServer(options.mongodbUri);
    if (options.production) {
      DatabaseServer.logger.warn('MONGODB_URI is not set: running on the embedded database (FerretDB/SQLite). Use MongoDB in production.');
    }
    const embedded = new EmbeddedDatabase({
      dataDir: options.dataDir,
      port: options.embeddedPort,
      binaryPath: options.ferretDbBin,
      log: (line) => DatabaseServer.logger.log(line),
    });
    const baseUri = await embedded.start();
    DatabaseServer.logger.log(`Embedded database listening at ${baseUri}`);
    return new DatabaseServer(`${baseUri}livechat`, embedded);
  }

  /** False while the embedded database is down (being restarted); MongoDB's state is the driver's. */
  get available(): boolean {
    return this.embedded?.running ?? true;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
