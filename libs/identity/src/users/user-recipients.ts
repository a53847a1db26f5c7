/**
 * The identity side of reminders' Recipients port (libs/reminders): active users by role and
 * organisation, or by id. Typed structurally; the apps bind it with `RemindersModule.register`.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { User } from './user.entity';

export interface UserRecipient {
  id: string;
  email: string;
  language: string;
  timeZone: string | null;
}

const COLUMNS = ['u.id AS id', 'u.email AS email', 'u.language AS language', 'u.time_zone AS "timeZone"'];

@Injectable()
export class UserRecipients {
  async withRole(m: EntityManager, role: string, organisationIds?: string[]): Promise<UserRecipient[]> {
    if (organisationIds && !organisationIds.length) return [];
    const q = m
      .getRepository(User)
      .createQueryBuilder('u')
      .select(COLUMNS)
      .where('u.active')
      .andWhere(':role = ANY(u.roles)', { role });
    if (organisationIds) q.andWhere('u.organisation_id IN (:...orgs)', { orgs: organisationIds });
    return q.orderBy('u.id').getRawMany();
  }

  /** `withRole` for each of many organisations, in one statement (organisations without such users are absent). */
  async withRoleByOrganisation(
    m: EntityManager,
    role: string,
    organisationIds: string[],
  ): Promise<Map<string, UserRecipient[]>> {
    const byOrg = new Map<string, UserRecipient[]>();
    if (!organisationIds.length) return byOrg;
    const rows = (await m.query(
      `SELECT u.id, u.email, u.language, u.time_zone AS "timeZone", u.organisation_id AS "organisationId"
         FROM users u WHERE u.active AND $1 = ANY(u.roles) AND u.organisation_id = ANY($2::uuid[]) ORDER BY u.id`,
      [role, organisationIds],
    )) as (UserRecipient & { organisationId: string })[];
    for (const { organisationId, ...user } of rows)
      byOrg.set(organisationId, [...(byOrg.get(organisationId) ?? []), user]);
    return byOrg;
  }

  async byIds(m: EntityManager, ids: string[]): Promise<UserRecipient[]> {
    if (!ids.length) return [];
    return m
      .getRepository(User)
      .createQueryBuilder('u')
      .select(COLUMNS)
      .where('u.active')
      .andWhere('u.id IN (:...ids)', { ids })
      .orderBy('u.id')
      .getRawMany();
  }
}
