import { ApiProperty } from '@nestjs/swagger';

export class AnalyticsPeriodView {
  @ApiProperty({ description: 'Start of the first day (inclusive)' }) start: Date;
  @ApiProperty({ description: 'Start of the day after the last one (exclusive)' }) end: Date;
}

export class AnalyticsOverviewView {
  @ApiProperty({ description: 'Sessions started in the period' }) totalSessions: number;
  @ApiProperty({ description: 'Messages per session (system messages included), 2 decimals; 0 without sessions' }) avgMessages: number;
  @ApiProperty({ description: 'Of those, sessions now closed or archived' }) closedSessions: number;
  @ApiProperty({ description: 'Mean score of the rated ones, 2 decimals; 0 when none was rated' }) avgRating: number;
}

export class AnalyticsResponseTimeView {
  @ApiProperty({ description: 'Mean ms from start to the first agent reply, whole ms; 0 when none was answered' }) avgResponseTime: number;
  @ApiProperty({ description: 'ms; 0 when none was answered' }) minResponseTime: number;
  @ApiProperty({ description: 'ms; 0 when none was answered' }) maxResponseTime: number;
}

export class SessionsByDayView {
  @ApiProperty({ description: 'YYYY-MM-DD in ANALYTICS_TIMEZONE', example: '2024-11-01' }) _id: string;
  @ApiProperty({ description: 'Sessions started that day (every day of the period is listed, 0 included)' }) count: number;
}

export class TopAgentView {
  @ApiProperty({ description: 'Agent id' }) _id: string;
  @ApiProperty({ description: 'Sessions of the period assigned to the agent now' }) sessionsHandled: number;
  @ApiProperty({ description: 'Mean score of those that were rated, 2 decimals; 0 when none' }) avgRating: number;
  @ApiProperty({ type: String, nullable: true, description: '"First Last", null for an agent no longer on file' }) name: string | null;
}

export class AnalyticsView {
  @ApiProperty({ type: AnalyticsPeriodView }) period: AnalyticsPeriodView;
  @ApiProperty({ type: AnalyticsOverviewView }) overview: AnalyticsOverviewView;
  @ApiProperty({ type: AnalyticsResponseTimeView }) responseTime: AnalyticsResponseTimeView;
  @ApiProperty({ type: [SessionsByDayView] }) sessionsByDay: SessionsByDayView[];
  @ApiProperty({ type: [TopAgentView], description: 'Top 10 by sessionsHandled (then avgRating, then id)' }) topAgents: TopAgentView[];
}

export class AnalyticsResponse {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AnalyticsView }) data: AnalyticsView;
}
