/**
 * `npm run sessions:reindex [-- --batch 1000]`
 *
 * Brings the sessions of MONGODB_URI (or the embedded database of DATA_DIR when it is unset) to
 * what the admin list reads: the schema's indexes (undeclared ones dropped), the search keys
 * (`nameKey`, `emailKey`) on sessions stored before them, and the status counts
 * (`sessioncounts`) recounted. Run it after upgrading and to repair counts after a crash; stop
 * every instance first (a session written meanwhile may be counted twice or not at all).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import mongoose, { AnyBulkWriteOperation, Model } from 'mongoose';
import { LiveChatSession, LiveChatSessionSchema } from '../src/chat/sessions/schemas/live-chat-session.schema';
import { SessionCount, SessionCountSchema } from '../src/chat/sessions/schemas/session-count.schema';
import { SessionChangeFeed } from '../src/chat/sessions/session-change-feed';
import { SessionCounts } from '../src/chat/sessions/session-counts';
import { searchKeys } from '../src/chat/sessions/session-search';
import { InProcessKeyedLock } from '../src/common/locks/in-process-keyed-lock';
import { KeyedLock } from '../src/common/locks/keyed-lock';
import { DatabaseModule } from '../src/database/database.module';
import { cliConfig, parseBatchOption, runCli } from './cli';

const USAGE = 'Usage: npm run sessions:reindex -- [--batch 1000]';

@Module({
  imports: [
    cliConfig(),
    DatabaseModule,
    MongooseModule.forFeature([
      { name: LiveChatSession.name, schema: LiveChatSessionSchema },
      { name: SessionCount.name, schema: SessionCountSchema },
    ]),
  ],
  providers: [SessionCounts, SessionChangeFeed, { provide: KeyedLock, useClass: InProcessKeyedLock }],
})
class ReindexModule {}

runCli({
  usage: USAGE,
  failure: 'Reindexing the sessions failed',
  parse: parseBatchOption,
  module: ReindexModule,
  async run(app, batch: number) {
    const started = Date.now();
    const sessions = app.get<Model<LiveChatSession>>(getModelToken(LiveChatSession.name));
    const dropped = await sessions.syncIndexes();
    console.log(`Indexes in step with the schema${dropped.length ? ` (dropped ${dropped.join(', ')})` : ''}`);

    let keyed = 0;
    let updates: AnyBulkWriteOperation<LiveChatSession>[] = [];
    const flush = async () => {
      if (updates.length) await sessions.bulkWrite(updates, { ordered: false });
      keyed += updates.length;
      updates = [];
    };
    for await (const session of sessions.find({ nameKey: mongoose.trusted({ $exists: false }) }, { user: 1 }).lean().cursor({ batchSize: batch })) {
      updates.push({ updateOne: { filter: { _id: session._id }, update: { $set: searchKeys(session.user) } } });
      if (updates.length >= batch) await flush();
    }
    await flush();
    console.log(`Search keys written on ${keyed} sessions`);

    await app.get(SessionCounts).replaceWith(sessions.find({}, { status: 1, department: 1, priority: 1, assignedAgent: 1 }).lean().cursor({ batchSize: batch }));
    console.log(`Status counts recounted; done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
});
