import { INestApplication } from '@nestjs/common';
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
      .setDescription('Multiparty memoranda: drafting, approval of a frozen revision, signing, follow-up and reminders.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
