import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../../config/env.validation';
import { SharedGauge } from './shared-gauge';

const PER_IP = 'ws-ip:';

/** Open WebSockets per client IP across the fleet, capped at `WS_MAX_CONNECTIONS_PER_IP`. */
@Injectable()
export class ConnectionLimiter {
  private readonly max: number;

  constructor(
    private readonly gauge: SharedGauge,
    config: ConfigService<Env, true>,
  ) {
    this.max = config.get('WS_MAX_CONNECTIONS_PER_IP', { infer: true });
  }

  /** Takes a slot for a new socket from `ip`; false when the IP already has the maximum open. */
  async tryAcquire(ip: string): Promise<boolean> {
    return (await this.gauge.increment(`${PER_IP}${ip}`, this.max)) !== null;
  }

  /** Gives the slot back when that socket closes (call once per successful `tryAcquire`). */
  async release(ip: string): Promise<void> {
    await this.gauge.decrement(`${PER_IP}${ip}`);
  }
}
