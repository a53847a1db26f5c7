/**
 * Which memoranda a dashboard reader sees, as one SQL predicate over `m` (memoranda): admins and
 * unscoped supervisors everything; scoped supervisors their organisations' and memoranda; everyone
 * else the memoranda their organisation coordinates or is party to. Parameters are positional and
 * appended to `params`, so the predicate composes with the query's own filters.
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

const involving = (sql: Sql, orgs: string[]) => {
  const list = sql.p(orgs);
  return `(m.coordinating_organisation_id = ANY(${list}::uuid[])
    OR EXISTS (SELECT 1 FROM memorandum_parties mp WHERE mp.memorandum_id = m.id AND mp.organisation_id = ANY(${list}::uuid[])))`;
};

export function visibleMemoranda(sql: Sql, actor: Actor): string {
  if (hasRole(actor, Role.Admin)) return 'TRUE';
  const scope = actor.supervision;
  if (hasRole(actor, Role.Supervisor)) {
    if (!scope) return 'TRUE';
    return `(${involving(sql, [actor.organisationId, ...scope.organisationIds])} OR m.id = ANY(${sql.p(scope.memorandumIds)}::uuid[]))`;
  }
  return involving(sql, [actor.organisationId]);
}

/** May the actor see an organisation's scorecard: their own, or one in a supervisor's scope (any, unscoped). */
export function maySeeOrganisation(actor: Actor, organisationId: string): boolean {
  if (hasRole(actor, Role.Admin) || actor.organisationId === organisationId) return true;
  if (!hasRole(actor, Role.Supervisor)) return false;
  return !actor.supervision || actor.supervision.organisationIds.includes(organisationId);
}

export function organisationFilter(sql: Sql, organisationId: string | undefined): string {
  return organisationId ? involving(sql, [organisationId]) : 'TRUE';
}
