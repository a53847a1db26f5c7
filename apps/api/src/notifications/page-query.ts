import { ApiError } from '@kelisim/platform';

/** `page` (from 1) and `pageSize` (1–100, default 20) from a query string. */
export function pageQuery(q: Record<string, string | undefined>): { page: number; pageSize: number } {
  const page = q.page === undefined ? 1 : Number(q.page);
  const pageSize = q.pageSize === undefined ? 20 : Number(q.pageSize);
  const errors = [];
  if (!Number.isInteger(page) || page < 1 || page > 100_000) {
    errors.push({ field: 'page', message: 'must be an integer from 1 to 100000' });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    errors.push({ field: 'pageSize', message: 'must be an integer from 1 to 100' });
  if (errors.length) throw ApiError.validation(errors);
  return { page, pageSize };
}
