import { ValidationPipe } from '@nestjs/common';
import { MessageBody } from '@nestjs/websockets';
import { validationExceptionFactory } from '../common/errors/validation-exception.factory';

/**
 * The frame's payload (every field but `type`), validated against the parameter's DTO exactly as
 * HTTP bodies are. Bound to the parameter, not the gateway: a gateway-wide pipe would also try to
 * validate the socket argument.
 */
export const WsPayload = () =>
  MessageBody(new ValidationPipe({ whitelist: true, transform: true, forbidUnknownValues: true, exceptionFactory: validationExceptionFactory }));
