/**
 * Which memoranda a dashboard reader sees: the one visibility rule of memoranda
 * (`visibleMemorandaSql`, libs/memoranda/src/memorandum-visibility.ts) as a predicate over a
 * memorandum id column (`m.id` unless told, e.g. `o.memorandum_id` to filter occurrences without
 * joining memoranda). Parameters are positional and appended to `params`, so the predicate
 * composes with the query's own filters.
 */
import { Actor } from '@kelisim/identity';
import { involvingSql, organisationVisibleSql, reachOf, visibleMemorandaSql } from '@kelisim/memoranda';

export class Sql {
  readonly params: unknown[] = [];
  /** `$n` for a new parameter. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  /** `p` as a function, for the predicate builders. */
  readonly param = (value: unknown): string => this.p(value);
}

/** Does the actor see every memorandum (admins, supervisors with a global scope)? Unfiltered reads take faster plans. */
export function seesEverything(actor: Actor): boolean {
  return reachOf(actor).all;
}

export function visibleMemoranda(sql: Sql, actor: Actor, column = 'm.id'): string {
  return visibleMemorandaSql(sql.param, actor, column);
}

/**
 * May the actor read the figures of the organisation whose placeholder is `organisation` (an SQL
 * boolean); the figures themselves then count visible memoranda only.
 */
export function organisationVisible(sql: Sql, actor: Actor, organisation: string): string {
  return organisationVisibleSql(sql.param, actor, organisation);
}

export function organisationFilter(sql: Sql, organisationId: string | undefined, column = 'm.id'): string {
  return organisationId ? involvingSql(sql.param, column, [organisationId]) : 'TRUE';
}
