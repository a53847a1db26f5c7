import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ExpectedEnd, HistoryService, HistoryVerification } from '@kelisim/history';
import { Memorandum } from './entities';
import { lifecycleStateOf } from './lifecycle/memorandum-transitions';

/**
 * Verifies a memorandum's history against the memorandum itself: the chain must exist, end in
 * the state the memorandum is in, and hold one event per version. A status changed in SQL, or a
 * last event deleted with its head rewound, is caught here even without the history key.
 */
@Injectable()
export class HistoryAudit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: HistoryService,
  ) {}

  verify(memorandumId: string): Promise<HistoryVerification> {
    return this.history.verify(memorandumId, (m) => this.expectedEnd(m, memorandumId));
  }

  /** Every memorandum, and every id that has history without a memorandum: for `kelisim verify-history --all`. */
  async memorandumIds(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text AS id FROM memoranda UNION SELECT memorandum_id::text FROM history_heads
       UNION SELECT memorandum_id::text FROM history_events ORDER BY 1`,
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private async expectedEnd(m: EntityManager, id: string): Promise<ExpectedEnd | null> {
    const row = await m.getRepository(Memorandum).findOneBy({ id });
    return row ? { state: lifecycleStateOf(row), version: row.version } : null;
  }
}
