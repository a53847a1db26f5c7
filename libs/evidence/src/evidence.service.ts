/**
 * Evidence PDFs: served from the cache when one reflects the memorandum's current history head,
 * otherwise rendered by the worker (a job per memorandum and head, so repeated requests collapse)
 * and the caller told to come back. Verification needs nothing of this: see evidence-verifier.ts.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { HistoryHead } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { MemorandaService, SignatureTimestamper } from '@kelisim/memoranda';
import { ApiError, Clock, JobName, QueueName } from '@kelisim/platform';
import { collectEvidence, collectEvidenceFiles } from './evidence-collector';
import { EvidenceCommitments } from './evidence-commitments.port';
import { EvidenceDocument } from './evidence-document.entity';
import { renderEvidencePdf } from './evidence-pdf';
import { EvidenceRecords } from './evidence-records';
import { EvidenceSeal } from './evidence-seal.service';
import { sealPdf } from './seal';

/** The page's words on the seal: who seals it, and the fingerprint to compare with the operator's. */
export const sealNote = (subject: string, fingerprint: string) =>
  `Sealed (PAdES) by "${subject}", certificate SHA-256 ${fingerprint}. ` +
  "The seal proves who issued this file only when that fingerprint is the operator's (GET /evidence/seal-certificate): " +
  'kelisim verify-evidence FILE.pdf --trust <fingerprint>. A file whose seal is missing or different was not issued as it is.';

export type EvidenceAnswer =
  { ready: true; pdf: Buffer; headHash: string; sha256: string } | { ready: false; headSeq: number; headHash: string };

@Injectable()
export class EvidenceService {
  private readonly logger = new Logger('Evidence');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly memoranda: MemorandaService,
    @InjectQueue(QueueName.Evidence) private readonly queue: Queue,
    private readonly seal: EvidenceSeal,
    private readonly records: EvidenceRecords,
    @Optional() @Inject(EvidenceCommitments) private readonly commitments: EvidenceCommitments | null = null,
    @Optional() @Inject(SignatureTimestamper) private readonly timestamper: SignatureTimestamper | null = null,
  ) {}

  /**
   * The PDF for the current head, or a render job queued for it (visible memoranda only: 404
   * otherwise). Each PDF served is recorded (evidence_issues: when, to whom).
   */
  async request(actor: Actor, memorandumId: string): Promise<EvidenceAnswer> {
    await this.memoranda.visible(actor, memorandumId);
    const head = await this.db.getRepository(HistoryHead).findOneByOrFail({ memorandumId });
    const doc = await this.db.getRepository(EvidenceDocument).findOneBy({ memorandumId, headHash: head.lastHash });
    if (doc) {
      const actual = createHash('sha256').update(doc.pdf).digest('hex');
      if (actual !== doc.sha256) {
        this.logger.error(
          `INTEGRITY: evidence PDF ${doc.id} of memorandum ${memorandumId} hashes to ${actual}, recorded SHA-256 ${doc.sha256}`,
        );
        throw ApiError.integrityFailed(
          `The evidence PDF of memorandum ${memorandumId} no longer matches its recorded SHA-256; it is not served.`,
          { memorandumId },
        );
      }
      await this.records.issued(doc.id, actor, this.clock.now());
      return { ready: true, pdf: doc.pdf, headHash: doc.headHash, sha256: doc.sha256 };
    }
    const jobId = `evidence-${memorandumId}-${head.lastHash}`;
    try {
      // A job that failed all its attempts (an unreadable seal key, say) is tried again when asked again.
      const failed = await this.queue.getJob(jobId);
      if (failed && (await failed.isFailed())) await failed.retry();
      else await this.queue.add(JobName.RenderEvidence, { memorandumId }, { jobId, attempts: 5 });
    } catch (e) {
      // The queue is down: render here rather than promise a job that will not run.
      this.logger.warn(`evidence job not queued (${(e as Error).message}); rendering in the request`);
      await this.render(memorandumId);
      return this.request(actor, memorandumId);
    }
    return { ready: false, headSeq: head.lastSeq, headHash: head.lastHash };
  }

  /**
   * Renders and caches the evidence of the memorandum's current head (read in one snapshot).
   * Idempotent: a PDF for that head already cached, or inserted meanwhile, is kept.
   */
  async render(memorandumId: string): Promise<'rendered' | 'present' | 'skipped'> {
    const collected = await this.db.transaction('REPEATABLE READ', async (m) => {
      const data = await collectEvidence(m, memorandumId, this.clock.now(), this.commitments);
      return data && { data, files: await collectEvidenceFiles(m, data) };
    });
    if (!collected) return 'skipped';
    const { data, files } = collected;
    const repo = this.db.getRepository(EvidenceDocument);
    if (await repo.existsBy({ memorandumId, headHash: data.history.head.hash })) return 'present';
    const key = await this.seal.key();
    const rendered = await renderEvidencePdf(data, {
      sealNote: sealNote(key.subject, key.fingerprint),
      sealFingerprint: key.fingerprint,
      files,
    });
    // With SIGNATURE_TSA_URL, the seal gets a signature timestamp (PAdES B-T); SIGNATURE_TSA=require
    // fails the render when none can be had (the job is retried), `prefer` seals B-B.
    const now = this.clock.now();
    const timestamper = this.timestamper;
    const pdf = await sealPdf(
      rendered,
      key,
      now,
      timestamper ? async (cms) => (await timestamper.stamp(cms, now, 'evidence sealed'))?.cms ?? cms : undefined,
    );
    const res = await repo
      .createQueryBuilder()
      .insert()
      .values({
        memorandumId,
        headSeq: data.history.head.seq,
        headHash: data.history.head.hash,
        revisionNumber: data.revision.number,
        revisionHash: data.revision.hash,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        sealed: true,
        pdf,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
    return res.identifiers.length ? 'rendered' : 'present';
  }
}
