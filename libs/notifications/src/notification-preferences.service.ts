import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@kelisim/platform';
import { NotificationPreference } from './notification-preference.entity';
import { NoticeTopic } from './templates';

export interface NotificationPreferencesView {
  email: boolean;
  mutedTopics: string[];
}

/** The signed-in user's channels for notices sent at once; read by the notices' reactions. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async get(userId: string): Promise<NotificationPreferencesView> {
    const row = await this.db.getRepository(NotificationPreference).findOneBy({ userId });
    return { email: row?.email ?? true, mutedTopics: row?.mutedTopics ?? [] };
  }

  /** Replaces the user's choices (absent fields keep theirs). */
  async set(userId: string, change: Partial<NotificationPreferencesView>): Promise<NotificationPreferencesView> {
    const current = await this.get(userId);
    const next = {
      email: change.email ?? current.email,
      mutedTopics: [...new Set(change.mutedTopics ?? current.mutedTopics)].sort(),
    };
    await this.db
      .createQueryBuilder()
      .insert()
      .into(NotificationPreference)
      .values({ userId, ...next, updatedAt: this.clock.now() })
      .orUpdate(['email', 'muted_topics', 'updated_at'], ['user_id'])
      .execute();
    return next;
  }

  /** Of `userIds`, those who do not want `topic` by e-mail. */
  async emailOff(m: EntityManager, userIds: string[], topic: NoticeTopic): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = (await m.query(
      `SELECT user_id AS id FROM notification_preferences
        WHERE user_id = ANY($1::uuid[]) AND (NOT email OR $2 = ANY(muted_topics))`,
      [userIds, topic],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}
