import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CheckpointHead, ExpectedEnd, HistoryService, HistoryVerification } from '@kelisim/history';
import { Memorandum, MemorandumRevision } from './entities';
import { lifecycleStateOf } from './lifecycle/memorandum-transitions';
import { evidenceFiles, storedRevisions, textCopyDiffers } from './revisions/revision-integrity';

/**
 * Verifies a memorandum's history against the memorandum itself: the chain must exist, end in
 * the state the memorandum is in, and hold one event per version; every frozen revision's stored
 * terms must hash to the hash its events recorded, and the memorandum's copy of the text must be
 * its revision's. A status or a signed text changed in SQL, or a last event deleted with its head
 * rewound, is caught here even without the history key.
 */
@Injectable()
export class HistoryAudit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: HistoryService,
  ) {}

  /**
   * With `anchor` (its head in a checkpoint file), also that the chain still passes through it; with
   * `files`, also every evidence file's bytes (hashed in PostgreSQL: all the memorandum's evidence is
   * read, so the command line asks for it, not the API that any reader of the memorandum may call).
   */
  verify(
    memorandumId: string,
    options: { anchor?: CheckpointHead; files?: boolean } = {},
  ): Promise<HistoryVerification> {
    return this.history.verify(
      memorandumId,
      (m) => this.expectedEnd(m, memorandumId, options.files === true),
      options.anchor,
    );
  }

  /** Every memorandum, and every id that has history without a memorandum: for `kelisim verify-history --all`. */
  async memorandumIds(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text AS id FROM memoranda UNION SELECT memorandum_id::text FROM history_heads
       UNION SELECT memorandum_id::text FROM history_events ORDER BY 1`,
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private async expectedEnd(m: EntityManager, id: string, files: boolean): Promise<ExpectedEnd | null> {
    const row = await m.getRepository(Memorandum).findOneBy({ id });
    if (!row) return null;
    const revisions = await m
      .getRepository(MemorandumRevision)
      .find({ where: { memorandumId: id }, order: { number: 'ASC' } });
    // The row shows the executed text once there is one (an open amendment edits only its revision), else the working one.
    const shown = revisions.find((r) => r.number === (row.executedRevisionNumber ?? row.currentRevisionNumber));
    return {
      state: lifecycleStateOf(row),
      version: row.version,
      revisions: await storedRevisions(m, id, revisions),
      ...(shown ? { textCopy: { revisionNumber: shown.number, differs: textCopyDiffers(row, shown) } } : {}),
      ...(files ? { files: await evidenceFiles(m, id) } : {}),
    };
  }
}
