/**
 * One check of every request's JSON body and query string before anything else reads them:
 * strings must be well-formed Unicode without NUL, arrays and nesting are bounded. A lone surrogate would
 * be hashed as itself but stored by PostgreSQL as U+FFFD (a history chain that never verifies
 * again), NUL is refused by PostgreSQL's text types, deep nesting overflows the stack of the
 * recursive validators downstream, and a list of 20,000 items kept them busy for seconds.
 */
import type { NextFunction, Request, Response } from 'express';
import { ApiError, ErrorBody, FieldError } from './api-error';

/** Deeper than any body the API takes (the deepest is three levels). */
export const MAX_INPUT_DEPTH = 16;
/** Longer than any list the API takes (the longest is 50); validating 20,000 items blocked for seconds. */
export const MAX_ARRAY_ITEMS = 1000;
const MAX_ERRORS = 20;
/** With the u flag a pair is one code point, so only an unpaired half matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The problems of a parsed value, each naming its path (`parties[0].role`); at most a few. */
export function unsafeInput(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (path: string, key: string | number) =>
    typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  const checkString = (s: string, path: string) => {
    if (s.includes('\u0000')) errors.push({ field: path || 'body', message: 'must not contain NUL characters' });
    else if (LONE_SURROGATE.test(s))
      errors.push({ field: path || 'body', message: 'must be well-formed Unicode text (it has a lone surrogate)' });
  };
  // Recursion is bounded by MAX_INPUT_DEPTH, so this walk cannot overflow the stack itself.
  const walk = (v: unknown, path: string, depth: number): void => {
    if (errors.length >= MAX_ERRORS) return;
    if (typeof v === 'string') return checkString(v, path);
    if (v === null || typeof v !== 'object') return;
    if (depth >= MAX_INPUT_DEPTH) {
      // The top-level field: a path sixteen levels long would name nothing a client can act on.
      errors.push({
        field: path.split(/[.[]/)[0] || 'body',
        message: `is nested deeper than ${MAX_INPUT_DEPTH} levels`,
      });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY_ITEMS) {
        errors.push({ field: path || 'body', message: `has more than ${MAX_ARRAY_ITEMS} items` });
        return;
      }
      v.forEach((item, i) => walk(item, at(path, i), depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(v)) {
      checkString(key, at(path, key));
      walk(item, at(path, key), depth + 1);
    }
  };
  walk(value, root, 0);
  return errors;
}

/** Express middleware right after the body parsers: 400 naming the field, before validation or any handler. */
export function inputSafety(req: Request, res: Response, next: NextFunction): void {
  const errors = [...unsafeInput(req.body), ...unsafeInput(req.query)];
  if (!errors.length) return next();
  const error = ApiError.validation(errors);
  const body: ErrorBody = { statusCode: 400, code: error.code, message: error.message, errors };
  const id = (req as Request & { id?: unknown }).id ?? req.headers['x-request-id'];
  if (typeof id === 'string') body.requestId = id;
  res.status(400).json(body);
}
