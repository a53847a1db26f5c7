/**
 * The one visibility rule for memoranda: which memoranda an actor may read. `reachOf` states it
 * once; `canSee` applies it to one memorandum in memory, `visibleMemorandaSql` to a memorandum id
 * column in SQL. Every read of a memorandum's data (the memorandum, its revisions, history,
 * commitments, reports, files, exports, dashboards, scorecards, reminder policies) goes through
 * one of the two, and what is not visible answers 404 like an id that does not exist.
 *
 * Admins, and supervisors with a `global` scope, reach every memorandum. Everyone else reaches
 * the memoranda their organisation coordinates or is party to; a supervisor also those of the
 * organisations and memoranda of their scopes. A supervisor without any scope reaches nothing more
 * than their organisation's: supervision is granted explicitly, never by its absence.
 */
import { hasRole, Role, Supervision } from '@kelisim/identity';

/** Who reads: the fields of the actor (libs/identity `Actor`) the rule looks at. */
export interface Reader {
  organisationId: string;
  roles: readonly string[];
  supervision?: Supervision;
}

export type Reach =
  | { all: true }
  | {
      all: false;
      /** Memoranda involving any of these organisations (as coordinator or party). */
      organisationIds: string[];
      /** And these memoranda. */
      memorandumIds: string[];
    };

export function reachOf(actor: Reader): Reach {
  if (hasRole(actor, Role.Admin)) return { all: true };
  const scope = hasRole(actor, Role.Supervisor) ? actor.supervision : undefined;
  if (scope?.global) return { all: true };
  return {
    all: false,
    organisationIds: [actor.organisationId, ...(scope?.organisationIds ?? [])],
    memorandumIds: scope?.memorandumIds ?? [],
  };
}

/** What `canSee` needs of a memorandum. */
export interface VisibilityView {
  /** The memorandum's id, for supervisors scoped to single memoranda. */
  id?: string;
  coordinatingOrganisationId: string;
  parties: Array<{ organisationId: string }>;
}

export function canSee(actor: Reader, m: VisibilityView): boolean {
  const reach = reachOf(actor);
  if (reach.all) return true;
  if (m.id && reach.memorandumIds.includes(m.id)) return true;
  return [m.coordinatingOrganisationId, ...m.parties.map((p) => p.organisationId)].some((o) =>
    reach.organisationIds.includes(o),
  );
}

/** Adds a value to the statement's parameters and answers its placeholder (`$n`). */
export type Param = (value: unknown) => string;

/**
 * `canSee` as an SQL predicate over a memorandum id column (`m.id`, or e.g. `o.memorandum_id` to
 * filter another table without joining memoranda): a semi-join on `memorandum_organisations`
 * (coordinator and parties, kept by triggers: migration 1795005000000), or TRUE for those who
 * reach everything.
 */
export function visibleMemorandaSql(param: Param, actor: Reader, column = 'm.id'): string {
  const reach = reachOf(actor);
  if (reach.all) return 'TRUE';
  return involvingSql(param, column, reach.organisationIds, reach.memorandumIds);
}

/** Memoranda involving any of the organisations (coordinator or party), plus the memoranda listed. */
export function involvingSql(param: Param, column: string, organisationIds: string[], memorandumIds: string[] = []) {
  const byOrganisation = `SELECT mo.memorandum_id FROM memorandum_organisations mo WHERE mo.organisation_id = ANY(${param(organisationIds)}::uuid[])`;
  const listed = memorandumIds.length ? ` UNION ALL SELECT unnest(${param(memorandumIds)}::uuid[])` : '';
  return `${column} IN (${byOrganisation}${listed})`;
}

/**
 * May the actor read an organisation's figures (its scorecard, its calendar feed): their own
 * organisation; for a supervisor also one their scopes name, or any party or coordinator of a
 * memorandum they see (the parties a supervisor oversees, as their overview lists them). Other
 * users read their own organisation's figures only, not their partners'. An SQL boolean over the
 * organisation's placeholder; the figures themselves are then restricted to the visible memoranda.
 */
export function organisationVisibleSql(param: Param, actor: Reader, organisation: string): string {
  const reach = reachOf(actor);
  if (reach.all) return 'TRUE';
  if (!hasRole(actor, Role.Supervisor)) return `${organisation} = ${param(actor.organisationId)}::uuid`;
  return `(${organisation} = ANY(${param(reach.organisationIds)}::uuid[])
    OR EXISTS (SELECT 1 FROM memorandum_organisations v WHERE v.organisation_id = ${organisation}
                 AND ${involvingSql(param, 'v.memorandum_id', reach.organisationIds, reach.memorandumIds)}))`;
}
