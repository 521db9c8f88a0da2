import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorFunction, HealthIndicatorService, MongooseHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { RedisConnection } from '../common/redis/redis-connection';
import { Public } from '../common/access/access.decorator';
import { DatabaseServer } from '../database/database-server';

const REDIS_PING_TIMEOUT_MS = 1500;

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisConnection,
    private readonly database: DatabaseServer,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: 'The service and its database answer', schema: { example: { status: 'ok', info: { database: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer', schema: { example: { success: false, message: 'Service unavailable' } } })
  async check() {
    try {
      const checks: HealthIndicatorFunction[] = [() => this.pingDatabase()];
      if (this.redis.client) checks.push(() => this.pingRedis());
      const result = await this.health.check(checks);
      return { status: result.status, info: result.info, uptime: Math.round(process.uptime()) };
    } catch {
      throw new ServiceUnavailableException('Service unavailable');
    }
  }

  /** An embedded database being restarted is down at once, without waiting for the ping to time out. */
  private pingDatabase() {
    if (!this.database.available) return this.indicators.check('database').down();
    return this.mongoose.pingCheck('database', { timeout: 1500 });
  }

  /** With REDIS_URL set, an instance that cannot reach Redis is not healthy: its writes fail. */
  private async pingRedis() {
    const indicator = this.indicators.check('redis');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), REDIS_PING_TIMEOUT_MS).unref());
    try {
      await Promise.race([this.redis.client!.ping(), timeout]);
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }
}
