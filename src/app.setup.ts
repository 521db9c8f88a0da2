import { Logger, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { rejectDeepJson } from './common/http/json-depth';
import { RequestLogger } from './common/logging/logging.module';
import { documentErrorEnvelope } from './common/http/openapi-errors';
import { API_DOCS_PATH, securityHeaders } from './common/http/security-headers';
import { validationExceptionFactory } from './common/errors/validation-exception.factory';
import { DEVELOPMENT_JWT_SECRET, Env } from './config/env.validation';
import { LiveChatWsAdapter } from './realtime/live-chat-ws.adapter';

/** How often Node checks HTTP_HEADERS_TIMEOUT_MS and HTTP_REQUEST_TIMEOUT_MS (its default, 30 s, let a slow client stay that much longer). */
const HTTP_TIMEOUT_CHECK_INTERVAL_MS = 1000;

export function corsOrigins(value: string): true | string[] {
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  return origins.includes('*') ? true : origins;
}

/** Everything main.ts and the tests both need: the same app, configured once. */
export function setupApp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();

  if (config.get('JWT_SECRET', { infer: true }) === DEVELOPMENT_JWT_SECRET) {
    new Logger('Config').warn('JWT_SECRET is the development default: anyone can mint admin tokens. Set JWT_SECRET before exposing this service.');
  }

  // Slow clients (slowloris) are answered 408 and closed; set before listen, when Node reads them.
  const server = app.getHttpServer();
  server.headersTimeout = config.get('HTTP_HEADERS_TIMEOUT_MS', { infer: true });
  server.requestTimeout = config.get('HTTP_REQUEST_TIMEOUT_MS', { infer: true });
  Object.assign(server, { connectionsCheckingInterval: HTTP_TIMEOUT_CHECK_INTERVAL_MS }); // not in @types/node

  app.use(app.get(RequestLogger).middleware);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.get('TRUST_PROXY', { infer: true }));
  app.use(securityHeaders());
  app.enableCors({
    origin: corsOrigins(config.get('CORS_ORIGINS', { infer: true })),
    credentials: false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });
  const limit = config.get('JSON_BODY_LIMIT', { infer: true });
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.use(rejectDeepJson(config.get('JSON_MAX_DEPTH', { infer: true })));

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useWebSocketAdapter(new LiveChatWsAdapter(app, corsOrigins(config.get('CORS_ORIGINS', { infer: true }))));
  app.enableShutdownHooks();

  const document = documentErrorEnvelope(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Live Chat API')
      .setDescription('Guest chat sessions, the agent dashboard API and analytics. WebSocket: /ws/live-chat.')
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  ));
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
