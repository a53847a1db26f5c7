import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiError, Clock } from '@kelisim/platform';
import { InboxNotification } from './notification.entity';

/** The in-app inbox of the signed-in user; the one writer of `read_at`. */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(userId: string, q: { page: number; pageSize: number; unread?: boolean }) {
    const repo = this.db.getRepository(InboxNotification);
    const where = { userId, ...(q.unread ? { readAt: IsNull() } : {}) };
    const [items, total] = await repo.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    const unreadCount = await repo.count({ where: { userId, readAt: IsNull() } });
    return { items, total, page: q.page, pageSize: q.pageSize, unreadCount };
  }

  /** Marks every unread notification of the user read. */
  async markAllRead(userId: string): Promise<{ marked: number; unreadCount: number }> {
    const res = await this.db
      .getRepository(InboxNotification)
      .createQueryBuilder()
      .update()
      .set({ readAt: this.clock.now() })
      .where('user_id = :userId AND read_at IS NULL', { userId })
      .execute();
    return { marked: res.affected ?? 0, unreadCount: 0 };
  }

  async markRead(userId: string, id: string) {
    const repo = this.db.getRepository(InboxNotification);
    await repo
      .createQueryBuilder()
      .update()
      .set({ readAt: this.clock.now() })
      .where('id = :id AND user_id = :userId AND read_at IS NULL', { id, userId })
      .execute();
    const n = await repo.findOneBy({ id, userId });
    if (!n) throw ApiError.notFound('Notification', id);
    return n;
  }
}
