import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface PartyFacts {
  organisationId: string;
  role: string;
  /** Position in ordered review and sequential signing (1 first). */
  order: number;
  requiredSignatures: number;
  signatoryUserIds: string[];
  name?: string;
}

export interface MemorandumFacts {
  id: string;
  title: string;
  /** null when the lifecycle's tables cannot tell (the event payload was all there was). */
  status: string | null;
  amendmentStatus: string | null;
  timeZone: string;
  effectiveDate: string | null;
  endDate: string | null;
  coordinatingOrganisationId: string | null;
  currentRevisionNumber: number | null;
  /** Parties decide one after another (their turn: every earlier signatory party approved). */
  orderedReview: boolean;
  /** `sequential`: parties sign one after another; `parallel` or null otherwise. */
  signingMode: string | null;
  parties: PartyFacts[];
}

/**
 * What reminders need to know about a memorandum, read from the lifecycle's tables
 * (`memoranda`, `memorandum_parties`, `memorandum_signatures`) with plain SQL: reminders react to
 * the lifecycle's events and read its rows, but never import or write them. When the tables are
 * not there (a deployment without the lifecycle, unit-size tests) the event payload is used.
 */
@Injectable()
export class MemorandumDirectory {
  private tables?: boolean;

  private async hasTables(m: EntityManager): Promise<boolean> {
    if (this.tables === undefined) {
      const [row] = await m.query(`SELECT to_regclass('memoranda') IS NOT NULL AND to_regclass('memorandum_parties') IS NOT NULL AS ok`);
      this.tables = !!row.ok;
    }
    return this.tables;
  }

  async facts(m: EntityManager, memorandumId: string, payload: Record<string, unknown> = {}, defaultTimeZone = 'Asia/Almaty'): Promise<MemorandumFacts | null> {
    if (await this.hasTables(m)) {
      const [row] = await m.query(
        `SELECT id, title, status, amendment_status, time_zone, to_char(effective_date, 'YYYY-MM-DD') AS effective_date,
                to_char(end_date, 'YYYY-MM-DD') AS end_date, coordinating_organisation_id, current_revision_number,
                ordered_review, signing_mode
           FROM memoranda WHERE id = $1`, [memorandumId]);
      if (row) {
        const parties = await m.query(
          `SELECT p.organisation_id, p.role, p."order", p.required_signatures, p.signatory_user_ids, o.short_name
             FROM memorandum_parties p LEFT JOIN organisations o ON o.id = p.organisation_id
            WHERE p.memorandum_id = $1 ORDER BY p."order", p.organisation_id`, [memorandumId]);
        return {
          id: row.id, title: row.title, status: row.status, amendmentStatus: row.amendment_status, timeZone: row.time_zone || defaultTimeZone,
          effectiveDate: row.effective_date, endDate: row.end_date, coordinatingOrganisationId: row.coordinating_organisation_id,
          currentRevisionNumber: row.current_revision_number, orderedReview: !!row.ordered_review, signingMode: row.signing_mode ?? null,
          parties: parties.map((p: Record<string, unknown>) => ({
            organisationId: p.organisation_id as string, role: p.role as string, order: Number(p.order ?? 1), requiredSignatures: Number(p.required_signatures ?? 1),
            signatoryUserIds: (p.signatory_user_ids as string[] | null) ?? [], name: p.short_name as string | undefined,
          })),
        };
      }
    }
    return this.fromPayload(memorandumId, payload, defaultTimeZone);
  }

  /** Events may carry the facts themselves (payload.memorandum); used when the tables are absent. */
  private fromPayload(memorandumId: string, payload: Record<string, unknown>, defaultTimeZone: string): MemorandumFacts | null {
    const p = (payload.memorandum ?? null) as Record<string, unknown> | null;
    if (!p) return null;
    return {
      id: memorandumId, title: String(p.title ?? ''), status: (p.status as string) ?? null, amendmentStatus: null,
      timeZone: (p.timeZone as string) || defaultTimeZone, effectiveDate: (p.effectiveDate as string) ?? null, endDate: (p.endDate as string) ?? null,
      coordinatingOrganisationId: (p.coordinatingOrganisationId as string) ?? null, currentRevisionNumber: (p.currentRevisionNumber as number) ?? null,
      orderedReview: p.orderedReview === true, signingMode: (p.signingMode as string) ?? null,
      parties: ((p.parties as Partial<PartyFacts>[]) ?? []).map((x, i) => ({ role: 'signatory', order: i + 1, requiredSignatures: 1, signatoryUserIds: [], ...x }) as PartyFacts),
    };
  }

  /**
   * When each party finished the stage of this revision: its approval (review), or the last of its
   * required signatures (signing). Parties not finished are absent; empty without the lifecycle's tables.
   */
  async finishedParties(m: EntityManager, memorandumId: string, stage: 'review' | 'signing', revisionNumber: number, parties: PartyFacts[]): Promise<Map<string, Date>> {
    const done = new Map<string, Date>();
    if (stage === 'review') {
      const [t] = await m.query(`SELECT to_regclass('memorandum_approvals') IS NOT NULL AS ok`);
      if (!t.ok) return done;
      const rows: { organisation_id: string; decided_at: Date }[] = await m.query(
        `SELECT organisation_id, decided_at FROM memorandum_approvals WHERE memorandum_id = $1 AND revision_number = $2 AND decision = 'approve'`,
        [memorandumId, revisionNumber]);
      for (const r of rows) done.set(r.organisation_id, new Date(r.decided_at));
      return done;
    }
    const [t] = await m.query(`SELECT to_regclass('memorandum_signatures') IS NOT NULL AS ok`);
    if (!t.ok) return done;
    const rows: { organisation_id: string; n: number; last: Date }[] = await m.query(
      `SELECT organisation_id, count(*)::int AS n, max(recorded_at) AS last FROM memorandum_signatures
        WHERE memorandum_id = $1 AND revision_number = $2 GROUP BY organisation_id`, [memorandumId, revisionNumber]);
    for (const r of rows) {
      const party = parties.find((p) => p.organisationId === r.organisation_id);
      if (party && r.n >= party.requiredSignatures) done.set(r.organisation_id, new Date(r.last));
    }
    return done;
  }

  /** Users of the organisation who already signed this revision, and whether its required signatures are complete. */
  async signatureProgress(m: EntityManager, memorandumId: string, organisationId: string, revisionNumber: number | null, required: number): Promise<{ signerUserIds: string[]; complete: boolean } | null> {
    const [t] = await m.query(`SELECT to_regclass('memorandum_signatures') IS NOT NULL AS ok`);
    if (!t.ok) return null;
    const rows: { signer_user_id: string | null }[] = await m.query(
      `SELECT signer_user_id FROM memorandum_signatures WHERE memorandum_id = $1 AND organisation_id = $2 AND ($3::int IS NULL OR revision_number = $3)`,
      [memorandumId, organisationId, revisionNumber]);
    return { signerUserIds: rows.map((r) => r.signer_user_id).filter((x): x is string => !!x), complete: rows.length >= required };
  }
}

export interface Recipient {
  id: string;
  email: string;
  language: string;
  /** The user's own zone for quiet hours (null: the memorandum's). */
  timeZone: string | null;
}

/** Who receives what (design.md): representatives, signatories, supervisors. Active users only. */
@Injectable()
export class Recipients {
  async withRole(m: EntityManager, role: string, organisationIds?: string[]): Promise<Recipient[]> {
    if (organisationIds && !organisationIds.length) return [];
    return m.query(
      `SELECT id, email, language, time_zone AS "timeZone" FROM users WHERE active AND $1 = ANY(roles) AND ($2::uuid[] IS NULL OR organisation_id = ANY($2::uuid[])) ORDER BY id`,
      [role, organisationIds ?? null]);
  }

  async byIds(m: EntityManager, ids: string[]): Promise<Recipient[]> {
    if (!ids.length) return [];
    return m.query(`SELECT id, email, language, time_zone AS "timeZone" FROM users WHERE active AND id = ANY($1::uuid[]) ORDER BY id`, [ids]);
  }
}
