import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { bodyParserErrors, ErrorFilter } from './error.filter';
import { assignRequestId } from './request-id';
import { RequestShapeInterceptor } from './request-shape.interceptor';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { inputSafety } from './input-safety';
import { securityHeaders } from './security-headers';
import { verifyUtf8 } from './strict-utf8';
import { createValidationPipe } from './validation';

/** Everything an HTTP app of Kelisim needs besides its modules; the CLI and the e2e tests share it. */
export function configureHttpApp(app: INestApplication, options: { bodyLimit: string }): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  express.use(assignRequestId);
  express.use(securityHeaders);
  const config = app.get(ConfigService, { strict: false });
  const origins = corsOrigins(config?.get<string>('CORS_ORIGINS'));
  // Off unless configured: browsers of other origins get no CORS headers at all.
  if (origins.length) {
    express.enableCors({
      origin: origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      maxAge: 600,
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
    });
  }
  // req.ip (signatures' evidence, login limits) is the client's behind a proxy only when told which proxies to trust.
  express.set('trust proxy', trustProxy(config?.get<string>('TRUST_PROXY') ?? 'false'));
  // JSON only, with our own error answer (Nest would turn a JSON syntax error into a bare 400);
  // other media types are refused with 415 by RequestShapeInterceptor. Bytes that are not UTF-8: 400, not U+FFFD.
  express.use(json({ limit: options.bodyLimit, strict: true, verify: verifyUtf8 }));
  express.use(bodyParserErrors);
  express.use(inputSafety);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RequestShapeInterceptor());
  app.useGlobalFilters(new ErrorFilter());

  // Built on the first request to /docs or /docs/json, then kept: no start-up waits for it.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/json' });
}

/** `CORS_ORIGINS`: a comma-separated allow-list of origins (scheme://host[:port]). */
export function corsOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** TRUST_PROXY as Express takes it: a boolean, a number of hops, or a list of addresses and subnets. */
export function trustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
