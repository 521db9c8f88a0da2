import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentsModule } from '../agents/agents.module';
import { LiveChatSession, LiveChatSessionSchema } from '../sessions/schemas/live-chat-session.schema';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRecorder } from './analytics.recorder';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { AnalyticsDay, AnalyticsDaySchema } from './schemas/analytics-day.schema';

/**
 * `GET /api/admin/live-chat/analytics`, answered from daily rollups. Exports `AnalyticsRecorder`,
 * which the session writers call to keep the rollups in step.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AnalyticsDay.name, schema: AnalyticsDaySchema },
      { name: LiveChatSession.name, schema: LiveChatSessionSchema },
    ]),
    AgentsModule,
  ],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, AnalyticsRecorder, AnalyticsService],
  exports: [AnalyticsRecorder],
})
export class AnalyticsModule {}
