// The transitions benchmark's second reference server (bench/transitions.bench.ts): the smallest
// NestJS app that does the same as bare-transition-server.js — Nest on Express (the same versions
// as Kelisim), one controller, the global ValidationPipe checking a one-field body with
// class-validator, and pgbench's transaction (pgbench-transaction.js) for every POST; GET /health
// answers {"status":"ok"}. No middleware, guard, interceptor, logging or authentication: what the
// framework costs over node:http for the same SQL. argv: database URL, port. Says `ready` on
// stdout once listening. Plain JavaScript (decorators applied as functions), like its sibling.
require('reflect-metadata');
const { Body, Controller, Get, HttpCode, Module, Post, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { IsIn } = require('class-validator');
const { pgbenchTransaction } = require('./pgbench-transaction');

const [url, port] = process.argv.slice(2);
const transaction = pgbenchTransaction(url);

class DecisionDto {}
IsIn(['approve', 'request_changes'])(DecisionDto.prototype, 'decision');

class TransitionController {
  health() {
    return { status: 'ok' };
  }
  async transition() {
    await transaction.run();
    return { status: 'ok' };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(TransitionController.prototype, name);
Get('health')(TransitionController.prototype, 'health', method('health'));
Post()(TransitionController.prototype, 'transition', method('transition'));
HttpCode(201)(TransitionController.prototype, 'transition', method('transition'));
Body()(TransitionController.prototype, 'transition', 0);
Reflect.defineMetadata('design:paramtypes', [DecisionDto], TransitionController.prototype, 'transition');
Controller()(TransitionController);

class ReferenceModule {}
Module({ controllers: [TransitionController] })(ReferenceModule);

(async () => {
  const app = await NestFactory.create(ReferenceModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.getHttpServer().keepAliveTimeout = 60_000;
  await app.listen(Number(port), '127.0.0.1');
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => app.close().then(() => transaction.end().then(() => process.exit(0))));
})();
