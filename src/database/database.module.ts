import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { Env } from '../config/env.validation';
import { DatabaseServer } from './database-server';

// Filters built from client input can never smuggle operators: any `$`-object inside a filter is
// wrapped in `$eq` unless the repository marks it with `mongoose.trusted()`.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

const databaseServerProvider = {
  provide: DatabaseServer,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) =>
    DatabaseServer.connectTo({
      mongodbUri: config.get('MONGODB_URI', { infer: true }),
      dataDir: config.get('DATA_DIR', { infer: true }),
      embeddedPort: config.get('EMBEDDED_DB_PORT', { infer: true }),
      ferretDbBin: config.get('FERRETDB_BIN', { infer: true }),
      production: config.get('NODE_ENV', { infer: true }) === 'production',
    }),
};

@Global()
@Module({
  providers: [databaseServerProvider],
  exports: [databaseServerProvider],
})
class DatabaseServerModule {}

@Module({
  imports: [
    DatabaseServerModule,
    MongooseModule.forRootAsync({
      inject: [DatabaseServer],
      useFactory: (server: DatabaseServer) => ({
        uri: server.uri,
        serverSelectionTimeoutMS: 10_000,
        autoIndex: true,
      }),
    }),
  ],
  exports: [DatabaseServerModule],
})
export class DatabaseModule {}
