/**
 * libs/commitments' side of the schedule's `CommitmentFollowUp` port (libs/reminders): occurrence
 * facts, the overdue timed transition, and re-planning recurring commitments within a changed term.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Memorandum } from '@kelisim/memoranda';
import { Clock, zonedDate } from '@kelisim/platform';
import { CommitmentFollowUp, OccurrenceFacts } from '@kelisim/reminders';
import { CommitmentTimersService } from './commitment-timers.service';
import { OPEN_STATUSES } from './commitment-status';
import { insertOccurrences } from './commitment-writes';
import { Commitment, CommitmentOccurrence } from './entities';
import { responsibleOrganisations } from './follow-up-context';
import { planOccurrences } from './occurrences';

type Row = CommitmentOccurrence & { title: string; lead: string; others: string[]; memorandumStatus: string };

const SELECT = `SELECT o.*, c.title, c.lead_organisation_id AS lead, c.organisation_ids AS others,
       m.status AS "memorandumStatus"
  FROM commitment_occurrences o
  JOIN commitments c ON c.id = o.commitment_id
  JOIN memoranda m ON m.id = o.memorandum_id`;

function facts(r: Record<string, unknown>): OccurrenceFacts {
  const row = r as unknown as Row & { commitment_id: string; memorandum_id: string; overdue_at: Date };
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    memorandumId: row.memorandum_id,
    title: row.title,
    date: typeof row.date === 'string' ? row.date : new Date(row.date).toISOString().slice(0, 10),
    overdueAt: new Date(row.overdue_at),
    status: row.status,
    open: OPEN_STATUSES.includes(row.status) && row.memorandumStatus === 'active',
    responsibleOrganisationIds: responsibleOrganisations({ leadOrganisationId: row.lead, organisationIds: row.others }),
  };
}

@Injectable()
export class CommitmentFollowUpAdapter extends CommitmentFollowUp {
  constructor(
    private readonly timers: CommitmentTimersService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async openOccurrences(m: EntityManager, memorandumId: string, commitmentId?: string): Promise<OccurrenceFacts[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `${SELECT} WHERE o.memorandum_id = $1 AND ($2::uuid IS NULL OR o.commitment_id = $2)
         AND o.status IN ('planned', 'in_progress', 'overdue') ORDER BY o.date`,
      [memorandumId, commitmentId ?? null],
    );
    return rows.map(facts).filter((f) => f.open);
  }

  async occurrence(m: EntityManager, occurrenceId: string): Promise<OccurrenceFacts | null> {
    if (!/^[0-9a-f-]{36}$/i.test(occurrenceId)) return null;
    const rows: Record<string, unknown>[] = await m.query(`${SELECT} WHERE o.id = $1`, [occurrenceId]);
    return rows.length ? facts(rows[0]) : null;
  }

  async commitment(m: EntityManager, commitmentId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(commitmentId)) return null;
    const c = await m
      .getRepository(Commitment)
      .findOne({ where: { id: commitmentId }, select: { id: true, title: true, leadOrganisationId: true } });
    return c ? { title: c.title, leadOrganisationId: c.leadOrganisationId } : null;
  }

  markOverdue(occurrenceId: string): Promise<'applied' | 'skipped'> {
    return this.timers.markOverdue(occurrenceId);
  }

  /**
   * Recurring open commitments get the dates their RRULE gives within the (new) term from today on (a past date
   * is not back-filled: an amendment re-plans its text commitments itself, in its transaction); none is removed.
   */
  async replan(m: EntityManager, memorandumId: string): Promise<void> {
    const memorandum = await m.getRepository(Memorandum).findOneBy({ id: memorandumId });
    if (!memorandum) return;
    const today = zonedDate(this.clock.now(), memorandum.timeZone);
    const rows = await m.getRepository(Commitment).findBy({ memorandumId });
    for (const c of rows) {
      if (!c.rrule || !OPEN_STATUSES.includes(c.status)) continue;
      const plan = planOccurrences(c, memorandum);
      if (!plan.ok) continue;
      const have = new Set(
        (
          await m.getRepository(CommitmentOccurrence).find({ where: { commitmentId: c.id }, select: { date: true } })
        ).map((o) => o.date),
      );
      await insertOccurrences(
        m,
        { memorandum, parties: [], state: 'active' },
        c,
        plan.dates.filter((d) => !have.has(d) && d >= today),
      );
    }
  }
}
