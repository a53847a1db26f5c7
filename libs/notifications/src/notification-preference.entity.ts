import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A user's choice of channels for notices sent at once (NOTICE_TOPICS). In-app notices always arrive; e-mail can be
 * turned off for every notice (`email`) or for some kinds (`mutedTopics`). Reminders and escalations are not
 * affected. A user without a row gets every notice by e-mail.
 */
@Entity('notification_preferences')
export class NotificationPreference {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean', default: true })
  email: boolean;

  @Column({ type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  mutedTopics: string[];

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
