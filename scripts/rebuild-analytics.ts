/**
 * `npm run analytics:rebuild [-- --batch 1000]`
 *
 * Recounts every day's analytics rollup from the sessions of MONGODB_URI (or the embedded database
 * of DATA_DIR when it is unset) and replaces `analyticsdays` with the result. Repairs rollups that
 * drifted, e.g. after a crash lost the last flush interval's changes. Stop every instance first: a
 * session written during the rebuild may be counted twice or not at all.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AnalyticsRepository } from '../src/analytics/analytics.repository';
import { rebuildRollups } from '../src/analytics/analytics-rebuild';
import { AnalyticsDay, AnalyticsDaySchema } from '../src/analytics/schemas/analytics-day.schema';
import { DatabaseModule } from '../src/database/database.module';
import { LiveChatSession, LiveChatSessionSchema } from '../src/chat/sessions/schemas/live-chat-session.schema';
import { SessionFacts } from '../src/chat/sessions/session-facts';
import { SessionsRepository } from '../src/chat/sessions/sessions.repository';
import { cliConfig, parseBatchOption, runCli } from './cli';

const USAGE = 'Usage: npm run analytics:rebuild -- [--batch 1000]';

@Module({
  imports: [
    cliConfig(),
    DatabaseModule,
    MongooseModule.forFeature([
      { name: AnalyticsDay.name, schema: AnalyticsDaySchema },
      { name: LiveChatSession.name, schema: LiveChatSessionSchema },
    ]),
  ],
  providers: [AnalyticsRepository, SessionsRepository, SessionFacts],
})
class RebuildModule {}

runCli({
  usage: USAGE,
  failure: 'Rebuilding the analytics failed',
  parse: parseBatchOption,
  module: RebuildModule,
  async run(app, batch: number) {
    const started = Date.now();
    const { sessions, days } = await rebuildRollups(app.get(SessionFacts), app.get(AnalyticsRepository), batch, (read) => console.log(`${read} sessions read`));
    console.log(`Done: ${sessions} sessions, ${days} analytics days rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
});
