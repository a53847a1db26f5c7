import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { Environment } from '../config/environment';
import { redactUrl } from './redact-url';
import { requestIdOf } from './request-id';

/**
 * The request log's settings: each request gets an id, taken from X-Request-Id or made up, and
 * echoed back; request headers and bodies stay out, a response's Set-Cookie is redacted, and URLs
 * are logged with their secret-bearing query parameters (a calendar feed's `?token=`) redacted.
 */
export function requestLogOptions(level: string): Options {
  return {
    level,
    // assignRequestId (configure-http.ts) has set it already when the app is an HTTP app.
    genReqId: (req, res) => {
      const id = (req as { id?: string }).id ?? requestIdOf(req);
      if (!res.headersSent) res.setHeader('X-Request-Id', id);
      return id;
    },
    // The session cookie is set in a response header: a log line must not sign anyone in.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'res.headers["set-cookie"]'],
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
    },
  };
}

/** Structured JSON logs (pino), requests logged by `requestLogOptions`. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        pinoHttp: requestLogOptions(config.get('LOG_LEVEL', { infer: true })),
      }),
    }),
  ],
})
export class LoggingModule {}
