/**
 * Memoranda read with plain SQL where the request path repeats the read (docs/performance.md,
 * "Transitions and reads"): the row and its parties in one statement, hydrated as TypeORM would.
 */
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '@kelisim/platform';
import { Memorandum, MemorandumParty } from './entities';

const camelNames = new Map<string, string>();
/** snake_case column → camelCase property (remembered: the names are the tables' columns). */
function camel(k: string): string {
  let name = camelNames.get(k);
  if (name === undefined) {
    name = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size < 10_000) camelNames.set(k, name);
  }
  return name;
}

/** A row of to_jsonb(table) as the entity TypeORM would hydrate: camelCase keys, timestamps as Dates. */
export function entityOf<T>(json: Record<string, unknown>, timestamps: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    const key = camel(k);
    out[key] = timestamps.includes(key) && typeof v === 'string' ? new Date(v) : v;
  }
  return out as T;
}

export const MEMORANDUM_TIMESTAMPS = ['createdAt', 'updatedAt'] as const;
export const PARTY_TIMESTAMPS = ['createdAt'] as const;

/** Parties in their order, each with its organisation's short name. */
export const PARTIES_JSON = `(SELECT coalesce(jsonb_agg(to_jsonb(p) || jsonb_build_object('organisation_short_name', o.short_name)
                 ORDER BY p."order", p.organisation_id), '[]')
          FROM memorandum_parties p JOIN organisations o ON o.id = p.organisation_id WHERE p.memorandum_id = m.id)`;

const READ_SQL = `
SELECT to_jsonb(m) AS m, ${PARTIES_JSON} AS parties,
       (SELECT r.hash FROM memorandum_revisions r
         WHERE r.memorandum_id = m.id AND r.number = m.current_revision_number) AS current_hash
  FROM memoranda m WHERE m.id = $1`;

export interface MemorandumRead {
  m: Memorandum;
  parties: MemorandumParty[];
  /** Short names of the party organisations, by id. */
  names: Record<string, string>;
  /** The hash of the current revision (null while it is a working revision). */
  currentHash: string | null;
}

export function partiesOf(rows: Array<Record<string, unknown>>): {
  parties: MemorandumParty[];
  names: Record<string, string>;
} {
  const names: Record<string, string> = {};
  const parties = rows.map(({ organisation_short_name: name, ...p }) => {
    names[p.organisation_id as string] = name as string;
    return entityOf<MemorandumParty>(p, PARTY_TIMESTAMPS);
  });
  return { parties, names };
}

/** The memorandum, its parties (with their organisations' names) and current revision hash; null if none. */
export async function readMemorandum(db: DataSource | EntityManager, id: string): Promise<MemorandumRead | null> {
  const [row] = (await preparedQuery(db, READ_SQL, [id])) as Array<{
    m: Record<string, unknown>;
    parties: Array<Record<string, unknown>>;
    current_hash: string | null;
  }>;
  if (!row) return null;
  return {
    m: entityOf<Memorandum>(row.m, MEMORANDUM_TIMESTAMPS),
    ...partiesOf(row.parties),
    currentHash: row.current_hash,
  };
}
