/**
 * The memoranda side of reminders' MemorandumDirectory port (libs/reminders): the facts reminders
 * need, read from this library's tables in the caller's transaction. Typed structurally; the apps
 * bind it with `RemindersModule.register`, where the compiler checks it against the port.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Memorandum, MemorandumApproval, MemorandumSignature } from './entities';
import { lifecycleStateOf } from './lifecycle/memorandum-transitions';
import { canSee, Reader } from './memorandum-visibility';
import { AmendmentStatus, Decision, MemorandumStatus } from './vocabulary';

type Stage = 'review' | 'signing';

const ACTING_STAGE: Partial<Record<string, Stage>> = {
  in_review: 'review',
  amendment_in_review: 'review',
  signing: 'signing',
  amendment_signing: 'signing',
};

@Injectable()
export class MemorandumFactsReader {
  /** One statement: the memorandum with its parties (ordered) and their organisations' short names. */
  async facts(m: EntityManager, memorandumId: string) {
    return (await this.factsMany(m, [memorandumId])).get(memorandumId) ?? null;
  }

  /** `facts` of many memoranda in one statement (absent ones are not in the map). */
  async factsMany(m: EntityManager, memorandumIds: string[]) {
    const rows = (await m.query(
      `SELECT m.id, m.title, m.status, m.amendment_status, m.time_zone, m.effective_date::text AS effective_date,
              m.end_date::text AS end_date, m.coordinating_organisation_id, m.current_revision_number, m.ordered_review,
              m.signing_mode,
              COALESCE((SELECT json_agg(json_build_object('organisationId', p.organisation_id, 'role', p.role, 'order', p."order",
                                                         'requiredSignatures', p.required_signatures,
                                                         'signatoryUserIds', p.signatory_user_ids, 'name', o.short_name)
                                        ORDER BY p."order", p.organisation_id)
                          FROM memorandum_parties p LEFT JOIN organisations o ON o.id = p.organisation_id
                         WHERE p.memorandum_id = m.id), '[]') AS parties
         FROM memoranda m WHERE m.id = ANY($1::uuid[])`,
      [memorandumIds],
    )) as FactsRow[];
    return new Map(rows.map((row) => [row.id, factsOf(row)]));
  }

  async finishedParties(
    m: EntityManager,
    memorandumId: string,
    stage: Stage,
    revisionNumber: number,
    parties: Array<{ organisationId: string; requiredSignatures: number }>,
  ): Promise<Map<string, Date>> {
    const done = new Map<string, Date>();
    if (stage === 'review') {
      const approvals = await m
        .getRepository(MemorandumApproval)
        .findBy({ memorandumId, revisionNumber, decision: Decision.Approve });
      for (const a of approvals) done.set(a.organisationId, new Date(a.decidedAt));
      return done;
    }
    const signatures = await m.getRepository(MemorandumSignature).findBy({ memorandumId, revisionNumber });
    for (const party of parties) {
      const own = signatures.filter((s) => s.organisationId === party.organisationId);
      if (own.length && own.length >= party.requiredSignatures) {
        done.set(party.organisationId, new Date(Math.max(...own.map((s) => new Date(s.recordedAt).getTime()))));
      }
    }
    return done;
  }

  async signatureProgress(
    m: EntityManager,
    memorandumId: string,
    organisationId: string,
    revisionNumber: number | null,
    required: number,
  ) {
    const signatures = await m.getRepository(MemorandumSignature).findBy({
      memorandumId,
      organisationId,
      ...(revisionNumber === null ? {} : { revisionNumber }),
    });
    return {
      signerUserIds: signatures.map((s) => s.signerUserId).filter((x): x is string => !!x),
      complete: signatures.length >= required,
    };
  }

  async coordinatingOrganisation(m: EntityManager, memorandumId: string): Promise<string | null> {
    const row = await m
      .getRepository(Memorandum)
      .findOne({ where: { id: memorandumId }, select: { id: true, coordinatingOrganisationId: true } });
    return row?.coordinatingOrganisationId ?? null;
  }

  async supervisors(m: EntityManager, memorandumId: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT DISTINCT s.supervisor_user_id AS id FROM supervision_scopes s
        WHERE s.kind = 'global' OR s.memorandum_id = $1
           OR s.organisation_id IN (SELECT mo.organisation_id FROM memorandum_organisations mo WHERE mo.memorandum_id = $1)`,
      [memorandumId],
    );
    return rows.map((r) => r.id);
  }

  async visibleFacts(m: EntityManager, memorandumId: string, reader: Reader) {
    const facts = await this.facts(m, memorandumId);
    return facts && canSee(reader, facts) ? facts : null;
  }
}

interface FactsRow {
  id: string;
  title: string;
  status: MemorandumStatus;
  amendment_status: AmendmentStatus | null;
  time_zone: string;
  effective_date: string | null;
  end_date: string | null;
  coordinating_organisation_id: string;
  current_revision_number: number;
  ordered_review: boolean;
  signing_mode: string | null;
  parties: {
    organisationId: string;
    role: string;
    order: number;
    requiredSignatures: number;
    signatoryUserIds: string[] | null;
    name: string | null;
  }[];
}

function factsOf(row: FactsRow) {
  return {
    id: row.id,
    title: row.title,
    status: row.status as string,
    actingStage: ACTING_STAGE[lifecycleStateOf({ status: row.status, amendmentStatus: row.amendment_status })] ?? null,
    inForce: row.status === MemorandumStatus.Executed || row.status === MemorandumStatus.Active,
    timeZone: row.time_zone,
    effectiveDate: row.effective_date,
    endDate: row.end_date,
    coordinatingOrganisationId: row.coordinating_organisation_id,
    currentRevisionNumber: row.current_revision_number,
    orderedReview: row.ordered_review,
    signingMode: row.signing_mode ?? null,
    parties: row.parties.map((p) => ({
      organisationId: p.organisationId,
      role: p.role,
      order: p.order,
      requiredSignatures: p.requiredSignatures,
      signatoryUserIds: p.signatoryUserIds ?? [],
      name: p.name ?? undefined,
    })),
  };
}
