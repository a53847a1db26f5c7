/** Reads of memoranda, through the one visibility rule (memorandum-visibility.ts): 404 for what the reader may not see. */
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, hasRole, Organisation, Role } from '@kelisim/identity';
import { ApiError, Page, pageOf, preparedQuery } from '@kelisim/platform';
import { ListMemorandaQuery } from './dto/memorandum.dto';
import { Memorandum, MemorandumApproval, MemorandumParty, MemorandumRevision, MemorandumSignature } from './entities';
import { allowedActions, lifecycleStateOf } from './lifecycle/memorandum-transitions';
import { isCoordinatorOf, mayPerform } from './memorandum-access';
import { canSee, reachOf, visibleMemorandaSql } from './memorandum-visibility';
import { HistoryAudit } from './history-audit';
import { MemorandumRead, readMemorandum } from './memorandum-rows';
import { renderTerms, renderTermsOnly, type RevisionTerms, textIn } from './revisions/canonical';
import { RevisionCommitments } from './revisions/canonical-commitments';
import { frozenRevisionBytes } from './revisions/revision-bytes';
import { approvalView, signatureView } from './review-views';
import { DiffCache } from './revisions/diff-cache';
import { assertRevisionsIntact } from './revisions/revision-integrity';
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
    canonicalVersion: r.canonicalVersion,
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

export type MemorandumSummary = ReturnType<typeof summary>;

/**
 * What a list item shows, as `summary` names it (the list never reads the texts: purpose, body,
 * translations). Dates as text, as the entity reads them; timestamps arrive as Dates.
 */
const SUMMARY_SQL = [
  'm.id AS "id"',
  'm.title AS "title"',
  'm.status AS "status"',
  'm.amendment_status AS "amendmentStatus"',
  'm.language AS "language"',
  'm.time_zone AS "timeZone"',
  'm.effective_date::text AS "effectiveDate"',
  'm.end_date::text AS "endDate"',
  'm.coordinating_organisation_id AS "coordinatingOrganisationId"',
  'm.version AS "version"',
  'm.current_revision_number AS "currentRevisionNumber"',
  'm.executed_revision_number AS "executedRevisionNumber"',
  'm.created_at AS "createdAt"',
  'm.updated_at AS "updatedAt"',
].join(', ');

@Injectable()
export class MemorandaService {
  private readonly diffs = new DiffCache();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: HistoryService,
    private readonly audit: HistoryAudit,
    @Optional() private readonly commitments?: RevisionCommitments,
  ) {}

  /**
   * One page of the memoranda the actor may see, newest first, with the exact total — in one statement,
   * whose shape depends on the filters so that neither part reads more than it must
   * (docs/performance.md, "Reads"):
   * - no filter: the page from the (created_at) index, the total from memorandum_totals (kept by triggers);
   * - one organisation (the caller's own, or `organisationId` for those who see everything): the page
   *   from the same index checked against memorandum_organisations, the total counted in that
   *   table's (organisation_id, memorandum_id) key alone;
   * - anything else (a status, a search, several organisations, a supervision scope): the matching
   *   memoranda once (id and created_at, from whichever index is selective), counted and cut to the
   *   page from that one set, then the page's rows by primary key.
   * The total is a one-row sub-select the page is joined to, so a page past the end still carries it.
   */
  async list(actor: Actor, q: ListMemorandaQuery): Promise<Page<MemorandumSummary>> {
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    /** The organisations each listed memorandum must involve (coordinator or party), as parameters. */
    const orgs: string[] = [];
    let otherFilters = false;
    const reach = reachOf(actor);
    if (reach.all) {
      // everything
    } else if (reach.organisationIds.length === 1 && !reach.memorandumIds.length) {
      orgs.push(param(reach.organisationIds[0]));
    } else {
      where.push(visibleMemorandaSql(param, actor));
      otherFilters = true;
    }
    if (q.organisationId) orgs.push(param(q.organisationId));
    for (const org of orgs)
      where.push(
        `m.id IN (SELECT mo.memorandum_id FROM memorandum_organisations mo WHERE mo.organisation_id = ${org})`,
      );
    if (q.status) {
      where.push(`m.status = ${param(q.status)}`);
      otherFilters = true;
    }
    if (q.q) {
      const text = param(`%${escapeLike(q.q)}%`);
      where.push(`(m.title ILIKE ${text} OR m.purpose ILIKE ${text})`);
      otherFilters = true;
    }
    const limit = param(q.pageSize);
    const offset = param((q.page - 1) * q.pageSize);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    let sql: string;
    if (!otherFilters && orgs.length <= 1) {
      const total = orgs.length
        ? `SELECT count(*) FROM memorandum_organisations mo WHERE mo.organisation_id = ${orgs[0]}`
        : // Kept by triggers on memoranda (migration 1795006000000): 16 rows summed, not every memorandum counted.
          `SELECT coalesce(sum(total), 0)::bigint FROM memorandum_totals`;
      sql = `SELECT t.total, p.* FROM (${total}) t(total) LEFT JOIN LATERAL (
               SELECT ${SUMMARY_SQL} FROM memoranda m ${whereSql}
                ORDER BY m.created_at DESC, m.id LIMIT ${limit} OFFSET ${offset}) p ON true
              ORDER BY p."createdAt" DESC, p.id`;
    } else {
      sql = `WITH hits AS (SELECT m.id, m.created_at FROM memoranda m ${whereSql})
             SELECT t.total, p.* FROM (SELECT count(*) FROM hits) t(total) LEFT JOIN LATERAL (
               SELECT ${SUMMARY_SQL} FROM (SELECT h.id FROM hits h ORDER BY h.created_at DESC, h.id LIMIT ${limit} OFFSET ${offset}) h
                 JOIN memoranda m ON m.id = h.id) p ON true
              ORDER BY p."createdAt" DESC, p.id`;
    }
    // A named prepared statement: the filters give a few dozen texts at most, and the values are parameters.
    const rows = (await preparedQuery(this.db, sql, params)) as Array<{ total: string } & MemorandumSummary>;
    const items: MemorandumSummary[] = [];
    for (const { total: _, ...item } of rows) if (item.id !== null) items.push(item);
    return pageOf(items, Number(rows[0].total), q);
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
      staleTranslations: m.staleTranslations ?? [],
      templateId: m.templateId,
      templateVersion: m.templateVersion,
      orderedReview: m.orderedReview,
      signatureLevel: m.signatureLevel,
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
    await assertRevisionsIntact(this.db, id, rows);
    return { items: rows.map(revisionView) };
  }

  async revision(actor: Actor, id: string, number: number) {
    await this.visible(actor, id);
    const r = await this.frozen(id, number);
    await assertRevisionsIntact(this.db, id, [r]);
    return revisionView(r);
  }

  /** The exact bytes a frozen revision's hash is taken over, which a digital signature signs (docs/signatures.md). */
  async canonical(actor: Actor, id: string, number: number): Promise<{ bytes: Buffer; hash: string }> {
    await this.visible(actor, id);
    const revision = await this.frozen(id, number);
    return { bytes: await frozenRevisionBytes(this.db.manager, this.commitments, revision), hash: revision.hash! };
  }

  async diff(actor: Actor, id: string, a: number, b: number, language?: string) {
    await this.visible(actor, id);
    const [ra, rb] = [await this.frozen(id, a), await this.frozen(id, b)];
    await assertRevisionsIntact(this.db, id, [ra, rb]);
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
    const sections = this.diffSections(
      { ...ra, parties: ra.parties ?? [] },
      { ...rb, parties: rb.parties ?? [] },
      names,
      language,
    );
    return {
      from: { number: a, hash: ra.hash },
      to: { number: b, hash: rb.hash },
      identical: ra.hash === rb.hash,
      lineByLine: d.lineByLine,
      added: d.added,
      removed: d.removed,
      patch: d.patch,
      sections,
    };
  }

  /**
   * The diff in labelled parts, for a reader: the terms and parties, then each language's title,
   * purpose and body (the later revision's original language first). Each part's patch holds only
   * the text itself, so no label or language marker is shown as if it were a changed line.
   */
  private diffSections(a: RevisionTerms, b: RevisionTerms, names: Record<string, string>, language?: string) {
    const part = (section: string, language: string | null, from: string, to: string) => {
      const d = this.diffs.diff(`${section}\t${language ?? ''}\ta`, `${section}\t${language ?? ''}\tb`, from, to);
      return { section, language, ...d, changed: from !== to };
    };
    const languages = language
      ? [language]
      : [
          b.language,
          a.language,
          ...Object.keys(b.translations?.texts ?? {}),
          ...Object.keys(a.translations?.texts ?? {}),
        ]
          .filter((l, i, all) => all.indexOf(l) === i)
          .filter((l) => textIn(a, l) || textIn(b, l));
    const out = [part('terms', null, renderTermsOnly(a, names), renderTermsOnly(b, names))];
    for (const l of languages) {
      const [x, y] = [textIn(a, l), textIn(b, l)];
      for (const f of ['title', 'purpose', 'body'] as const)
        out.push(part(f, l, (x?.[f] ?? '').normalize('NFC'), (y?.[f] ?? '').normalize('NFC')));
    }
    return out;
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

  /** The DER CMS of a digital signature on the memorandum; 404 for any other signature. */
  async signatureCms(actor: Actor, id: string, signatureId: string): Promise<Buffer> {
    await this.visible(actor, id);
    const s = await this.db.getRepository(MemorandumSignature).findOneBy({ id: signatureId, memorandumId: id });
    if (!s?.cms) throw ApiError.notFound('Digital signature', signatureId);
    return s.cms;
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
