import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, Clock } from '@kelisim/platform';
import {
  effectivePolicy,
  POLICY_KINDS,
  PolicyKind,
  PolicyOverride,
  validatePolicy,
  DEFAULT_POLICIES,
} from './policies';
import { MemorandumDirectory } from './memorandum-directory.port';
import { ReminderPolicy } from './reminder-policy.entity';

export interface PolicyActor {
  userId: string;
  organisationId: string;
  roles: string[];
}

/** Reminder policies of a memorandum: read by its coordinators and supervisors, changed by its coordinators. */
@Injectable()
export class ReminderPoliciesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly directory: MemorandumDirectory,
  ) {}

  private async coordinatingOrganisation(memorandumId: string): Promise<string> {
    const organisationId = await this.directory.coordinatingOrganisation(this.db.manager, memorandumId);
    if (!organisationId) throw ApiError.notFound('Memorandum', memorandumId);
    return organisationId;
  }

  private async authorise(memorandumId: string, actor: PolicyActor, write: boolean) {
    const org = await this.coordinatingOrganisation(memorandumId);
    const coordinator = actor.roles.includes('coordinator') && actor.organisationId === org;
    if (coordinator || (!write && (actor.roles.includes('supervisor') || actor.roles.includes('admin')))) return;
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

  /** Body: `{ items: [{ kind, enabled?, intervalDays?, maxCount?, offsetsDays?, escalateTo? }] }`; a kind left out keeps its value. Applies to reminders scheduled from now on. */
  async put(memorandumId: string, actor: PolicyActor, body: unknown) {
    await this.authorise(memorandumId, actor, true);
    const items = (body as { items?: unknown })?.items;
    if (!Array.isArray(items) || !items.length)
      throw ApiError.validation([{ field: 'items', message: 'must be a non-empty array of policies' }]);
    const errors = items.flatMap((p, i) =>
      (typeof p !== 'object' || !p
        ? [{ field: 'kind', message: 'must be an object' }]
        : validatePolicy((p as { kind: string }).kind, p as PolicyOverride)
      ).map((e) => ({ field: `items[${i}].${e.field}`, message: e.message })),
    );
    if (errors.length) throw ApiError.validation(errors);
    await this.db.transaction(async (m) => {
      for (const p of items as (PolicyOverride & { kind: PolicyKind })[]) {
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
