/**
 * The typed API client: openapi-fetch over the types generated from openapi.json (schema.d.ts,
 * `npm run web:api-types`), so an API change that breaks a page fails `npm run typecheck`.
 * Same origin, the session cookie; state-changing requests carry the CSRF token.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Memorandum = Schemas['Memorandum'];
export type MemorandumStatus = Memorandum['status'];
export type Me = Schemas['Me'];
export type ErrorBody = Schemas['ErrorBody'];

export const CSRF_COOKIE = 'kelisim_csrf';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** A refusal of the API, with its error body (shown in the user's language by ErrorNotice). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
  get code(): string {
    return this.body.code;
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD'].includes(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** The answer's data, or an ApiFailure (network failures become status 0). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiFailure(0, { statusCode: 0, code: 'network_error', message: 'network' });
  }
  const { data, error, response } = result;
  if (!response.ok) {
    const body =
      error && typeof error === 'object' && 'code' in error
        ? (error as ErrorBody)
        : { statusCode: response.status, code: `http_${response.status}`, message: response.statusText };
    throw new ApiFailure(response.status, body);
  }
  return data as NonNullable<T>;
}

export function randomKey(): string {
  return crypto.randomUUID();
}
