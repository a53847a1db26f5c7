/**
 * The server's records of the evidence files it issued, compared with an uploaded file
 * (POST /evidence/verify): was this very file issued here, when, from which history head, and does
 * the memorandum's keyed (MAC'd) history still hold that head?
 *
 * What is revealed to whom (docs/evidence.md, "The server's records"):
 * - anyone who uploads a file whose bytes are a file this server issued (or that file with
 *   signatures and timestamps added after the seal) learns that it was issued here, when first,
 *   and whether the history still holds the file's head — nothing they do not hold already but the
 *   date and the server's word on its own records;
 * - a file that is not such a file gets "not issued here" and nothing else: the answer is the same
 *   whether or not the memorandum it names exists;
 * - only a signed-in caller who may see the memorandum also learns its current head, how many
 *   events came after the file's, what broke in the history if anything, and to whom and when the
 *   file was issued.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HistoryHead } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { HistoryAudit, MemorandaService } from '@kelisim/memoranda';
import { ApiError } from '@kelisim/platform';
import { EvidenceIssue } from './evidence-document.entity';
import type { EvidenceVerdict } from './evidence-verifier';

/** How many of a file's issues a caller who may see the memorandum is shown (newest first). */
export const ISSUES_SHOWN = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;

export interface EvidenceRecordDetails {
  currentHeadSeq: number;
  currentHeadHash: string;
  /** History events recorded after the file's head. */
  eventsSince: number;
  /** Whether the whole history (chain, MACs, the memorandum row) verifies now. */
  historyValid: boolean;
  /** What broke, when it does not. */
  historyProblem: string | null;
  issueCount: number;
  issues: Array<{ issuedAt: string; issuedTo: string }>;
}

export type EvidenceRecord =
  | { issued: false }
  | {
      issued: true;
      issuedAt: string;
      memorandumId: string;
      revisionNumber: number | null;
      headSeq: number;
      headHash: string;
      /** The file is the one issued with signatures or timestamps added after its seal. */
      laterUpdates: boolean;
      /** The memorandum's keyed history still passes through the file's head, unaltered up to it. */
      historyHoldsHead: boolean;
      /** Only for a caller who may see the memorandum. */
      memorandum?: EvidenceRecordDetails;
    };

interface DocumentRow {
  id: string;
  memorandum_id: string;
  head_seq: number;
  head_hash: string;
  sha256: string;
  revision_number: number | null;
  size: number;
  created_at: Date;
  first_issued_at: Date | null;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

@Injectable()
export class EvidenceRecords {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly memoranda: MemorandaService,
    private readonly audit: HistoryAudit,
  ) {}

  /** Records that `actor` was served the document `documentId`. */
  async issued(documentId: string, actor: Actor, at: Date): Promise<void> {
    await this.db
      .getRepository(EvidenceIssue)
      .insert({ documentId, userId: actor.userId, issuedTo: actor.fullName, issuedAt: at });
  }

  /**
   * `file` is the upload, `verdict` the verifier's answer on it, `actor` the signed-in caller or null.
   * Read `file` before the verifier gets it: the verification thread takes its memory.
   */
  async compare(file: Buffer, verdict: EvidenceVerdict, actor: Actor | null): Promise<EvidenceRecord> {
    const doc = await this.find(file, verdict);
    if (!doc) return { issued: false };
    const laterUpdates = doc.size !== file.length;
    const history = await this.audit.verify(doc.memorandum_id, {
      anchor: { memorandumId: doc.memorandum_id, seq: doc.head_seq, hash: doc.head_hash },
    });
    const record: EvidenceRecord = {
      issued: true,
      issuedAt: (doc.first_issued_at ?? doc.created_at).toISOString(),
      memorandumId: doc.memorandum_id,
      revisionNumber: doc.revision_number,
      headSeq: doc.head_seq,
      headHash: doc.head_hash,
      laterUpdates,
      historyHoldsHead: history.valid || history.brokenAtSeq > doc.head_seq,
    };
    if (!actor || !(await this.maySee(actor, doc.memorandum_id))) return record;
    const head = await this.db.getRepository(HistoryHead).findOneBy({ memorandumId: doc.memorandum_id });
    const issues = await this.db.getRepository(EvidenceIssue).find({
      where: { documentId: doc.id },
      order: { issuedAt: 'DESC', id: 'ASC' },
      take: ISSUES_SHOWN,
    });
    const issueCount = await this.db.getRepository(EvidenceIssue).countBy({ documentId: doc.id });
    return {
      ...record,
      memorandum: {
        currentHeadSeq: head?.lastSeq ?? 0,
        currentHeadHash: head?.lastHash ?? '',
        eventsSince: Math.max(0, (head?.lastSeq ?? 0) - doc.head_seq),
        historyValid: history.valid,
        historyProblem: history.valid ? null : `event ${history.brokenAtSeq}: ${history.reason}`,
        issueCount,
        issues: issues.map((i) => ({ issuedAt: i.issuedAt.toISOString(), issuedTo: i.issuedTo })),
      },
    };
  }

  private async maySee(actor: Actor, memorandumId: string): Promise<boolean> {
    try {
      await this.memoranda.visible(actor, memorandumId);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.getStatus() === 404) return false;
      throw e;
    }
  }

  /**
   * The issued document this file is: the same bytes, or — when every check passed and the file has
   * later signatures — an issued document followed by them (looked up by the memorandum and head
   * the file names, then compared byte for byte through the SHA-256 of that many first bytes).
   */
  private async find(file: Buffer, verdict: EvidenceVerdict): Promise<DocumentRow | null> {
    const columns = `d.id, d.memorandum_id, d.head_seq, d.head_hash, d.sha256, d.revision_number,
       octet_length(d.pdf) AS size, d.created_at,
       (SELECT min(i.issued_at) FROM evidence_issues i WHERE i.document_id = d.id) AS first_issued_at`;
    const whole = (await this.db.query(`SELECT ${columns} FROM evidence_documents d WHERE d.sha256 = $1 LIMIT 1`, [
      sha256(file),
    ])) as DocumentRow[];
    if (whole.length) return whole[0];
    const { memorandumId, headHash } = verdict;
    if (verdict.status === 'invalid' || !verdict.updates?.length) return null;
    if (!memorandumId || !UUID.test(memorandumId) || !headHash || !HEX64.test(headHash)) return null;
    const rows = (await this.db.query(
      `SELECT ${columns} FROM evidence_documents d WHERE d.memorandum_id = $1 AND d.head_hash = $2`,
      [memorandumId, headHash],
    )) as DocumentRow[];
    const doc = rows[0];
    if (!doc || doc.size >= file.length) return null;
    return sha256(file.subarray(0, doc.size)) === doc.sha256 ? doc : null;
  }
}
