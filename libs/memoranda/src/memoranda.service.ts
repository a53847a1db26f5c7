/** Reads of memoranda, with the visibility rule: coordinating or party organisation; supervisors and admins see all. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, hasRole, Organisation, Role } from '@kelisim/identity';
import { ApiError, Page, pageOf } from '@kelisim/platform';
import { ListMemorandaQuery } from './dto/memorandum.dto';
import { Memorandum, MemorandumApproval, MemorandumParty, MemorandumRevision, MemorandumSignature } from './entities';
import { allowedActions, lifecycleStateOf } from './lifecycle/memorandum-transitions';
import { canSee, isCoordinatorOf, mayPerform } from './memorandum-access';
import { HistoryAudit } from './history-audit';
import { MemorandumRead, readMemorandum } from './memorandum-rows';
import { renderTerms, textIn } from './revisions/canonical';
import { approvalView, signatureView } from './review-views';
import { DiffCache } from './revisions/diff-cache';
import { Decision } from './vocabulary';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function partyView(p: MemorandumParty, name?: string) {
  return {
    organisationId: p.organisationId,
    ...(name !== undefined ? { organisationName: name } : {}),
    role: p.role,
    order: p.order,
    requiredSignatures: p.requiredSignatures,
    signatoryUserIds: p.signatoryUserIds,
  };
}

export function revisionView(r: MemorandumRevision) {
  return {
    number: r.number,
    kind: r.kind,
    hash: r.hash,
    frozenAt: r.frozenAt,
    frozenByUserId: r.frozenByUserId,
    title: r.title,
    purpose: r.purpose,
    body: r.body,
    language: r.language,
    timeZone: r.timeZone,
    effectiveDate: r.effectiveDate,
    endDate: r.endDate,
    translations: r.translations,
    parties: r.parties,
  };
}

function summary(m: Memorandum) {
  return {
    id: m.id,
    title: m.title,
    status: m.status,
    amendmentStatus: m.amendmentStatus,
    language: m.language,
    timeZone: m.timeZone,
    effectiveDate: m.effectiveDate,
    endDate: m.endDate,
    coordinatingOrganisationId: m.coordinatingOrganisationId,
    version: m.version,
    currentRevisionNumber: m.currentRevisionNumber,
    executedRevisionNumber: m.executedRevisionNumber,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

/** What a list item shows: the list never reads the texts (purpose, body, translations). */
const SUMMARY_COLUMNS = [
  'id',
  'title',
  'status',
  'amendmentStatus',
  'language',
  'timeZone',
  'effectiveDate',
  'endDate',
  'coordinatingOrganisationId',
  'version',
  'currentRevisionNumber',
  'executedRevisionNumber',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof ReturnType<typeof summary>>;

@Injectable()
export class MemorandaService {
  private readonly diffs = new DiffCache();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: HistoryService,
    private readonly audit: HistoryAudit,
  ) {}

  async list(actor: Actor, q: ListMemorandaQuery): Promise<Page<ReturnType<typeof summary>>> {
    const qb = this.db.getRepository(Memorandum).createQueryBuilder('m');
    // "Involves organisation X" (its coordinator or a party) from memorandum_organisations, the
    // relation the triggers keep: an index lookup instead of an OR across two tables.
    const involves = (param: string) =>
      `m.id IN (SELECT mo.memorandum_id FROM memorandum_organisations mo WHERE mo.organisation_id = :${param})`;
    const scope = actor.supervision;
    if (hasRole(actor, Role.Admin) || (hasRole(actor, Role.Supervisor) && !scope)) {
      // everything
    } else if (hasRole(actor, Role.Supervisor) && scope) {
      qb.andWhere(
        `(m.id IN (SELECT mo.memorandum_id FROM memorandum_organisations mo WHERE mo.organisation_id = ANY(:orgs)) OR m.id = ANY(:mids))`,
        { orgs: [actor.organisationId, ...scope.organisationIds], mids: scope.memorandumIds },
      );
    } else qb.andWhere(involves('own'), { own: actor.organisationId });
    if (q.organisationId) qb.andWhere(involves('org'), { org: q.organisationId });
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    if (q.q)
      qb.andWhere(
        new Brackets((w) => w.where('m.title ILIKE :q', { q: `%${escapeLike(q.q!)}%` }).orWhere('m.purpose ILIKE :q')),
      );
    // The page and the total in one statement: the total as a sub-select of its own (count(*) OVER () would
    // number every matching row before the LIMIT, where the page alone can be read from the
    // (created_at, id) index). Past the last page there is no row to carry the total.
    const count = qb.clone().select('count(*)').getQuery();
    const page = qb
      .select(SUMMARY_COLUMNS.map((c) => `m.${c}`))
      .addSelect(`(${count})`, 'total')
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const { entities, raw } = await page.getRawAndEntities<{ total: string }>();
    const total = raw.length ? Number(raw[0].total) : q.page > 1 ? await qb.getCount() : 0;
    return pageOf(entities.map(summary), total, q);
  }

  /** The memorandum if the actor may see it; 404 otherwise (its existence is not disclosed). One statement. */
  async visible(actor: Actor, id: string): Promise<MemorandumRead> {
    const read = await readMemorandum(this.db, id);
    if (!read) throw ApiError.notFound('Memorandum', id);
    const { m, parties } = read;
    if (!canSee(actor, { id: m.id, coordinatingOrganisationId: m.coordinatingOrganisationId, parties }))
      throw ApiError.notFound('Memorandum', id);
    return read;
  }

  async get(actor: Actor, id: string) {
    const { m, parties, names, currentHash } = await this.visible(actor, id);
    const access = { id: m.id, coordinatingOrganisationId: m.coordinatingOrganisationId, parties };
    return {
      ...summary(m),
      purpose: m.purpose,
      body: m.body,
      translations: m.translations,
      templateId: m.templateId,
      templateVersion: m.templateVersion,
      orderedReview: m.orderedReview,
      signingMode: m.signingMode,
      ceremony: m.ceremony,
      terminationDate: m.terminationDate,
      pendingTermination: m.pendingTerminationDate
        ? { date: m.pendingTerminationDate, reason: m.pendingTerminationReason }
        : null,
      currentRevision: { number: m.currentRevisionNumber, hash: currentHash, frozen: !!currentHash },
      parties: parties.map((p) => partyView(p, names[p.organisationId])),
      lifecycleState: lifecycleStateOf(m),
      allowedActions: allowedActions(lifecycleStateOf(m), (rule) => mayPerform(actor, access, rule)),
    };
  }

  async revisions(actor: Actor, id: string) {
    await this.visible(actor, id);
    const rows = await this.db
      .getRepository(MemorandumRevision)
      .createQueryBuilder('r')
      .where('r.memorandum_id = :id AND r.frozen_at IS NOT NULL', { id })
      .orderBy('r.number', 'ASC')
      .getMany();
    return { items: rows.map(revisionView) };
  }

  async revision(actor: Actor, id: string, number: number) {
    await this.visible(actor, id);
    return revisionView(await this.frozen(id, number));
  }

  async diff(actor: Actor, id: string, a: number, b: number, language?: string) {
    await this.visible(actor, id);
    const [ra, rb] = [await this.frozen(id, a), await this.frozen(id, b)];
    const has = (r: MemorandumRevision) => !!textIn({ ...r, parties: [] }, language!);
    if (language && !has(ra) && !has(rb))
      throw ApiError.unprocessable('no_text_in_language', `Neither revision has a text in ${language}`, [
        { field: 'language', message: `neither revision ${a} nor ${b} has a text in ${language}` },
      ]);
    const orgIds = [...new Set([...(ra.parties ?? []), ...(rb.parties ?? [])].map((p) => p.organisationId))];
    const names = await this.organisationNames(orgIds);
    const ta = renderTerms({ ...ra, parties: ra.parties ?? [] }, names, language);
    const tb = renderTerms({ ...rb, parties: rb.parties ?? [] }, names, language);
    // Bounded work (revisions/line-diff.ts): past MAX_EDITS changed lines, counts only and `lineByLine: false`.
    const tag = language ? `\t${language}` : '';
    const d = this.diffs.diff(`revision-${a}\t${ra.hash ?? ''}${tag}`, `revision-${b}\t${rb.hash ?? ''}${tag}`, ta, tb);
    return {
      from: { number: a, hash: ra.hash },
      to: { number: b, hash: rb.hash },
      identical: ra.hash === rb.hash,
      lineByLine: d.lineByLine,
      added: d.added,
      removed: d.removed,
      patch: d.patch,
    };
  }

  async approvals(actor: Actor, id: string) {
    const { m, parties } = await this.visible(actor, id);
    const rows = await this.db
      .getRepository(MemorandumApproval)
      .find({ where: { memorandumId: id, revisionNumber: m.currentRevisionNumber }, order: { decidedAt: 'ASC' } });
    const current = await this.db
      .getRepository(MemorandumRevision)
      .findOneBy({ memorandumId: id, number: m.currentRevisionNumber });
    return {
      revisionNumber: m.currentRevisionNumber,
      revisionHash: current?.hash ?? null,
      parties: parties.map((p) => {
        const d = rows.find((a) => a.organisationId === p.organisationId && a.decision !== Decision.Comment);
        return {
          organisationId: p.organisationId,
          role: p.role,
          order: p.order,
          decision: d?.decision ?? null,
          decidedAt: d?.decidedAt ?? null,
        };
      }),
      items: rows.map(approvalView),
    };
  }

  /** A signer's IP address and user agent are evidence for the coordinating organisation's coordinators, supervisors and admins only. */
  async signatures(actor: Actor, id: string) {
    const { m, parties } = await this.visible(actor, id);
    const seesEvidence =
      hasRole(actor, Role.Supervisor, Role.Admin) ||
      isCoordinatorOf(actor, { coordinatingOrganisationId: m.coordinatingOrganisationId, parties });
    const rows = await this.db.getRepository(MemorandumSignature).find({
      where: { memorandumId: id, revisionNumber: m.currentRevisionNumber },
      order: { recordedAt: 'ASC', slot: 'ASC' },
    });
    return {
      revisionNumber: m.currentRevisionNumber,
      signingMode: m.signingMode,
      parties: parties
        .filter((p) => p.role === 'signatory')
        .map((p) => {
          const signed = rows.filter((s) => s.organisationId === p.organisationId).length;
          return {
            organisationId: p.organisationId,
            order: p.order,
            requiredSignatures: p.requiredSignatures,
            signed,
            complete: signed >= p.requiredSignatures,
          };
        }),
      items: rows.map((s) => signatureView(s, seesEvidence)),
    };
  }

  async historyOf(actor: Actor, id: string) {
    await this.visible(actor, id);
    return { items: await this.history.list(id) };
  }

  async verifyHistory(actor: Actor, id: string) {
    await this.visible(actor, id);
    return this.audit.verify(id);
  }

  private async frozen(id: string, number: number): Promise<MemorandumRevision> {
    const r = await this.db.getRepository(MemorandumRevision).findOneBy({ memorandumId: id, number });
    if (!r || !r.hash) throw ApiError.notFound('Revision', String(number));
    return r;
  }

  private async organisationNames(ids: string[]): Promise<Record<string, string>> {
    if (!ids.length) return {};
    const rows = await this.db
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .where('o.id IN (:...ids)', { ids })
      .getMany();
    return Object.fromEntries(rows.map((o) => [o.id, o.shortName]));
  }
}
