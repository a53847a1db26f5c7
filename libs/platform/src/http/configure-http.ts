import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { bodyParserErrors, ErrorFilter } from './error.filter';
import { inputSafety } from './input-safety';
import { createValidationPipe } from './validation';

/** Everything an HTTP app of Kelisim needs besides its modules; the CLI and the e2e tests share it. */
export function configureHttpApp(app: INestApplication, options: { bodyLimit: string }): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  // req.ip (signatures' evidence, login limits) is the client's behind a proxy only when told which proxies to trust.
  express.set('trust proxy', trustProxy(app.get(ConfigService).get<string>('TRUST_PROXY') ?? 'false'));
  // Body parsing with our own error answer: Nest would turn a JSON syntax error into a bare 400.
  express.use(json({ limit: options.bodyLimit, strict: true }));
  express.use(urlencoded({ limit: options.bodyLimit, extended: false }));
  express.use(bodyParserErrors);
  express.use(inputSafety);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kelisim API')
      .setDescription(
        'Multiparty memoranda: drafting, approval of a frozen revision, signing, follow-up and reminders.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
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
