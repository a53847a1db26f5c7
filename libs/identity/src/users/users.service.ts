import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { ApiError, isIanaTimeZone, Page, pageOf } from '@kelisim/platform';
import { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/secrets';
import { escapeLike } from '../organisations/organisations.service';
import { Organisation } from '../organisations/organisation.entity';
import { User } from './user.entity';
import { ChangePasswordDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './user.dto';

/** The only writer of users (but for login bookkeeping, owned by AuthService). */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
  ) {}

  async create(dto: CreateUserDto): Promise<User> {
    checkTimeZone(dto.timeZone);
    const email = dto.email.toLowerCase();
    const organisation = await this.db.getRepository(Organisation).findOneBy({ id: dto.organisationId });
    if (!organisation)
      throw ApiError.unprocessable('organisation_not_found', `Organisation ${dto.organisationId} does not exist`, [
        { field: 'organisationId', message: 'no such organisation' },
      ]);
    if (await this.db.getRepository(User).existsBy({ email })) {
      throw ApiError.conflict('email_taken', `A user with e-mail ${email} already exists`, { field: 'email' });
    }
    const saved = await this.db.getRepository(User).save({
      fullName: dto.fullName,
      email,
      passwordHash: await hashPassword(dto.password),
      organisationId: dto.organisationId,
      roles: dto.roles,
      language: dto.language,
      timeZone: dto.timeZone ?? null,
      iin: dto.iin ?? null,
    });
    return this.get(saved.id);
  }

  async list(q: ListUsersQuery, restrictToOrganisationId?: string): Promise<Page<User>> {
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .orderBy('u.full_name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize);
    const organisationId = restrictToOrganisationId ?? q.organisationId;
    if (organisationId) qb.andWhere('u.organisation_id = :organisationId', { organisationId });
    if (q.q)
      qb.andWhere(
        new Brackets((w) =>
          w.where('u.full_name ILIKE :q', { q: `%${escapeLike(q.q!)}%` }).orWhere('u.email ILIKE :q'),
        ),
      );
    if (q.role) qb.andWhere(':role = ANY(u.roles)', { role: q.role });
    if (q.active) qb.andWhere('u.active = :active', { active: q.active === 'true' });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<User> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw ApiError.notFound('User', id);
    return user;
  }

  async update(id: string, dto: UpdateUserDto): Promise<User> {
    await this.get(id);
    checkTimeZone(dto.timeZone);
    if (
      dto.organisationId !== undefined &&
      !(await this.db.getRepository(Organisation).existsBy({ id: dto.organisationId }))
    )
      throw ApiError.unprocessable('organisation_not_found', `Organisation ${dto.organisationId} does not exist`, [
        { field: 'organisationId', message: 'no such organisation' },
      ]);
    const patch: Partial<User> = {};
    if (dto.organisationId !== undefined) patch.organisationId = dto.organisationId;
    if (dto.fullName !== undefined) patch.fullName = dto.fullName;
    if (dto.email !== undefined) patch.email = dto.email.toLowerCase();
    if (dto.roles !== undefined) patch.roles = dto.roles;
    if (dto.language !== undefined) patch.language = dto.language;
    if (dto.timeZone !== undefined) patch.timeZone = dto.timeZone;
    if (dto.iin !== undefined) patch.iin = dto.iin;
    if (dto.active !== undefined) patch.active = dto.active;
    if (dto.password !== undefined) patch.passwordHash = await hashPassword(dto.password);
    if (
      patch.email &&
      (await this.db
        .getRepository(User)
        .createQueryBuilder('u')
        .where('u.email = :e AND u.id <> :id', { e: patch.email, id })
        .getExists())
    ) {
      throw ApiError.conflict('email_taken', `A user with e-mail ${patch.email} already exists`, { field: 'email' });
    }
    await this.db.transaction(async (m) => {
      if (Object.keys(patch).length) await m.getRepository(User).update({ id }, patch);
    });
    if (dto.active === false || dto.password !== undefined || patch.organisationId !== undefined)
      await this.auth.revokeAll(id);
    return this.get(id);
  }

  /**
   * An admin's reset: a new random password, answered once and stored only as its hash, that the
   * user must change at their next sign-in (`mustChangePassword`); every session and token of the
   * user stops working (the password's change moves their credential generation).
   */
  async resetPassword(id: string, adminUserId: string): Promise<{ temporaryPassword: string }> {
    if (id === adminUserId)
      throw ApiError.conflict(
        'own_password_reset',
        'An admin changes their own password on their profile (POST /me/password), not by a reset',
      );
    await this.get(id);
    const temporaryPassword = randomBytes(12).toString('base64url');
    await this.db
      .getRepository(User)
      .update({ id }, { passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true });
    await this.auth.revokeAll(id);
    return { temporaryPassword };
  }

  /**
   * The user's own change: the current password is checked (counted like a sign-in), the new one
   * must differ; clears `mustChangePassword`. Every session and token of the user stops working,
   * the caller's included: the caller issues the new session.
   */
  async changeOwnPassword(userId: string, dto: ChangePasswordDto, address?: string): Promise<User> {
    if (!(await this.auth.checkPassword(userId, dto.currentPassword, address)))
      throw ApiError.unprocessable('wrong_current_password', 'currentPassword: is not your current password', [
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
    if (dto.newPassword === dto.currentPassword)
      throw ApiError.unprocessable('same_password', 'newPassword: must differ from the current password', [
        { field: 'newPassword', message: 'must differ from the current password' },
      ]);
    await this.db
      .getRepository(User)
      .update({ id: userId }, { passwordHash: await hashPassword(dto.newPassword), mustChangePassword: false });
    await this.auth.revokeAll(userId);
    return this.get(userId);
  }
}

/** Refused as a memorandum's zone is: 422 with the field. `null` (use the memorandum's) is fine. */
function checkTimeZone(zone: string | null | undefined): void {
  if (zone === undefined || zone === null || isIanaTimeZone(zone)) return;
  throw ApiError.unprocessable('invalid_time_zone', 'timeZone: must be an IANA time zone such as Asia/Almaty', [
    { field: 'timeZone', message: 'must be an IANA time zone such as Asia/Almaty' },
  ]);
}
