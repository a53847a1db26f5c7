/**
 * The web interface (apps/web, built by Vite into dist/web) served from the API's own origin under
 * /app: hashed assets cached for a year, every other path under /app answered with index.html (the
 * single-page app routes it), and / leading there. The API's paths are untouched.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

export const WEB_ROUTE = '/app';

/** dist/web of the checkout this file runs from (source under ts-jest, or dist/ after the build). */
export function webRoot(from = __dirname): string | null {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const root = join(dir, 'dist', 'web');
      return existsSync(join(root, 'index.html')) ? root : null;
    }
  }
  return null;
}

/**
 * NCALayer, the NCA RK signer on the user's own computer: the signing panel asks it for a CMS over
 * its WebSocket (docs/signatures.md). Nothing else outside the origin is reachable from the page.
 */
export const NCALAYER_ORIGIN = 'wss://127.0.0.1:13579';

function securityHeaders(res: Response): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; " +
      `connect-src 'self' ${NCALAYER_ORIGIN}; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** The encodings built beside each asset (scripts/web-precompress.mjs), best first. */
const PRECOMPRESSED = { br: '.br', gzip: '.gz' } as const;

/**
 * A built asset answered from its precompressed copy when the browser accepts one (Content-Encoding,
 * Vary: Accept-Encoding); false when there is none, and express.static answers the plain file.
 */
function sendPrecompressed(root: string, path: string, req: Request, res: Response, known: Map<string, boolean>) {
  if (!path.startsWith('/assets/') || path.includes('..')) return false;
  const encoding = req.acceptsEncodings(...(Object.keys(PRECOMPRESSED) as Array<keyof typeof PRECOMPRESSED>));
  if (encoding !== 'br' && encoding !== 'gzip') return false;
  const file = join(root, path + PRECOMPRESSED[encoding]);
  if (!known.has(file)) known.set(file, existsSync(file));
  if (!known.get(file)) return false;
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Encoding', encoding);
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.type(extname(path));
  res.sendFile(file);
  return true;
}

export function serveWebApp(root: string | null) {
  const known = new Map<string, boolean>();
  const assets =
    root &&
    express.static(root, {
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        // Vite names built assets by their content hash: they never change under one name.
        const hashed = /[\\/]assets[\\/]/.test(path);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = new URL(req.originalUrl, 'http://web.invalid');
    if (url.pathname !== WEB_ROUTE && !url.pathname.startsWith(`${WEB_ROUTE}/`)) return next();
    if (url.pathname === WEB_ROUTE) return res.redirect(301, `${WEB_ROUTE}/${url.search}`);
    securityHeaders(res);
    const requestId = (req as Request & { id?: string }).id;
    if (!root || !assets) {
      const message = 'The web interface is not built: run `npm run web:build` (`npm start` does)';
      res.status(503).json({ statusCode: 503, code: 'web_not_built', message, requestId });
      return;
    }
    req.url = url.pathname.slice(WEB_ROUTE.length) + url.search;
    if (sendPrecompressed(root, url.pathname.slice(WEB_ROUTE.length), req, res, known)) return;
    assets(req, res, () => {
      if (url.pathname.startsWith(`${WEB_ROUTE}/assets/`)) {
        res.status(404).json({ statusCode: 404, code: 'not_found', message: 'No such asset', requestId });
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(root, 'index.html'));
    });
  };
}

@Module({})
export class WebAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(serveWebApp(webRoot()))
      .forRoutes(
        { path: WEB_ROUTE, method: RequestMethod.GET },
        { path: `${WEB_ROUTE}/{*path}`, method: RequestMethod.GET },
      );
    consumer
      .apply((_req: Request, res: Response) => res.redirect(302, `${WEB_ROUTE}/`))
      .forRoutes({ path: '/', method: RequestMethod.GET });
  }
}
