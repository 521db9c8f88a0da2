import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AgentsModule } from '../agents/agents.module';
import { ChatModule } from '../chat/chat.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRecorder } from './analytics.recorder';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { AnalyticsDay, AnalyticsDaySchema } from './schemas/analytics-day.schema';

/**
 * `GET /api/admin/live-chat/analytics`, answered from daily rollups, which `AnalyticsRecorder` keeps
 * in step with every session write it hears on the chat's `SessionChangeFeed`.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: AnalyticsDay.name, schema: AnalyticsDaySchema }]),
    AgentsModule,
    ChatModule,
  ],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, AnalyticsRecorder, AnalyticsService],
})
export class AnalyticsModule {}
