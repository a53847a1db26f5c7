import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface PartyFacts {
  organisationId: string;
  role: string;
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
                to_char(end_date, 'YYYY-MM-DD') AS end_date, coordinating_organisation_id, current_revision_number
           FROM memoranda WHERE id = $1`, [memorandumId]);
      if (row) {
        const parties = await m.query(
          `SELECT p.organisation_id, p.role, p.required_signatures, p.signatory_user_ids, o.short_name
             FROM memorandum_parties p LEFT JOIN organisations o ON o.id = p.organisation_id
            WHERE p.memorandum_id = $1 ORDER BY p."order", p.organisation_id`, [memorandumId]);
        return {
          id: row.id, title: row.title, status: row.status, amendmentStatus: row.amendment_status, timeZone: row.time_zone || defaultTimeZone,
          effectiveDate: row.effective_date, endDate: row.end_date, coordinatingOrganisationId: row.coordinating_organisation_id,
          currentRevisionNumber: row.current_revision_number,
          parties: parties.map((p: Record<string, unknown>) => ({
            organisationId: p.organisation_id as string, role: p.role as string, requiredSignatures: Number(p.required_signatures ?? 1),
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
      parties: ((p.parties as Partial<PartyFacts>[]) ?? []).map((x) => ({ role: 'signatory', requiredSignatures: 1, signatoryUserIds: [], ...x }) as PartyFacts),
    };
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
}

/** Who receives what (design.md): representatives, signatories, supervisors. Active users only. */
@Injectable()
export class Recipients {
  async withRole(m: EntityManager, role: string, organisationIds?: string[]): Promise<Recipient[]> {
    if (organisationIds && !organisationIds.length) return [];
    return m.query(
      `SELECT id, email, language FROM users WHERE active AND $1 = ANY(roles) AND ($2::uuid[] IS NULL OR organisation_id = ANY($2::uuid[])) ORDER BY id`,
      [role, organisationIds ?? null]);
  }

  async byIds(m: EntityManager, ids: string[]): Promise<Recipient[]> {
    if (!ids.length) return [];
    return m.query(`SELECT id, email, language FROM users WHERE active AND id = ANY($1::uuid[]) ORDER BY id`, [ids]);
  }
}
