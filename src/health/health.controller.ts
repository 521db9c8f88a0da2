import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The service and its database answer', schema: { example: { status: 'ok', info: { database: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer', schema: { example: { success: false, message: 'Service unavailable' } } })
  async check() {
    try {
      const result = await this.health.check([() => this.mongoose.pingCheck('database', { timeout: 1500 })]);
      return { status: result.status, info: result.info, uptime: Math.round(process.uptime()) };
    } catch {
      throw new ServiceUnavailableException('Service unavailable');
    }
  }
}
