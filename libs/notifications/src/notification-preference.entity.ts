import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const EMAIL_MODES = ['each', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** The local hour of the daily digest of a user who never chose one. */
export const DEFAULT_DIGEST_HOUR = 9;

/**
 * A user's choice of channels for notices sent at once (NOTICE_TOPICS). In-app notices always arrive; e-mail comes
 * for each notice, in one daily digest at `digestHour` (the user's local hour), or not at all (`emailMode`), and can
 * be turned off for some kinds (`mutedTopics`). `email` is the older on/off switch, kept equal to
 * `emailMode <> 'off'`. Reminders and escalations are not affected. A user without a row gets every notice by e-mail.
 */
@Entity('notification_preferences')
@Check('notification_preferences_email_mode_check', `"email_mode" IN ('each', 'digest', 'off')`)
@Check('notification_preferences_digest_hour_check', `"digest_hour" BETWEEN 0 AND 23`)
export class NotificationPreference {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean', default: true })
  email: boolean;

  @Column({ type: 'varchar', length: 8, default: 'each' })
  emailMode: EmailMode;

  @Column({ type: 'smallint', default: DEFAULT_DIGEST_HOUR })
  digestHour: number;

  @Column({ type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  mutedTopics: string[];

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
