/**
 * Which memoranda a dashboard reader sees, as one SQL predicate over a memorandum id column
 * (`m.id` unless told, e.g. `o.memorandum_id` to filter occurrences without joining memoranda):
 * admins and unscoped supervisors everything; scoped supervisors their organisations' and
 * memoranda; everyone else the memoranda their organisation coordinates or is party to. "Involving
 * an organisation" is one indexed relation, `memorandum_organisations` (coordinator and parties,
 * kept by triggers: migration 1795005000000), so the predicate is a semi-join on an index, not an
 * OR across two tables. Parameters are positional and appended to `params`, so the predicate
 * composes with the query's own filters.
 */
import { Actor, hasRole, Role } from '@kelisim/identity';

export class Sql {
  readonly params: unknown[] = [];
  /** `$n` for a new parameter. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** Memoranda involving any of the organisations (coordinator or party), plus the memoranda listed. */
const involving = (sql: Sql, column: string, orgs: string[], memoranda: string[] = []) => {
  const byOrganisation = `SELECT mo.memorandum_id FROM memorandum_organisations mo WHERE mo.organisation_id = ANY(${sql.p(orgs)}::uuid[])`;
  const listed = memoranda.length ? ` UNION ALL SELECT unnest(${sql.p(memoranda)}::uuid[])` : '';
  return `${column} IN (${byOrganisation}${listed})`;
};

/** Does the actor see every memorandum (admins, supervisors without a scope)? */
export function seesEverything(actor: Actor): boolean {
  return hasRole(actor, Role.Admin) || (hasRole(actor, Role.Supervisor) && !actor.supervision);
}

export function visibleMemoranda(sql: Sql, actor: Actor, column = 'm.id'): string {
  if (seesEverything(actor)) return 'TRUE';
  const scope = actor.supervision;
  if (hasRole(actor, Role.Supervisor) && scope) {
    return involving(sql, column, [actor.organisationId, ...scope.organisationIds], scope.memorandumIds);
  }
  return involving(sql, column, [actor.organisationId]);
}

/** May the actor see an organisation's scorecard: their own, or one in a supervisor's scope (any, unscoped). */
export function maySeeOrganisation(actor: Actor, organisationId: string): boolean {
  if (hasRole(actor, Role.Admin) || actor.organisationId === organisationId) return true;
  if (!hasRole(actor, Role.Supervisor)) return false;
  return !actor.supervision || actor.supervision.organisationIds.includes(organisationId);
}

export function organisationFilter(sql: Sql, organisationId: string | undefined, column = 'm.id'): string {
  return organisationId ? involving(sql, column, [organisationId]) : 'TRUE';
}
