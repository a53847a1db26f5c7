/**
 * Named prepared statements for the few statements every request runs (docs/performance.md,
 * "Prepared hot statements"). An unnamed statement is parsed, analysed and planned by PostgreSQL
 * each time it arrives; a named one is parsed once per connection and then only bound and
 * executed, and PostgreSQL may keep its plan. The name is derived from the text, so the same text
 * is the same statement on every connection and two texts never share a name.
 *
 * Only for statements whose text is a constant or comes from a small, bounded set of shapes: each
 * name stays prepared in its connection's backend until the connection closes.
 */
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Past this many distinct texts a process stops naming new ones (they run unnamed): a guard against unbounded shapes. */
const MAX_NAMES = 200;
const names = new Map<string, string>();
/** DATABASE_PREPARED_STATEMENTS=false turns it off (a pooler that cannot keep them); the environment is validated at start. */
const enabled = !/^(false|0|no|off)$/i.test(process.env.DATABASE_PREPARED_STATEMENTS?.trim() ?? '');

function nameOf(text: string): string | null {
  if (!enabled) return null;
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) return null;
    name = `k${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * `manager.query(text, values)` as a named prepared statement: in the manager's transaction when it
 * has one, else on a pooled connection. Errors are TypeORM's `QueryFailedError`, as from `query`.
 */
export async function preparedQuery<T = Record<string, unknown>>(
  target: EntityManager | DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const name = nameOf(text);
  const manager = target instanceof DataSource ? target.manager : target;
  // Not PostgreSQL through TypeORM's driver (a stand-in manager in a unit test): a plain query.
  if (!name || manager.connection?.options?.type !== 'postgres') return manager.query(text, values);
  const runner = manager.queryRunner;
  let client: PgQueryable;
  if (runner && !runner.isReleased) client = (await runner.connect()) as PgQueryable;
  else client = (manager.connection.driver as unknown as { master: PgQueryable }).master;
  try {
    const result = await client.query({ name, text, values });
    return result.rows as T[];
  } catch (e) {
    throw new QueryFailedError(text, values, e as Error);
  }
}
