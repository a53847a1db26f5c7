/**
 * The memoranda side of reminders' MemorandumDirectory port (libs/reminders): the facts reminders
 * need, read from this library's tables in the caller's transaction. Typed structurally; the apps
 * bind it with `RemindersModule.register`, where the compiler checks it against the port.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import { Memorandum, MemorandumApproval, MemorandumParty, MemorandumSignature } from './entities';
import { lifecycleStateOf } from './lifecycle/memorandum-transitions';
import { Decision, MemorandumStatus } from './vocabulary';

type Stage = 'review' | 'signing';

const ACTING_STAGE: Partial<Record<string, Stage>> = {
  in_review: 'review',
  amendment_in_review: 'review',
  signing: 'signing',
  amendment_signing: 'signing',
};

@Injectable()
export class MemorandumFactsReader {
  async facts(m: EntityManager, memorandumId: string) {
    const row = await m.getRepository(Memorandum).findOneBy({ id: memorandumId });
    if (!row) return null;
    const parties = await m
      .getRepository(MemorandumParty)
      .find({ where: { memorandumId }, order: { order: 'ASC', organisationId: 'ASC' } });
    const organisations = parties.length
      ? await m.getRepository(Organisation).findBy({ id: In(parties.map((p) => p.organisationId)) })
      : [];
    return {
      id: row.id,
      title: row.title,
      status: row.status as string,
      actingStage: ACTING_STAGE[lifecycleStateOf(row)] ?? null,
      inForce: row.status === MemorandumStatus.Executed || row.status === MemorandumStatus.Active,
      timeZone: row.timeZone,
      effectiveDate: row.effectiveDate,
      endDate: row.endDate,
      coordinatingOrganisationId: row.coordinatingOrganisationId,
      currentRevisionNumber: row.currentRevisionNumber,
      orderedReview: row.orderedReview,
      signingMode: row.signingMode ?? null,
      parties: parties.map((p) => ({
        organisationId: p.organisationId,
        role: p.role as string,
        order: p.order,
        requiredSignatures: p.requiredSignatures,
        signatoryUserIds: p.signatoryUserIds ?? [],
        name: organisations.find((o) => o.id === p.organisationId)?.shortName,
      })),
    };
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

  /** Supervisors whose scope covers the memorandum (its organisations, or itself), and every scoped supervisor. */
  async supervision(m: EntityManager, memorandumId: string): Promise<{ covering: string[]; scoped: string[] }> {
    const covering: { id: string }[] = await m.query(
      `SELECT DISTINCT s.supervisor_user_id AS id FROM supervision_scopes s
        WHERE s.memorandum_id = $1
           OR s.organisation_id IN (SELECT coordinating_organisation_id FROM memoranda WHERE id = $1
                                    UNION SELECT organisation_id FROM memorandum_parties WHERE memorandum_id = $1)`,
      [memorandumId],
    );
    const scoped: { id: string }[] = await m.query('SELECT DISTINCT supervisor_user_id AS id FROM supervision_scopes');
    return { covering: covering.map((r) => r.id), scoped: scoped.map((r) => r.id) };
  }
}
