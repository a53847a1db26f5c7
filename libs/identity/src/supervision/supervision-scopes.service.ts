/** Admins assign supervisors their scopes; the actor of a supervisor carries them (actor.ts `supervision`). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, Clock, Page, pageOf, PageQuery } from '@kelisim/platform';
import { Actor, Supervision } from '../access/actor';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';
import { Role } from '../vocabulary';
import { SupervisionScope, SupervisionScopeKind as Kind } from './supervision-scope.entity';

export function scopeView(s: SupervisionScope) {
  return {
    id: s.id,
    supervisorUserId: s.supervisorUserId,
    kind: s.kind,
    organisationId: s.organisationId,
    memorandumId: s.memorandumId,
    createdAt: s.createdAt,
  };
}

@Injectable()
export class SupervisionScopesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * `memorandumExists` is asked by the caller (memoranda live above identity). The kind may be left
   * out when one id is given (it follows from it); `global` takes neither id.
   */
  async create(
    actor: Actor,
    input: { supervisorUserId: string; kind?: Kind; organisationId?: string; memorandumId?: string },
    memorandumExists: (id: string) => Promise<boolean>,
  ) {
    const kind = kindOf(input);
    const user = await this.db.getRepository(User).findOneBy({ id: input.supervisorUserId });
    if (!user) throw ApiError.validation([{ field: 'supervisorUserId', message: 'no such user' }], 422);
    if (!user.roles.includes(Role.Supervisor))
      throw ApiError.validation([{ field: 'supervisorUserId', message: 'is not a supervisor' }], 422);
    if (input.organisationId && !(await this.db.getRepository(Organisation).existsBy({ id: input.organisationId })))
      throw ApiError.validation([{ field: 'organisationId', message: 'no such organisation' }], 422);
    if (input.memorandumId && !(await memorandumExists(input.memorandumId)))
      throw ApiError.validation([{ field: 'memorandumId', message: 'no such memorandum' }], 422);
    const res = await this.db
      .createQueryBuilder()
      .insert()
      .into(SupervisionScope)
      .values({
        supervisorUserId: input.supervisorUserId,
        kind,
        organisationId: input.organisationId ?? null,
        memorandumId: input.memorandumId ?? null,
        createdByUserId: actor.userId,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .returning('*')
      .execute();
    if (!(res.raw as unknown[]).length)
      throw ApiError.conflict('scope_exists', 'The supervisor already has this scope');
    return scopeView(
      (await this.db.getRepository(SupervisionScope).findOneBy({ id: (res.raw as { id: string }[])[0].id }))!,
    );
  }

  async list(q: PageQuery & { supervisorUserId?: string }): Promise<Page<ReturnType<typeof scopeView>>> {
    const [rows, total] = await this.db.getRepository(SupervisionScope).findAndCount({
      where: q.supervisorUserId ? { supervisorUserId: q.supervisorUserId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(rows.map(scopeView), total, q);
  }

  async remove(id: string): Promise<void> {
    const res = await this.db.getRepository(SupervisionScope).delete({ id });
    if (!res.affected) throw ApiError.notFound('Supervision scope', id);
  }

  /** The scope an actor carries: undefined for non-supervisors and for supervisors without any scope (who see nothing). */
  static async scopeOf(db: DataSource, userId: string, roles: Role[]): Promise<Supervision | undefined> {
    if (!roles.includes(Role.Supervisor)) return undefined;
    const rows: { kind: Kind; organisation_id: string | null; memorandum_id: string | null }[] = await db.query(
      'SELECT kind, organisation_id, memorandum_id FROM supervision_scopes WHERE supervisor_user_id = $1',
      [userId],
    );
    if (!rows.length) return undefined;
    return {
      global: rows.some((r) => r.kind === Kind.Global),
      organisationIds: rows.flatMap((r) => (r.organisation_id ? [r.organisation_id] : [])),
      memorandumIds: rows.flatMap((r) => (r.memorandum_id ? [r.memorandum_id] : [])),
    };
  }
}

/** The scope's kind from what was given; 422 naming the field when the ids do not fit the kind. */
function kindOf(input: { kind?: Kind; organisationId?: string; memorandumId?: string }): Kind {
  const refuse = (field: string, message: string) => ApiError.validation([{ field, message }], 422);
  const kind =
    input.kind ?? (input.organisationId ? Kind.Organisation : input.memorandumId ? Kind.Memorandum : undefined);
  if (!kind) throw refuse('kind', 'give kind global, or organisationId or memorandumId');
  if (kind !== Kind.Organisation && input.organisationId)
    throw refuse('organisationId', `must not be given with kind ${kind}`);
  if (kind !== Kind.Memorandum && input.memorandumId)
    throw refuse('memorandumId', `must not be given with kind ${kind}`);
  if (kind === Kind.Organisation && !input.organisationId)
    throw refuse('organisationId', 'is required with kind organisation');
  if (kind === Kind.Memorandum && !input.memorandumId) throw refuse('memorandumId', 'is required with kind memorandum');
  return kind;
}
