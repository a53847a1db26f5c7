import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, Clock } from '@kelisim/platform';
import { effectivePolicy, POLICY_KINDS, PolicyOverride, validatePolicy, DEFAULT_POLICIES } from './policies';
import { MemorandumDirectory, Reader } from './memorandum-directory.port';
import { PutReminderPoliciesDto } from './reminder-policy.dto';
import { ReminderPolicy } from './reminder-policy.entity';

export type PolicyActor = Reader;

/** Reminder policies of a memorandum: read by its coordinators and supervisors, changed by its coordinators. */
@Injectable()
export class ReminderPoliciesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly directory: MemorandumDirectory,
  ) {}

  /**
   * 404 unless the actor may see the memorandum (the memoranda's one visibility rule, through the
   * directory), so an invisible memorandum answers as a random id does; 403 only to those who see
   * it but may not do this: the coordinating organisation's coordinators read and change, the
   * supervisors and admins who see it read.
   */
  private async authorise(memorandumId: string, actor: PolicyActor, write: boolean) {
    const facts = await this.directory.visibleFacts(this.db.manager, memorandumId, actor);
    if (!facts) throw ApiError.notFound('Memorandum', memorandumId);
    const overseer = actor.roles.includes('supervisor') || actor.roles.includes('admin');
    const coordinator =
      actor.roles.includes('coordinator') && actor.organisationId === facts.coordinatingOrganisationId;
    if (coordinator || (!write && overseer)) return;
    throw ApiError.forbidden(
      write
        ? 'Only a coordinator of the coordinating organisation may change reminder policies'
        : 'Only the coordinating organisation and supervisors may read reminder policies',
      'not_coordinator',
    );
  }

  async get(memorandumId: string, actor: PolicyActor) {
    await this.authorise(memorandumId, actor, false);
    return this.effective(memorandumId);
  }

  private async effective(memorandumId: string) {
    const rows = await this.db.getRepository(ReminderPolicy).findBy({ memorandumId });
    return {
      memorandumId,
      items: POLICY_KINDS.map((kind) => {
        const row = rows.find((r) => r.kind === kind);
        return { ...effectivePolicy(kind, row), isDefault: !row, updatedAt: row?.updatedAt ?? null };
      }),
      defaults: POLICY_KINDS.map((k) => DEFAULT_POLICIES[k]),
    };
  }

  /** A kind left out keeps its value. Applies to reminders scheduled from now on. */
  async put(memorandumId: string, actor: PolicyActor, body: PutReminderPoliciesDto) {
    await this.authorise(memorandumId, actor, true);
    const items = body.items;
    const errors = items.flatMap((p, i) =>
      validatePolicy(p.kind, p).map((e) => ({ field: `items[${i}].${e.field}`, message: e.message })),
    );
    items.forEach((p, i) => {
      if (items.findIndex((q) => q.kind === p.kind) !== i) {
        errors.push({ field: `items[${i}].kind`, message: 'each kind at most once' });
      }
    });
    if (errors.length) throw ApiError.validation(errors);
    await this.db.transaction(async (m) => {
      for (const p of items) {
        const merged = effectivePolicy(p.kind, {
          ...(await m.getRepository(ReminderPolicy).findOneBy({ memorandumId, kind: p.kind })),
          ...p,
        } as PolicyOverride);
        await m
          .createQueryBuilder()
          .insert()
          .into(ReminderPolicy)
          .values({
            memorandumId,
            kind: p.kind,
            enabled: merged.enabled,
            intervalDays: merged.intervalDays,
            maxCount: merged.maxCount,
            offsetsDays: merged.offsetsDays,
            escalateTo: merged.escalateTo,
            updatedBy: actor.userId,
            updatedAt: this.clock.now(),
          })
          .orUpdate(
            ['enabled', 'interval_days', 'max_count', 'offsets_days', 'escalate_to', 'updated_by', 'updated_at'],
            ['memorandum_id', 'kind'],
          )
          .execute();
      }
    });
    return this.effective(memorandumId);
  }
}
