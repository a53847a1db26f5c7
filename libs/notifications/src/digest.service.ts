import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, isIanaTimeZone, zonedDate, zonedParts } from '@kelisim/platform';
import { DeliveriesService } from './deliveries.service';
import { DeliveryChannel, DeliveryStatus } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { renderDigest } from './templates';

/** The delivery topic of a daily digest e-mail. */
export const DIGEST_TOPIC = 'notice_digest';
/** Notices listed in one digest at most (the oldest first); any more wait for the next day's. */
export const DIGEST_LIMIT = 200;

interface DigestUser {
  id: string;
  email: string;
  language: string;
  time_zone: string | null;
  digest_hour: number;
}

/**
 * The daily e-mail digest of the notices of users whose e-mail mode is `digest` (docs/notifications.md). A run (the
 * worker's `delivery.digests` job, repeated) finds the users whose local `digest_hour` has come today and who have no
 * digest for their local date yet; for each, one transaction records the digest (UNIQUE per user and day), marks the
 * unread notices left to it with its id and creates its e-mail delivery. A run repeated, or two at once, finds the
 * day's row and sends nothing; a crash before the commit leaves everything for the next run, one after it leaves a
 * pending delivery the reconciler sends. Nothing unread: the day's row records 0 notices and no e-mail goes out.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digests');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
    private readonly deliveries: DeliveriesService,
  ) {}

  /** Sends the digests that are due now. Returns how many e-mails it created. */
  async runDue(): Promise<{ sent: number; empty: number }> {
    const now = this.clock.now();
    // The last digest's day (text: a date is no instant), compared with the user's local date below.
    const users = (await this.db.query(
      `SELECT u.id, u.email, u.language, u.time_zone, p.digest_hour,
              (SELECT max(g.day)::text FROM notification_digests g WHERE g.user_id = u.id) AS last_day
         FROM notification_preferences p JOIN users u ON u.id = p.user_id
        WHERE p.email_mode = 'digest' AND u.active`,
    )) as (DigestUser & { last_day: string | null })[];
    const ids: string[] = [];
    let empty = 0;
    for (const u of users) {
      const zone = u.time_zone && isIanaTimeZone(u.time_zone) ? u.time_zone : this.settings.defaultTimeZone;
      const day = zonedDate(now, zone);
      if ((u.last_day && u.last_day >= day) || zonedParts(now, zone).hour < u.digest_hour) continue;
      const outcome = await this.digestOf(u, day);
      if (outcome === 'empty') empty++;
      else if (outcome) ids.push(outcome);
    }
    await this.deliveries.enqueue(ids);
    if (ids.length) this.logger.log(`Sent ${ids.length} daily digests`);
    return { sent: ids.length, empty };
  }

  /** The user's digest of `day`, once: the new e-mail delivery's id, 'empty', or null when the day has its digest. */
  private digestOf(u: DigestUser, day: string): Promise<string | 'empty' | null> {
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const [digest] = (await m.query(
        `INSERT INTO notification_digests (user_id, day, notice_count, created_at) VALUES ($1, $2, 0, $3)
         ON CONFLICT (user_id, day) DO NOTHING RETURNING id`,
        [u.id, day, now],
      )) as { id: string }[];
      if (!digest) return null;
      const notices = (await m.query(
        // A SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count].
        `WITH marked AS (
           UPDATE notifications n SET digest_id = $2
            WHERE n.id IN (SELECT id FROM notifications
                            WHERE user_id = $1 AND for_digest AND digest_id IS NULL AND read_at IS NULL
                            ORDER BY created_at, id LIMIT ${DIGEST_LIMIT} FOR UPDATE)
           RETURNING n.id, n.title, n.data->>'link' AS link, n.created_at
         )
         SELECT * FROM marked ORDER BY created_at, id`,
        [u.id, digest.id],
      )) as { id: string; title: string; link: string | null; created_at: Date }[];
      if (!notices.length) return 'empty';
      const message = renderDigest(
        u.language,
        notices.map((n) => ({ title: n.title, link: n.link })),
        `${this.settings.publicUrl}/app/notification-preferences`,
      );
      // The digest's e-mail is the user's choice of hour: not held back by quiet hours.
      const [delivery] = (await m.query(
        `INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, user_id, status,
                                              not_before, attempts, content, created_at)
         VALUES ($1, 'digest', $2, $3, $4, $5, $6, $7, 0, $8, $7)
         RETURNING id`,
        [
          `digest:${digest.id}:user:${u.id}:${DeliveryChannel.Email}`,
          digest.id,
          DIGEST_TOPIC,
          DeliveryChannel.Email,
          u.id,
          DeliveryStatus.Pending,
          now,
          { to: u.email, language: u.language, subject: message.subject, text: message.text },
        ],
      )) as { id: string }[];
      await m.query(`UPDATE notification_digests SET notice_count = $2, delivery_id = $3 WHERE id = $1`, [
        digest.id,
        notices.length,
        delivery.id,
      ]);
      return delivery.id;
    });
  }
}
