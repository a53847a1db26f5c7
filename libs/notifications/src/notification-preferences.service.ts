import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@kelisim/platform';
import { DEFAULT_DIGEST_HOUR, EmailMode, NotificationPreference } from './notification-preference.entity';
import { NoticeTopic } from './templates';

export interface NotificationPreferencesView {
  /** The older switch: `emailMode` is not `off`. */
  email: boolean;
  emailMode: EmailMode;
  digestHour: number;
  mutedTopics: string[];
}

/** Who of some recipients gets a notice's e-mail later in the digest, and who not at all. */
export interface EmailChoice {
  off: Set<string>;
  digest: Set<string>;
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
    const emailMode = row?.emailMode ?? 'each';
    return {
      email: emailMode !== 'off',
      emailMode,
      digestHour: row?.digestHour ?? DEFAULT_DIGEST_HOUR,
      mutedTopics: row?.mutedTopics ?? [],
    };
  }

  /**
   * Replaces the user's choices (absent fields keep theirs). `emailMode` wins over `email`; `email: false` alone is
   * `off`, `email: true` alone turns an `off` into `each` and keeps `each` or `digest`.
   */
  async set(
    userId: string,
    change: Partial<Omit<NotificationPreferencesView, 'email'>> & { email?: boolean },
  ): Promise<NotificationPreferencesView> {
    const current = await this.get(userId);
    const emailMode: EmailMode =
      change.emailMode ??
      (change.email === false
        ? 'off'
        : change.email === true && current.emailMode === 'off'
          ? 'each'
          : current.emailMode);
    const next = {
      email: emailMode !== 'off',
      emailMode,
      digestHour: change.digestHour ?? current.digestHour,
      mutedTopics: [...new Set(change.mutedTopics ?? current.mutedTopics)].sort(),
    };
    await this.db
      .createQueryBuilder()
      .insert()
      .into(NotificationPreference)
      .values({ userId, ...next, updatedAt: this.clock.now() })
      .orUpdate(['email', 'email_mode', 'digest_hour', 'muted_topics', 'updated_at'], ['user_id'])
      .execute();
    return next;
  }

  /** Of `userIds`, those who do not want `topic` by e-mail, and those who want it in their daily digest. */
  async emailChoice(m: EntityManager, userIds: string[], topic: NoticeTopic): Promise<EmailChoice> {
    const choice: EmailChoice = { off: new Set(), digest: new Set() };
    if (!userIds.length) return choice;
    const rows = (await m.query(
      `SELECT user_id AS id, (email_mode = 'off' OR $2 = ANY(muted_topics)) AS off FROM notification_preferences
        WHERE user_id = ANY($1::uuid[]) AND (email_mode <> 'each' OR $2 = ANY(muted_topics))`,
      [userIds, topic],
    )) as { id: string; off: boolean }[];
    for (const r of rows) (r.off ? choice.off : choice.digest).add(r.id);
    return choice;
  }
}
