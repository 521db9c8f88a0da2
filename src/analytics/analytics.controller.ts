import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnalyticsService } from './analytics.service';
import { AnalyticsQueryDto } from './dto/analytics.query.dto';
import { AnalyticsResponse } from './dto/analytics.response';
import { Access } from '../common/access/access.decorator';

@ApiTags('live-chat (admin)')
@Controller('api/admin/live-chat/analytics')
@Access({ roles: [] })
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get()
  @ApiOperation({ summary: 'Chat analytics over whole days of ANALYTICS_TIMEZONE (default: the last 30 days, today included)' })
  @ApiOkResponse({ type: AnalyticsResponse })
  @ApiBadRequestResponse({ description: 'An invalid date, startDate after endDate, or more than 366 days' })
  async get(@Query() query: AnalyticsQueryDto): Promise<AnalyticsResponse> {
    return { success: true, data: await this.analytics.getAnalytics(query) };
  }
}
