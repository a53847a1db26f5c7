/**
 * Headers on every answer — the API's JSON, errors, /docs, files, the queue dashboard: no MIME
 * sniffing (a JSON answer or an evidence file is never run as a script or page), and no framing by
 * another site (clickjacking of /docs and the dashboard). `frame-ancestors` is the standard,
 * X-Frame-Options the same rule for browsers without CSP level 2. The policy holds nothing else:
 * /docs runs Swagger UI's scripts, and /app sets its own full policy over this one.
 *
 * Three fixed headers in one middleware rather than helmet: helmet's defaults add a script policy
 * that Swagger UI and the dashboard would need exceptions for, and headers Kelisim sets elsewhere.
 */
import type { NextFunction, Request, Response } from 'express';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
}
