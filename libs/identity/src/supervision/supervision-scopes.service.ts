/** Admins assign supervisors their scopes; the actor of a scoped supervisor carries them (actor.ts `supervision`). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, Clock, Page, pageOf, PageQuery } from '@kelisim/platform';
import { Actor, hasRole } from '../access/actor';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';
import { Role } from '../vocabulary';
import { SupervisionScope } from './supervision-scope.entity';

export function scopeView(s: SupervisionScope) {
  return {
    id: s.id,
    supervisorUserId: s.supervisorUserId,
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

  /** `memorandumExists` is asked by the caller (memoranda live above identity). */
  async create(
    actor: Actor,
    input: { supervisorUserId: string; organisationId?: string; memorandumId?: string },
    memorandumExists: (id: string) => Promise<boolean>,
  ) {
    if (!!input.organisationId === !!input.memorandumId)
      throw ApiError.validation(
        [{ field: 'organisationId', message: 'give either organisationId or memorandumId' }],
        422,
      );
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

  /** The scope an actor carries: undefined for non-supervisors and for supervisors without any scope. */
  static async scopeOf(
    db: DataSource,
    userId: string,
    roles: Role[],
  ): Promise<{ organisationIds: string[]; memorandumIds: string[] } | undefined> {
    if (!roles.includes(Role.Supervisor)) return undefined;
    const rows: { organisation_id: string | null; memorandum_id: string | null }[] = await db.query(
      'SELECT organisation_id, memorandum_id FROM supervision_scopes WHERE supervisor_user_id = $1',
      [userId],
    );
    if (!rows.length) return undefined;
    return {
      organisationIds: rows.flatMap((r) => (r.organisation_id ? [r.organisation_id] : [])),
      memorandumIds: rows.flatMap((r) => (r.memorandum_id ? [r.memorandum_id] : [])),
    };
  }
}

export const isScopedSupervisor = (actor: Actor) => hasRole(actor, Role.Supervisor) && !!actor.supervision;
