/**
 * The writes of one transition as one SQL statement of data-modifying CTEs (one round trip instead
 * of one per row). Each library adds the parts for its own tables (memoranda, history, outbox);
 * `run` reports how many rows each part wrote, so a part that must write exactly one row (a
 * version-checked UPDATE, the history head) is checked by its owner after the statement. Every
 * part sees the snapshot the statement started with, so no two parts may touch the same row.
 * Values always travel as parameters; names of tables and columns come from code, never from input.
 */
import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';

const columnNames = new Map<string, string>();

/** camelCase property → snake_case column, as SnakeNamingStrategy names them (remembered: the set of names is the entities'). */
export function columnName(property: string): string {
  let name = columnNames.get(property);
  if (name === undefined) {
    name = property
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
      .toLowerCase();
    if (columnNames.size < 10_000) columnNames.set(property, name);
  }
  return name;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const quoted = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`WriteStatement: ${name} is not a plain identifier`);
  return `"${name}"`;
};

export class WriteStatement {
  private readonly values: unknown[] = [];
  private readonly parts: Array<{ name: string; sql: string }> = [];

  /** A placeholder for `value`, sent as a parameter. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A part: an INSERT/UPDATE/DELETE … RETURNING (any column; only rows are counted). */
  add(name: string, sql: string): void {
    if (this.parts.some((p) => p.name === name)) throw new Error(`WriteStatement: two parts named ${name}`);
    this.parts.push({ name: quoted(name), sql });
  }

  /**
   * Inserts rows given by property name; every value goes through jsonb_populate_recordset, so it
   * takes its column's type (timestamptz from an ISO string, jsonb from a nested object, bytea from
   * a Buffer, …).
   */
  insert(name: string, table: string, rows: Array<Record<string, unknown>>): void {
    if (!rows.length) return;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].map((k) => quoted(columnName(k))).join(', ');
    const json = JSON.stringify(
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [columnName(k), jsonValue(v)]))),
    );
    this.add(
      name,
      `INSERT INTO ${quoted(table)} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${quoted(table)}, ${this.param(json)}::jsonb) RETURNING 1`,
    );
  }

  /**
   * `SET (columns) = (the same columns of a record built from values)`: the values take their
   * columns' types as in `insert`. `extra` is more SQL for the SET list (e.g. `version = version + $n`).
   */
  setList(table: string, values: Record<string, unknown>, extra?: string): string {
    const keys = Object.keys(values);
    const columns = keys.map((k) => quoted(columnName(k))).join(', ');
    const json = JSON.stringify(Object.fromEntries(keys.map((k) => [columnName(k), values[k]])));
    const list = keys.length
      ? `(${columns}) = (SELECT ${columns} FROM jsonb_populate_record(NULL::${quoted(table)}, ${this.param(json)}::jsonb))`
      : '';
    return [list, extra].filter(Boolean).join(', ');
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /**
   * Runs every part in one statement; rows written by each part, by name. `prepared`: as a named prepared statement
   * (`preparedQuery`), for the hot paths whose shapes are few.
   */
  async run(manager: EntityManager, o: { prepared?: boolean } = {}): Promise<Record<string, number>> {
    if (!this.parts.length) return {};
    const sql =
      `WITH ${this.parts.map((p) => `${p.name} AS (${p.sql})`).join(', ')} SELECT ` +
      this.parts.map((p) => `(SELECT count(*) FROM ${p.name})::int AS ${p.name}`).join(', ');
    const [row] = (
      o.prepared ? await preparedQuery(manager, sql, this.values) : await manager.query(sql, this.values)
    ) as Array<Record<string, number>>;
    return row;
  }
}

/** A Buffer as bytea's hex input (`\\x…`); JSON would otherwise make it `{"type":"Buffer",…}`. */
function jsonValue(v: unknown): unknown {
  return Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v;
}
