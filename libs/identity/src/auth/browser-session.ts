/**
 * Browser sessions: the same opaque login token as a bearer token, carried in an HttpOnly,
 * SameSite=Lax cookie. A state-changing request made with the cookie must also carry the CSRF
 * token (header X-CSRF-Token), which is derived from the session token, so a page of another
 * site can neither read it nor guess it; an Origin header, when present, must be this host.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const SESSION_COOKIE = 'kelisim_session';
/** Readable by the page's script (not HttpOnly): the double-submit half of the CSRF check. */
export const CSRF_COOKIE = 'kelisim_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type Credential = { token: string; via: 'bearer' | 'cookie' };

/** The CSRF token of a session: bound to it, useless without it, and never stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`kelisim-csrf\0${sessionToken}`, 'utf8').digest('base64url');
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The bearer header wins; without one, the session cookie. */
export function credentialOf(req: Pick<Request, 'headers'>): Credential | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? { token: m[1], via: 'bearer' } : null;
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** The Origin of a request names this host (or is absent, as for same-origin GETs of old browsers). */
export function sameOrigin(req: Pick<Request, 'headers'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Why a cookie-authenticated request may not change state, or null when it may: unsafe methods
 * need the session's CSRF token in X-CSRF-Token (or, with `originSuffices`, a same-host Origin —
 * for pages such as the queue dashboard that cannot send the header) and never a foreign Origin.
 */
export function csrfRefusal(
  req: Pick<Request, 'headers' | 'method'>,
  sessionToken: string,
  options: { originSuffices?: boolean } = {},
): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  if (!sameOrigin(req)) return 'The request comes from another site';
  if (options.originSuffices && req.headers.origin !== undefined) return null;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sent) return `Missing ${CSRF_HEADER} header`;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : `Wrong ${CSRF_HEADER} header`;
}
