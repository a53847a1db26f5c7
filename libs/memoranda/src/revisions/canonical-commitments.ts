/**
 * Commitments written while a memorandum is a draft are part of what the parties approve: their
 * terms (never their status) go into the revision's canonical serialisation. A revision without
 * commitments serialises exactly as before they existed, so earlier hashes stay valid.
 */
import { EntityManager } from 'typeorm';
import type { Actor } from '@kelisim/identity';

export interface RevisionCommitment {
  /**
   * The commitment's stable key (its id), carried from revision to revision so that an amendment says which
   * commitment continues. Hashed when present; revisions frozen before keys existed have none and hash as before.
   */
  key?: string;
  title: string;
  description: string | null;
  clauseRef: string | null;
  leadOrganisationId: string;
  organisationIds: string[];
  target: { quantity: number; unit: string } | null;
  dueDate: string | null;
  rrule: string | null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The hashed form: ids lower-case, other parties sorted, commitments in a stable order; undefined if none. */
export function canonicalCommitments(list: RevisionCommitment[] | undefined): RevisionCommitment[] | undefined {
  if (!list?.length) return undefined;
  const rows = list.map((c) => ({
    ...(c.key ? { key: c.key.toLowerCase() } : {}),
    title: c.title,
    description: c.description ?? null,
    clauseRef: c.clauseRef ?? null,
    leadOrganisationId: c.leadOrganisationId.toLowerCase(),
    organisationIds: [...new Set(c.organisationIds.map((o) => o.toLowerCase()))].sort(byText),
    target: c.target ? { quantity: c.target.quantity, unit: c.target.unit } : null,
    dueDate: c.dueDate ?? null,
    rrule: c.rrule ?? null,
  }));
  const key = (c: RevisionCommitment) =>
    JSON.stringify([c.clauseRef ?? '', c.title.normalize('NFC'), c.dueDate, c.rrule]);
  return rows.sort((a, b) => byText(key(a), key(b)) || byText(JSON.stringify(a), JSON.stringify(b)));
}

/**
 * The seam to libs/commitments, which owns the commitment rows: at submission the lifecycle asks
 * for the draft's commitments (in its transaction) to freeze them into the revision and its hash.
 * Bound by CommitmentsModule; without it a revision has no commitments.
 */
export abstract class RevisionCommitments {
  abstract freeze(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    partyOrganisationIds: string[],
  ): Promise<RevisionCommitment[]>;

  /** The commitments frozen into a revision (what its hash and canonical bytes include). */
  abstract frozen(manager: EntityManager, memorandumId: string, revisionNumber: number): Promise<RevisionCommitment[]>;

  /**
   * An amendment took effect (its revision is now the executed one, in the caller's transaction): the memorandum's
   * live text commitments follow the revision's. Appends history events to the memorandum's chain (each bumping
   * its version) and answers how many, so the caller's view of the version stays true.
   */
  abstract takeEffect(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    at: { actor: Actor | null; now: Date; requestId: string | null },
  ): Promise<number>;
}
