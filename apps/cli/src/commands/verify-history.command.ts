import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { EVIDENCE_ATTACHMENT, EvidenceData, embeddedFile, verifyEvidencePdf } from '@kelisim/evidence';
import { CheckpointHead, HistoryService } from '@kelisim/history';
import { HistoryAudit } from '@kelisim/memoranda';
import { CliModule } from '../cli.module';
import { loadEnvironment, withInfrastructure } from '../processes';

interface Options {
  all?: boolean;
  checkpoint?: string;
}

/** A checkpoint of a million chains is about 150 MB; evidence PDFs are read whole, as verify-evidence reads them. */
const MAX_CHECKPOINT_BYTES = 200 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function withHistory(work: (history: HistoryService, audit: HistoryAudit) => Promise<void>): Promise<void> {
  const env = loadEnvironment();
  await withInfrastructure(env, async (infra) => {
    const app = await NestFactory.createApplicationContext(
      CliModule.forRoot({ ...infra.overrides, LOG_LEVEL: 'warn' }),
      { logger: ['error', 'warn'] },
    );
    try {
      await app.init();
      await work(app.get(HistoryService), app.get(HistoryAudit));
    } finally {
      await app.close();
    }
  });
}

/**
 * The head an evidence PDF reflects, if the PDF verifies on its own (its digest, seal and the chain
 * inside it): a copy a party kept anchors that one chain as a checkpoint file anchors all of them.
 */
function pdfAnchor(file: string, pdf: Buffer): Map<string, CheckpointHead> | null {
  // Whose seal it bears does not matter here: a forged head could only raise an alarm, never hide one.
  const verdict = verifyEvidencePdf(pdf);
  const data =
    verdict.status !== 'invalid'
      ? (JSON.parse(embeddedFile(pdf, EVIDENCE_ATTACHMENT)!.toString('utf8')) as EvidenceData)
      : null;
  if (!data) {
    const failed = verdict.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    process.stderr.write(`verify-history: ${file} is not a valid evidence PDF (${failed.join('; ')})\n`);
    return null;
  }
  const head = {
    memorandumId: data.memorandum.id.toLowerCase(),
    seq: data.history.head.seq,
    hash: data.history.head.hash,
  };
  process.stdout.write(`evidence PDF of ${head.memorandumId}: head at seq ${head.seq}, ${head.hash}\n`);
  return new Map([[head.memorandumId, head]]);
}

/** The heads of a checkpoint file sealed with this installation's history key, or of an evidence PDF; null when unusable. */
function readCheckpoint(history: HistoryService, file: string): Map<string, CheckpointHead> | null {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_CHECKPOINT_BYTES) throw new Error(`larger than ${MAX_CHECKPOINT_BYTES} bytes`);
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`verify-history: cannot read the checkpoint ${file}: ${(e as Error).message}\n`);
    return null;
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return pdfAnchor(file, bytes);
  const opened = history.openCheckpoint(bytes.toString('utf8'));
  if (!opened.ok) {
    process.stderr.write(`verify-history: ${file} is not a usable checkpoint: ${opened.reason}\n`);
    return null;
  }
  process.stdout.write(`checkpoint of ${opened.checkpoint.at}: ${opened.checkpoint.heads.length} head(s)\n`);
  return new Map(opened.checkpoint.heads.map((h) => [h.memorandumId, h]));
}

/**
 * Recomputes the hash chain of one memorandum's history (or of all: every memorandum and every
 * chain), checks the keyed MACs, that the chain ends where the memorandum is, and that every
 * frozen revision's stored text and every evidence file still hash to what its history recorded;
 * with a checkpoint file (or an evidence PDF), also that no chain went back behind, or away from,
 * the head it recorded. One
 * line each: `ok` with the number of events and the hash of the newest one, or `BROKEN` with the
 * kind of break (docs/history.md) and the first seq that cannot be trusted. Exit code 1 when any
 * chain is broken, 2 on a usage error or an unusable checkpoint.
 */
export async function verifyHistory(memorandumId: string | undefined, options: Options): Promise<void> {
  if (!options.all && !memorandumId) {
    process.stderr.write('verify-history: name a memorandum id, or pass --all\n');
    process.exit(2);
  }
  if (memorandumId && !UUID.test(memorandumId)) {
    process.stderr.write(`verify-history: ${memorandumId} is not a memorandum id (UUID)\n`);
    process.exit(2);
  }
  await withHistory(async (history, audit) => {
    const anchors = options.checkpoint
      ? readCheckpoint(history, options.checkpoint)
      : new Map<string, CheckpointHead>();
    if (!anchors) {
      process.exitCode = 2;
      return;
    }
    // A chain the checkpoint names but the database no longer has at all is checked too (and found rewound).
    const ids = options.all
      ? [...new Set([...(await audit.memorandumIds()), ...anchors.keys()])].sort()
      : [memorandumId!.toLowerCase()];
    let broken = 0;
    for (const id of ids) {
      const result = await audit.verify(id, { anchor: anchors.get(id), files: true });
      if (result.valid) {
        const last = result.events ? (await history.list(id)).at(-1)?.hash : undefined;
        process.stdout.write(
          `ok      ${id}  ${result.events} event(s)${last ? `, last hash ${last}` : ' (no history)'}\n`,
        );
      } else {
        broken++;
        process.stdout.write(`BROKEN  ${id}  ${result.kind} at seq ${result.brokenAtSeq}: ${result.reason}\n`);
      }
    }
    if (options.all) process.stdout.write(`${ids.length} chain(s) checked, ${broken} broken\n`);
    process.exitCode = broken ? 1 : 0;
  });
}

/**
 * Writes a checkpoint: every chain's head, sealed with the history key, to a new file (never over
 * an older one: each is the proof of how far the chains had come). Only chains that verify are
 * anchored; when one is broken nothing is written and the exit code is 1.
 */
export async function historyCheckpoint(options: { out: string }): Promise<void> {
  await withHistory(async (history, audit) => {
    const checkpoint = await history.checkpoint(new Date());
    let broken = 0;
    for (const head of checkpoint.heads) {
      const result = await audit.verify(head.memorandumId, { anchor: head, files: true });
      if (!result.valid) {
        broken++;
        process.stdout.write(
          `BROKEN  ${head.memorandumId}  ${result.kind} at seq ${result.brokenAtSeq}: ${result.reason}\n`,
        );
      }
    }
    if (broken) {
      process.stderr.write(`history-checkpoint: ${broken} chain(s) broken; no checkpoint written\n`);
      process.exitCode = 1;
      return;
    }
    try {
      writeFileSync(options.out, `${JSON.stringify(checkpoint, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
    } catch (e) {
      process.stderr.write(`history-checkpoint: cannot write ${options.out}: ${(e as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(
      `checkpoint of ${checkpoint.at}: ${checkpoint.heads.length} head(s) written to ${options.out}\n`,
    );
    process.exitCode = 0;
  });
}
