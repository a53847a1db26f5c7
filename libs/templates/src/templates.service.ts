/**
 * Templates: organisation-owned or shared memorandum templates, versioned (an edit adds a version),
 * and memoranda made from one with values for its placeholders. Visible to the owner organisation,
 * to every organisation when shared or shipped with Kelisim (no owner), and to admins.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { Commitment, CommitmentsService } from '@kelisim/commitments';
import { Actor, hasRole, Role } from '@kelisim/identity';
import {
  Memorandum,
  MemorandumTransitionsService,
  prefixFieldErrors,
  RequestMeta,
  toTranslations,
} from '@kelisim/memoranda';
import type { PutReminderPoliciesDto } from '@kelisim/reminders';
import { ApiError, Clock, Page, pageOf } from '@kelisim/platform';
import { CreateTemplateDto, FromTemplateDto, ListTemplatesQuery, UpdateTemplateDto } from './template.dto';
import { CommitmentBlueprint, MemorandumTemplate, TemplateInstance, TemplateVersion } from './template.entity';
import { assertValidContent, instantiate, TemplateContent } from './template-rules';
import { BlueprintCommitment, blueprintCommitments } from './blueprint-commitments';
import { summary, view } from './template-views';

/** Plain JSON data: class instances from validation would otherwise carry their prototypes. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The texts as stored: only the languages sent, each with title, purpose and body. */
function textsOf(dto: CreateTemplateDto['texts']): TemplateContent['texts'] {
  const any = toTranslations({ texts: dto }, '-', 'texts');
  return any?.texts ?? {};
}

@Injectable()
export class TemplatesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly transitions: MemorandumTransitionsService,
    private readonly commitments: CommitmentsService,
  ) {}

  async list(actor: Actor, q: ListTemplatesQuery): Promise<Page<ReturnType<typeof summary>>> {
    const qb = this.db
      .getRepository(MemorandumTemplate)
      .createQueryBuilder('t')
      .orderBy('t.name', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    if (!hasRole(actor, Role.Admin))
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('t.organisation_id IS NULL')
            .orWhere('t.shared')
            .orWhere('t.organisation_id = :own', { own: actor.organisationId }),
        ),
      );
    if (q.q) qb.andWhere('t.name ILIKE :q', { q: `%${escapeLike(q.q)}%` });
    const [items, total] = await qb.getManyAndCount();
    const versions = items.length
      ? await this.db
          .getRepository(TemplateVersion)
          .createQueryBuilder('v')
          .innerJoin(MemorandumTemplate, 't', 't.id = v.template_id AND t.current_version = v.version')
          .where('v.template_id IN (:...ids)', { ids: items.map((t) => t.id) })
          .getMany()
      : [];
    return pageOf(
      items.map((t) =>
        summary(
          t,
          versions.find((v) => v.templateId === t.id)!,
        ),
      ),
      total,
      q,
    );
  }

  async get(actor: Actor, id: string, version?: number) {
    const t = await this.visible(this.db.manager, actor, id);
    return view(t, await this.version(this.db.manager, t, version));
  }

  async create(actor: Actor, dto: CreateTemplateDto) {
    const content = this.content(dto);
    assertValidContent(content);
    const now = this.clock.now();
    const id = await this.db.transaction(async (manager) => {
      const t = await manager.getRepository(MemorandumTemplate).save(
        manager.getRepository(MemorandumTemplate).create({
          organisationId: actor.organisationId,
          shared: dto.shared ?? false,
          name: content.name,
          currentVersion: 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.insertVersion(manager, t.id, 1, content, actor, now);
      return t.id;
    });
    return this.get(actor, id);
  }

  /** A new version from the previous one and the fields sent; the row lock orders concurrent edits. */
  async update(actor: Actor, id: string, dto: UpdateTemplateDto) {
    await this.db.transaction(async (manager) => {
      const t = await this.visible(manager, actor, id, true);
      const isOwner = t.organisationId !== null && t.organisationId === actor.organisationId;
      if (!hasRole(actor, Role.Admin) && !(isOwner && hasRole(actor, Role.Coordinator)))
        throw ApiError.forbidden(
          "Only the owner organisation's coordinators (or an admin) edit a template",
          'not_owner',
        );
      const previous = await this.version(manager, t, undefined);
      const content: TemplateContent = {
        name: dto.name ?? previous.name,
        language: dto.language ?? previous.language,
        texts: dto.texts ? textsOf(dto.texts) : previous.texts,
        placeholders: dto.placeholders ? this.placeholders(dto.placeholders) : previous.placeholders,
        defaults: dto.defaults ? plain(dto.defaults) : previous.defaults,
        commitmentBlueprints: dto.commitmentBlueprints
          ? this.blueprints(dto.commitmentBlueprints)
          : previous.commitmentBlueprints,
      };
      assertValidContent(content);
      const now = this.clock.now();
      const next = t.currentVersion + 1;
      await this.insertVersion(manager, t.id, next, content, actor, now);
      await manager
        .getRepository(MemorandumTemplate)
        .update(
          { id: t.id },
          { currentVersion: next, name: content.name, shared: dto.shared ?? t.shared, updatedAt: now },
        );
    });
    return this.get(actor, id);
  }

  /**
   * A draft memorandum from a template version, recording the version, with the parties given and, when
   * parties (or leads) are given, the blueprints as its text commitments: one transaction, so a refusal
   * (a placeholder, a party, a lead, a date) leaves nothing written.
   */
  async createMemorandum(
    actor: Actor,
    dto: FromTemplateDto,
    meta: RequestMeta,
  ): Promise<{
    memorandum: Memorandum;
    commitments: Array<Commitment & { blueprintKey: string }>;
    reminderPolicies: PutReminderPoliciesDto | null;
  }> {
    const t = await this.visible(this.db.manager, actor, dto.templateId, false, 'templateId');
    const v = await this.version(this.db.manager, t, dto.version);
    const { dto: terms, blueprints, values } = instantiate(v, dto.values ?? {}, dto.coordinatingOrganisationId);
    const parties = dto.parties ?? [];
    const partyIds = parties.map((p) => p.organisationId.toLowerCase());
    const twice = partyIds.findIndex((p, i) => partyIds.indexOf(p) !== i);
    if (twice >= 0)
      throw ApiError.unprocessable('duplicate_party', 'An organisation is given twice as a party', [
        { field: `parties[${twice}].organisationId`, message: 'is already a party above' },
      ]);
    let planned: BlueprintCommitment[] = [];
    if (dto.parties !== undefined || dto.blueprintLeads !== undefined) {
      const { commitments, problems } = blueprintCommitments(blueprints, dto.blueprintLeads ?? [], {
        partyIds,
        coordinatingOrganisationId: dto.coordinatingOrganisationId,
        effectiveDate: terms.effectiveDate ?? null,
      });
      if (problems.length)
        throw ApiError.unprocessable(
          'invalid_blueprint_leads',
          problems.map((p) => `${p.field}: ${p.message}`).join('; '),
          problems,
        );
      planned = commitments;
    }
    const made: Array<Commitment & { blueprintKey: string }> = [];
    const memorandum = await this.transitions.create(actor, terms, meta, {
      templateId: t.id,
      templateVersion: v.version,
      parties,
      record: async (manager, memorandumId) => {
        await manager.getRepository(TemplateInstance).insert({
          memorandumId,
          templateId: t.id,
          templateVersion: v.version,
          values,
          commitmentBlueprints: blueprints,
          createdAt: this.clock.now(),
        });
        for (const { key, ...c } of planned) {
          try {
            made.push(
              // A new draft: the commitment is the draft's own, never an amendment's proposal.
              Object.assign((await this.commitments.createIn(manager, actor, memorandumId, c, meta)) as Commitment, {
                blueprintKey: key,
              }),
            );
          } catch (e) {
            throw prefixFieldErrors(e, `commitmentBlueprints.${key}`);
          }
        }
      },
    });
    return { memorandum, commitments: made, reminderPolicies: v.defaults.reminderPolicies ?? null };
  }

  private content(dto: CreateTemplateDto): TemplateContent {
    return {
      name: dto.name,
      language: dto.language,
      texts: textsOf(dto.texts),
      placeholders: this.placeholders(dto.placeholders ?? []),
      defaults: plain(dto.defaults ?? {}),
      commitmentBlueprints: this.blueprints(dto.commitmentBlueprints ?? []),
    };
  }

  /** Plain data (class instances would store their prototypes' defaults too). */
  private placeholders(list: NonNullable<CreateTemplateDto['placeholders']>): TemplateContent['placeholders'] {
    return list.map(plain);
  }

  private blueprints(list: NonNullable<CreateTemplateDto['commitmentBlueprints']>): CommitmentBlueprint[] {
    return list.map(plain);
  }

  private async insertVersion(
    manager: EntityManager,
    templateId: string,
    version: number,
    c: TemplateContent,
    actor: Actor,
    now: Date,
  ): Promise<void> {
    await manager.getRepository(TemplateVersion).insert({
      templateId,
      version,
      name: c.name,
      language: c.language,
      texts: c.texts,
      placeholders: c.placeholders,
      defaults: c.defaults,
      commitmentBlueprints: c.commitmentBlueprints,
      createdByUserId: actor.userId,
      createdAt: now,
    });
  }

  private async visible(
    manager: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
    field?: string,
  ): Promise<MemorandumTemplate> {
    const qb = manager.getRepository(MemorandumTemplate).createQueryBuilder('t').where('t.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const t = await qb.getOne();
    const sees =
      t &&
      (hasRole(actor, Role.Admin) ||
        t.organisationId === null ||
        t.shared ||
        t.organisationId === actor.organisationId);
    if (sees) return t;
    if (field)
      throw ApiError.unprocessable('template_not_found', `Template ${id} does not exist`, [
        { field, message: 'no such template visible to you' },
      ]);
    throw ApiError.notFound('Template', id);
  }

  private async version(manager: EntityManager, t: MemorandumTemplate, version?: number): Promise<TemplateVersion> {
    const v = await manager
      .getRepository(TemplateVersion)
      .findOneBy({ templateId: t.id, version: version ?? t.currentVersion });
    if (!v) throw ApiError.notFound('Template version', String(version));
    return v;
  }
}
