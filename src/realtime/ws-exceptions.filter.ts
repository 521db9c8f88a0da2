import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import WebSocket from 'ws';
import { toErrorResponse } from '../common/filters/all-exceptions.filter';
import { encodeFrame } from './realtime.events';

/** Anything a gateway handler throws becomes `{type: 'error', message}` on that socket, which stays open. */
@Catch()
export class WsExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('RealtimeGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorResponse(exception);
    if (status >= 500) this.logger.error({ err: exception }, 'WebSocket handler failed');
    const socket = host.switchToWs().getClient<WebSocket>();
    if (socket.readyState === WebSocket.OPEN) socket.send(encodeFrame({ type: 'error', message: body.message }), { binary: false });
  }
}
