/**
 * Activity reports and their evidence: a responsible party files a report with its files in one
 * transaction (bytes in PostgreSQL in chunks, content-addressed by SHA-256, so every replica serves
 * them and nothing is half-written); the coordinator may correct one, the history keeping both texts.
 */
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import {
  ApiError,
  Clock,
  createValidationPipe,
  OutboxService,
  Page,
  pageOf,
  PageQuery,
  unsafeInput,
} from '@kelisim/platform';
import { CommitmentEventType } from '@kelisim/reminders';
import { CommitmentReadsService } from './commitment-reads.service';
import { CorrectReportDto, ReportDto } from './dto/report.dto';
import { ActivityReport, Commitment, CommitmentOccurrence, EvidenceBlob, EvidenceFile } from './entities';
import { checkEvidence, UploadedEvidence } from './evidence';
import { readBlob, storeBlob } from './evidence-store';
import { EvidenceSettings } from './evidence-settings';
import {
  appendFollowUpHistory,
  loadMemorandum,
  requireActive,
  requireCoordinator,
  requireResponsible,
} from './follow-up-context';
import { CommitmentStatus } from './vocabulary';

const pipe = createValidationPipe();

export function reportView(r: ActivityReport, files: EvidenceFile[]) {
  return {
    id: r.id,
    commitmentId: r.commitmentId,
    memorandumId: r.memorandumId,
    organisationId: r.organisationId,
    authorUserId: r.authorUserId,
    occurrenceDate: r.occurrenceDate,
    date: r.date,
    summary: r.summary,
    participants: r.participants,
    outcome: r.outcome,
    links: r.links,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    files: files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256 })),
  };
}
export type ReportView = ReturnType<typeof reportView>;

/** The `report` part of the upload, parsed and validated like a body; its fields are named `report.<field>`. */
async function parseReportPart(raw: unknown): Promise<ReportDto> {
  if (typeof raw !== 'string' || !raw.trim())
    throw ApiError.validation([{ field: 'report', message: 'is required: a JSON object in a multipart field' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ApiError.validation([{ field: 'report', message: 'must be JSON' }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw ApiError.validation([{ field: 'report', message: 'must be a JSON object' }]);
  const unsafe = unsafeInput(parsed, 'report');
  if (unsafe.length) throw ApiError.validation(unsafe);
  try {
    return (await pipe.transform(parsed, { type: 'body', metatype: ReportDto })) as ReportDto;
  } catch (e) {
    if (e instanceof ApiError && e.fieldErrors)
      throw ApiError.validation(e.fieldErrors.map((f) => ({ field: `report.${f.field}`, message: f.message })));
    throw e;
  }
}

@Injectable()
export class ReportsService {
  private readonly logger = new Logger('Integrity');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly history: HistoryService,
    private readonly settings: EvidenceSettings,
    private readonly reads: CommitmentReadsService,
    private readonly outbox: OutboxService,
  ) {}

  async file(
    actor: Actor,
    commitmentId: string,
    rawReport: unknown,
    uploads: UploadedEvidence[],
    meta: RequestMeta,
  ): Promise<ReportView> {
    await this.reads.visible(actor, commitmentId);
    const dto = await parseReportPart(rawReport);
    const checked = await checkEvidence(uploads, dto.sha256, this.settings);
    if (!checked.ok) throw ApiError.validation([checked.error], checked.status);
    return this.db.transaction(async (m) => {
      const pre = await m.getRepository(Commitment).findOneByOrFail({ id: commitmentId });
      const ctx = await loadMemorandum(m, actor, pre.memorandumId, true);
      // Read again under the memorandum's lock: an amendment taking effect meanwhile may have changed or removed it.
      const c = await m.getRepository(Commitment).findOneByOrFail({ id: commitmentId });
      requireResponsible(actor, c, 'report on it');
      requireActive(ctx, 'report on a commitment');
      if (c.status === CommitmentStatus.Cancelled)
        throw ApiError.conflict('invalid_transition', 'Cannot report on a cancelled commitment', { status: c.status });
      if (
        dto.occurrenceDate &&
        !(await m.getRepository(CommitmentOccurrence).existsBy({ commitmentId, date: dto.occurrenceDate }))
      )
        throw ApiError.validation(
          [{ field: 'report.occurrenceDate', message: 'is not a date of this commitment' }],
          422,
        );
      const now = this.clock.now();
      const report = await m.getRepository(ActivityReport).save(
        m.getRepository(ActivityReport).create({
          commitmentId,
          memorandumId: c.memorandumId,
          occurrenceDate: dto.occurrenceDate ?? null,
          organisationId: actor.organisationId,
          authorUserId: actor.userId,
          date: dto.date,
          summary: dto.summary,
          participants: dto.participants ?? null,
          outcome: dto.outcome ?? null,
          links: dto.links ?? [],
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const files: EvidenceFile[] = [];
      for (const f of checked.files) {
        await storeBlob(m, { sha256: f.sha256, size: f.size, path: f.path, createdAt: now });
        files.push(
          await m.getRepository(EvidenceFile).save(
            m.getRepository(EvidenceFile).create({
              reportId: report.id,
              sha256: f.sha256,
              name: f.name,
              contentType: f.contentType,
              size: f.size,
              createdAt: now,
            }),
          ),
        );
      }
      await appendFollowUpHistory(this.history, m, ctx, actor, now, meta, {
        action: 'report.filed',
        data: {
          reportId: report.id,
          commitmentId,
          date: report.date,
          ...(report.occurrenceDate ? { occurrenceDate: report.occurrenceDate } : {}),
          files: files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })),
        },
      });
      // The coordinators and the supervisors are told at once (a notice reacts to it), and subscribed webhooks.
      await this.outbox.record(m, {
        type: CommitmentEventType.ReportFiled,
        aggregateType: 'memorandum',
        aggregateId: ctx.memorandum.id,
        payload: {
          memorandumId: ctx.memorandum.id,
          commitmentId,
          reportId: report.id,
          organisationId: report.organisationId,
          ...(report.occurrenceDate ? { occurrenceDate: report.occurrenceDate } : {}),
          actorUserId: actor.userId,
        },
      });
      return reportView(report, files);
    });
  }

  async correct(actor: Actor, id: string, dto: CorrectReportDto, meta: RequestMeta): Promise<ReportView> {
    const pre = await this.visibleReport(actor, id);
    return this.db.transaction(async (m) => {
      const ctx = await loadMemorandum(m, actor, pre.memorandumId, true);
      requireCoordinator(actor, ctx);
      const r = await m.getRepository(ActivityReport).findOneByOrFail({ id });
      if (r.version !== dto.version)
        throw ApiError.conflict('stale_version', `Report is at version ${r.version}`, { version: r.version });
      const before = {
        date: r.date,
        summary: r.summary,
        participants: r.participants,
        outcome: r.outcome,
        links: r.links,
      };
      const after = {
        date: dto.date ?? r.date,
        summary: dto.summary ?? r.summary,
        participants: dto.participants === undefined ? r.participants : dto.participants,
        outcome: dto.outcome === undefined ? r.outcome : dto.outcome,
        links: dto.links ?? r.links,
      };
      const now = this.clock.now();
      const res = await m
        .createQueryBuilder()
        .update(ActivityReport)
        .set({ ...after, updatedAt: now, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: r.version })
        .execute();
      if (res.affected !== 1)
        throw ApiError.conflict('concurrent_update', 'Another request changed this report; retry');
      await appendFollowUpHistory(this.history, m, ctx, actor, now, meta, {
        action: 'report.corrected',
        reason: dto.reason,
        organisationId: r.organisationId,
        data: { reportId: id, commitmentId: r.commitmentId, before, after },
      });
      Object.assign(r, after, { updatedAt: now, version: r.version + 1 });
      return reportView(r, await this.filesOf(m, [id]));
    });
  }

  async get(actor: Actor, id: string): Promise<ReportView> {
    const r = await this.visibleReport(actor, id);
    return reportView(r, await this.filesOf(this.db.manager, [id]));
  }

  async list(actor: Actor, commitmentId: string, q: PageQuery): Promise<Page<ReportView>> {
    await this.reads.visible(actor, commitmentId);
    const [rows, total] = await this.db.getRepository(ActivityReport).findAndCount({
      where: { commitmentId },
      order: { date: 'ASC', createdAt: 'ASC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    const files = await this.filesOf(
      this.db.manager,
      rows.map((r) => r.id),
    );
    return pageOf(
      rows.map((r) =>
        reportView(
          r,
          files.filter((f) => f.reportId === r.id),
        ),
      ),
      total,
      q,
    );
  }

  /** An evidence file's bytes, for readers of its memorandum, one chunk at a time. */
  async content(actor: Actor, fileId: string): Promise<{ file: EvidenceFile; content: AsyncIterable<Buffer> }> {
    const file = await this.db.getRepository(EvidenceFile).findOneBy({ id: fileId });
    if (!file) throw ApiError.notFound('File', fileId);
    let report: ActivityReport;
    try {
      report = await this.visibleReport(actor, file.reportId);
    } catch {
      throw ApiError.notFound('File', fileId);
    }
    const blob = await this.db.getRepository(EvidenceBlob).findOneByOrFail({ sha256: file.sha256 });
    // Rehashed where the chunks are stored (the bytes do not travel twice) before a byte is sent: a
    // swapped file is refused whole instead of cut off mid-stream. The row's SHA-256 must also be the
    // one the history recorded when the report was filed: a row pointed at other bytes is not.
    const [{ actual, recorded }] = (await this.db.query(
      `SELECT encode(sha256(coalesce((SELECT string_agg(c.bytes, ''::bytea ORDER BY c.seq)
                                        FROM evidence_blob_chunks c WHERE c.sha256 = $3), ''::bytea)), 'hex') AS actual,
              EXISTS (SELECT 1 FROM history_events e, jsonb_array_elements(e.data -> 'files') x
                       WHERE e.memorandum_id = $1 AND e.action = 'report.filed'
                         AND e.data ->> 'reportId' = $2 AND x ->> 'sha256' = $3) AS recorded`,
      [report.memorandumId, file.reportId, file.sha256],
    )) as Array<{ actual: string; recorded: boolean }>;
    if (actual !== file.sha256 || !recorded) {
      this.logger.error(
        `INTEGRITY: evidence file ${file.id} (report ${file.reportId}) hashes to ${actual}, its row names ${file.sha256}, ` +
          `${recorded ? 'which its history records' : 'which no report.filed event records'}`,
      );
      throw ApiError.integrityFailed(
        `Evidence file ${file.id} no longer matches its recorded SHA-256; it is not served.`,
        { fileId: file.id },
      );
    }
    return { file, content: readBlob(this.db.manager, blob.sha256) };
  }

  private async visibleReport(actor: Actor, id: string): Promise<ActivityReport> {
    const r = await this.db.getRepository(ActivityReport).findOneBy({ id });
    if (!r) throw ApiError.notFound('Report', id);
    try {
      await loadMemorandum(this.db.manager, actor, r.memorandumId, false);
    } catch {
      throw ApiError.notFound('Report', id);
    }
    return r;
  }

  private async filesOf(m: EntityManager, reportIds: string[]): Promise<EvidenceFile[]> {
    if (!reportIds.length) return [];
    return m
      .getRepository(EvidenceFile)
      .find({ where: { reportId: In(reportIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
