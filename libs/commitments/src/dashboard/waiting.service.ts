/**
 * "Waiting for you" (GET /me/waiting, docs/web.md): what the caller's organisation must do now, by the caller's roles,
 * computed from the memoranda's real state and read through the one visibility rule (visibleMemorandaSql):
 * - a coordinator of the coordinating organisation: drafts where a party asked for changes or declined (revise),
 *   other drafts (submit), approved memoranda (open signing) — amendments alike;
 * - a party representative: frozen revisions awaiting their organisation's decision (in ordered review, once its
 *   turn has come);
 * - a signatory: revisions in signing awaiting their signature for their organisation (a named signatory of it, when
 *   it names any; in sequential signing, once its turn has come);
 * - a party representative or coordinator: their organisation's commitment dates due today or overdue, in the
 *   memorandum's time zone.
 * Each list is capped (LIMIT); the oldest waiting come first.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, hasRole, Role } from '@kelisim/identity';
import { Clock, zonedDate } from '@kelisim/platform';
import { Sql, visibleMemoranda } from './dashboard-scope';
import { WAITING_KINDS } from './waiting.responses';

/** At most this many items of each kind. */
export const WAITING_LIMIT = 50;

export type WaitingKind = (typeof WAITING_KINDS)[number];

export interface WaitingItem {
  kind: WaitingKind;
  memorandumId: string;
  memorandumTitle: string;
  /** The lifecycle state: the memorandum's status, or `amendment_<status>` while an amendment is open. */
  state: string;
  revisionNumber: number | null;
  /** revise / declined: the party that asked; commitments: the lead organisation. */
  organisationId: string | null;
  /** Since when it waits: the refusal, or the memorandum's last change; commitments: null (see `date`). */
  since: Date | null;
  commitmentId: string | null;
  commitmentTitle: string | null;
  /** Commitments: the occurrence's date. */
  date: string | null;
}

const state = (status: string, amendment: string | null) =>
  status === 'active' && amendment ? `amendment_${amendment}` : status;

interface PartyRow {
  memorandumId: string;
  organisationId: string;
  role: string;
  order: number;
  requiredSignatures: number;
  signatoryUserIds: string[];
}

interface StageRow {
  id: string;
  title: string;
  status: string;
  amendmentStatus: string | null;
  orderedReview: boolean;
  signingMode: string | null;
  revisionNumber: number;
  updatedAt: Date;
}

@Injectable()
export class WaitingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async forActor(actor: Actor): Promise<{ items: WaitingItem[] }> {
    const items: WaitingItem[] = [];
    if (hasRole(actor, Role.Coordinator)) items.push(...(await this.coordinating(actor)));
    const representative = hasRole(actor, Role.PartyRepresentative);
    const signatory = hasRole(actor, Role.Signatory);
    if (representative || signatory) items.push(...(await this.asParty(actor, representative, signatory)));
    if (representative || hasRole(actor, Role.Coordinator)) items.push(...(await this.commitments(actor)));
    return { items };
  }

  /** Drafts to revise or submit, and approved memoranda to open for signing, of the caller's organisation. */
  private async coordinating(actor: Actor): Promise<WaitingItem[]> {
    const sql = new Sql();
    const rows: Array<{
      id: string;
      title: string;
      status: string;
      amendmentStatus: string | null;
      revisionNumber: number;
      updatedAt: Date;
      decision: string | null;
      decidedBy: string | null;
      decidedAt: Date | null;
      decidedRevision: number | null;
    }> = await this.db.query(
      `SELECT m.id, m.title, m.status, m.amendment_status AS "amendmentStatus",
              m.current_revision_number AS "revisionNumber", m.updated_at AS "updatedAt",
              d.decision, d.organisation_id AS "decidedBy", d.decided_at AS "decidedAt",
              d.revision_number AS "decidedRevision"
         FROM memoranda m
         LEFT JOIN LATERAL (
           -- The last refusal, if it was on the last frozen revision (no submission since).
           SELECT a.decision, a.organisation_id, a.decided_at, a.revision_number FROM memorandum_approvals a
            WHERE a.memorandum_id = m.id AND a.decision IN ('request_changes', 'decline')
              AND a.revision_number = (SELECT max(r.number) FROM memorandum_revisions r
                                        WHERE r.memorandum_id = m.id AND r.frozen_at IS NOT NULL)
            ORDER BY a.decided_at DESC LIMIT 1) d ON true
        WHERE m.coordinating_organisation_id = ${sql.p(actor.organisationId)}
          AND ${visibleMemoranda(sql, actor)}
          AND (m.status IN ('draft', 'approved') OR (m.status = 'active' AND m.amendment_status IN ('draft', 'approved')))
        ORDER BY m.updated_at, m.id
        LIMIT ${WAITING_LIMIT}`,
      sql.params,
    );
    return rows.map((r) => {
      const s = state(r.status, r.amendmentStatus);
      const draft = s === 'draft' || s === 'amendment_draft';
      const kind: WaitingKind = !draft
        ? 'open_signing'
        : r.decision === 'request_changes'
          ? 'revise'
          : r.decision === 'decline'
            ? 'declined'
            : 'submit';
      return {
        kind,
        memorandumId: r.id,
        memorandumTitle: r.title,
        state: s,
        revisionNumber: r.revisionNumber,
        organisationId: draft ? r.decidedBy : null,
        since: draft && r.decidedAt ? r.decidedAt : r.updatedAt,
        commitmentId: null,
        commitmentTitle: null,
        date: null,
      };
    });
  }

  /** Revisions awaiting the caller's organisation's decision, and signatures awaiting the caller. */
  private async asParty(actor: Actor, representative: boolean, signatory: boolean): Promise<WaitingItem[]> {
    const stages = [...(representative ? ['in_review'] : []), ...(signatory ? ['signing'] : [])];
    const sql = new Sql();
    const org = sql.p(actor.organisationId);
    const memoranda: StageRow[] = await this.db.query(
      `SELECT m.id, m.title, m.status, m.amendment_status AS "amendmentStatus", m.ordered_review AS "orderedReview",
              m.signing_mode AS "signingMode", m.updated_at AS "updatedAt",
              (SELECT max(r.number) FROM memorandum_revisions r
                WHERE r.memorandum_id = m.id AND r.frozen_at IS NOT NULL)::int AS "revisionNumber"
         FROM memoranda m
        WHERE EXISTS (SELECT 1 FROM memorandum_parties p
                       WHERE p.memorandum_id = m.id AND p.organisation_id = ${org} AND p.role = 'signatory')
          AND ${visibleMemoranda(sql, actor)}
          AND (m.status = ANY(${sql.p(stages)}::text[])
               OR (m.status = 'active' AND m.amendment_status = ANY(${sql.p(stages)}::text[])))
        ORDER BY m.updated_at, m.id
        LIMIT ${WAITING_LIMIT * 2}`,
      sql.params,
    );
    if (!memoranda.length) return [];
    const ids = memoranda.map((m) => m.id);
    const parties: PartyRow[] = await this.db.query(
      `SELECT memorandum_id AS "memorandumId", organisation_id AS "organisationId", role, "order",
              required_signatures AS "requiredSignatures", signatory_user_ids AS "signatoryUserIds"
         FROM memorandum_parties WHERE memorandum_id = ANY($1::uuid[]) AND role = 'signatory'`,
      [ids],
    );
    const approvals: Array<{ memorandumId: string; organisationId: string; decision: string; revisionNumber: number }> =
      await this.db.query(
        `SELECT a.memorandum_id AS "memorandumId", a.organisation_id AS "organisationId", a.decision,
                a.revision_number AS "revisionNumber"
           FROM memorandum_approvals a WHERE a.memorandum_id = ANY($1::uuid[]) AND a.decision <> 'comment'`,
        [ids],
      );
    const signatures: Array<{
      memorandumId: string;
      organisationId: string;
      signerUserId: string | null;
      revisionNumber: number;
    }> = await this.db.query(
      `SELECT s.memorandum_id AS "memorandumId", s.organisation_id AS "organisationId", s.signer_user_id AS "signerUserId",
              s.revision_number AS "revisionNumber"
         FROM memorandum_signatures s WHERE s.memorandum_id = ANY($1::uuid[])`,
      [ids],
    );
    const out: WaitingItem[] = [];
    for (const m of memoranda) {
      const s = state(m.status, m.amendmentStatus);
      const signatories = parties.filter((p) => p.memorandumId === m.id);
      const own = signatories.find((p) => p.organisationId === actor.organisationId);
      if (!own) continue;
      const item = (kind: WaitingKind): WaitingItem => ({
        kind,
        memorandumId: m.id,
        memorandumTitle: m.title,
        state: s,
        revisionNumber: m.revisionNumber,
        organisationId: null,
        since: m.updatedAt,
        commitmentId: null,
        commitmentTitle: null,
        date: null,
      });
      if (s === 'in_review' || s === 'amendment_in_review') {
        const decided = new Map(
          approvals
            .filter((a) => a.memorandumId === m.id && a.revisionNumber === m.revisionNumber)
            .map((a) => [a.organisationId, a.decision]),
        );
        if (decided.has(own.organisationId)) continue;
        const turn =
          !m.orderedReview ||
          signatories.filter((p) => p.order < own.order).every((p) => decided.get(p.organisationId) === 'approve');
        if (turn) out.push(item('approve'));
      } else {
        const signed = signatures.filter((x) => x.memorandumId === m.id && x.revisionNumber === m.revisionNumber);
        const count = (o: string) => signed.filter((x) => x.organisationId === o).length;
        if (count(own.organisationId) >= own.requiredSignatures) continue;
        if (signed.some((x) => x.organisationId === own.organisationId && x.signerUserId === actor.userId)) continue;
        if (own.signatoryUserIds.length && !own.signatoryUserIds.includes(actor.userId)) continue;
        const turn =
          m.signingMode !== 'sequential' ||
          signatories.filter((p) => p.order < own.order).every((p) => count(p.organisationId) >= p.requiredSignatures);
        if (turn) out.push(item('sign'));
      }
    }
    return out.slice(0, WAITING_LIMIT);
  }

  /**
   * The caller's organisation's commitment dates (as lead or co-responsible) of active memoranda that are overdue, or
   * due today or earlier in the memorandum's time zone and not done: the timers mark a date overdue when its day ends.
   */
  private async commitments(actor: Actor): Promise<WaitingItem[]> {
    const sql = new Sql();
    const org = sql.p(actor.organisationId);
    // Today somewhere on Earth at most (UTC+14): the rows past it cannot be due anywhere yet.
    const latest = zonedDate(this.clock.now(), 'Pacific/Kiritimati');
    const rows: Array<{
      occurrenceDate: string;
      status: string;
      commitmentId: string;
      commitmentTitle: string;
      leadOrganisationId: string;
      memorandumId: string;
      memorandumTitle: string;
      memorandumStatus: string;
      amendmentStatus: string | null;
      timeZone: string;
    }> = await this.db.query(
      `SELECT o.date::text AS "occurrenceDate", o.status, c.id AS "commitmentId", c.title AS "commitmentTitle",
              c.lead_organisation_id AS "leadOrganisationId", m.id AS "memorandumId", m.title AS "memorandumTitle",
              m.status AS "memorandumStatus", m.amendment_status AS "amendmentStatus", m.time_zone AS "timeZone"
         FROM commitment_occurrences o
         JOIN commitments c ON c.id = o.commitment_id
         JOIN memoranda m ON m.id = o.memorandum_id
        WHERE (c.lead_organisation_id = ${org} OR c.organisation_ids @> ARRAY[${org}]::uuid[])
          AND o.status IN ('planned', 'in_progress', 'overdue') AND o.date <= ${sql.p(latest)}
          AND m.status = 'active' AND ${visibleMemoranda(sql, actor, 'o.memorandum_id')}
        ORDER BY o.date, o.id
        LIMIT ${WAITING_LIMIT * 2}`,
      sql.params,
    );
    const now = this.clock.now();
    const out: WaitingItem[] = [];
    for (const r of rows) {
      const today = zonedDate(now, r.timeZone);
      if (r.occurrenceDate > today) continue;
      out.push({
        kind: r.status === 'overdue' || r.occurrenceDate < today ? 'commitment_overdue' : 'commitment_due',
        memorandumId: r.memorandumId,
        memorandumTitle: r.memorandumTitle,
        state: state(r.memorandumStatus, r.amendmentStatus),
        revisionNumber: null,
        organisationId: r.leadOrganisationId,
        since: null,
        commitmentId: r.commitmentId,
        commitmentTitle: r.commitmentTitle,
        date: r.occurrenceDate,
      });
    }
    return out.slice(0, WAITING_LIMIT);
  }
}
