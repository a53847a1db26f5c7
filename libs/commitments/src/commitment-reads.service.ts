/** Reads of commitments and their occurrences, with the memorandum's visibility rule (404 when invisible). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { ApiError, Page, pageOf } from '@kelisim/platform';
import { commitmentView, CommitmentView, occurrenceView } from './commitment-views';
import { ListCommitmentsQuery } from './dto/commitment.dto';
import { ActivityReport, Commitment, CommitmentOccurrence } from './entities';
import { loadMemorandum } from './follow-up-context';

@Injectable()
export class CommitmentReadsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(actor: Actor, memorandumId: string, q: ListCommitmentsQuery): Promise<Page<CommitmentView>> {
    await loadMemorandum(this.db.manager, actor, memorandumId, false);
    const [rows, total] = await this.db.getRepository(Commitment).findAndCount({
      where: { memorandumId, ...(q.status ? { status: q.status } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(await this.views(this.db.manager, rows), total, q);
  }

  /** The commitment if the actor may see its memorandum; 404 otherwise. */
  async visible(actor: Actor, id: string): Promise<Commitment> {
    const c = await this.db.getRepository(Commitment).findOneBy({ id });
    if (!c) throw ApiError.notFound('Commitment', id);
    try {
      await loadMemorandum(this.db.manager, actor, c.memorandumId, false);
    } catch {
      throw ApiError.notFound('Commitment', id);
    }
    return c;
  }

  async get(actor: Actor, id: string): Promise<CommitmentView> {
    const c = await this.visible(actor, id);
    return (await this.views(this.db.manager, [c]))[0];
  }

  /** A commitment as it reads after a write, without the visibility check (the write made it). */
  async view(id: string): Promise<CommitmentView> {
    const c = await this.db.getRepository(Commitment).findOneByOrFail({ id });
    return (await this.views(this.db.manager, [c]))[0];
  }

  async occurrences(actor: Actor, id: string) {
    const c = await this.visible(actor, id);
    const rows = await this.db
      .getRepository(CommitmentOccurrence)
      .find({ where: { commitmentId: c.id }, order: { date: 'ASC' } });
    const reports = (await reportIdsByDate(this.db.manager, [c.id])).get(c.id) ?? new Map();
    return { items: rows.map((o) => occurrenceView(o, reports.get(o.date) ?? [])) };
  }

  private async views(m: EntityManager, rows: Commitment[]): Promise<CommitmentView[]> {
    if (!rows.length) return [];
    const ids = rows.map((c) => c.id);
    const occurrences = await m
      .getRepository(CommitmentOccurrence)
      .find({ where: { commitmentId: In(ids) }, order: { date: 'ASC' } });
    const reports = await reportIdsByDate(m, ids);
    return rows.map((c) =>
      commitmentView(
        c,
        occurrences.filter((o) => o.commitmentId === c.id),
        reports.get(c.id) ?? new Map(),
      ),
    );
  }
}

/** Report ids of commitments by occurrence date (null: against the whole commitment). */
export async function reportIdsByDate(
  m: EntityManager,
  commitmentIds: string[],
): Promise<Map<string, Map<string | null, string[]>>> {
  const out = new Map<string, Map<string | null, string[]>>();
  if (!commitmentIds.length) return out;
  const rows = await m.getRepository(ActivityReport).find({
    where: { commitmentId: In(commitmentIds) },
    order: { createdAt: 'ASC', id: 'ASC' },
    select: { id: true, commitmentId: true, occurrenceDate: true },
  });
  for (const r of rows) {
    const byDate = out.get(r.commitmentId) ?? new Map<string | null, string[]>();
    byDate.set(r.occurrenceDate, [...(byDate.get(r.occurrenceDate) ?? []), r.id]);
    out.set(r.commitmentId, byDate);
  }
  return out;
}
