/**
 * Offline verification of an evidence PDF: no server, no database, only the file. Each check
 * names what it proves; the file is valid only when every check passes. What a passing file does
 * and does not prove is in docs/evidence.md. Every check is linear in the file's size (a lookup
 * is by key, never a scan per entry), within the limits of evidence-limits.ts. Loaded alone by
 * the API's verification thread (evidence-verify-pool.ts): it imports only pure modules.
 */
import { GENESIS_HASH, hashEvent } from '@kelisim/history/history-chain';
import { revisionHash } from '@kelisim/memoranda/revision-hash';
import { EVIDENCE_ATTACHMENT, EVIDENCE_VERSION, EvidenceData } from './evidence-data';
import { checkEvidenceLists, EVIDENCE_FILE_LIMIT, EvidenceLimitExceeded } from './evidence-limits';
import { checkDigest, embeddedFile } from './pdf-file';
import { pdfRevisions } from './pdf-revisions';
import { checkEmbeddedSignatures, EmbeddedSignatureReport } from './embedded-signatures';
import { checkSignedRevisions, SealTrust, SignedRevisions } from './seal';

import type { EvidenceCheck } from './evidence-check';

export type { EvidenceCheck } from './evidence-check';

/**
 * `valid`: every check passes and the seal is trusted. `intact`: every check passes, the seal
 * holds, but nothing said whose seal to trust. `unsealed`: every check passes but there is no
 * seal, so nothing proves who made the file. `invalid`: a check failed.
 */
export type EvidenceStatus = 'valid' | 'intact' | 'unsealed' | 'invalid';

export interface EvidenceVerdict {
  valid: boolean;
  status: EvidenceStatus;
  checks: EvidenceCheck[];
  seal?: SignedRevisions['seal'];
  /** Signatures and document timestamps added after the seal, oldest first. */
  updates?: SignedRevisions['updates'];
  /** Each digital signature embedded in the file, who signed it as its certificate says. */
  signatures?: EmbeddedSignatureReport[];
  memorandumId?: string;
  /** The memorandum's title as the file states it. */
  title?: string;
  revisionHash?: string | null;
  headHash?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function readEvidence(pdf: Buffer): { data?: EvidenceData; problem?: string } {
  let raw: Buffer | null;
  try {
    raw = embeddedFile(pdf, EVIDENCE_ATTACHMENT);
  } catch (e) {
    if (e instanceof EvidenceLimitExceeded) throw e;
    return { problem: `the attachment ${EVIDENCE_ATTACHMENT} cannot be read (${(e as Error).message})` };
  }
  if (!raw) return { problem: `no attachment ${EVIDENCE_ATTACHMENT}: not a Kelisim evidence PDF` };
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    return { problem: `the attachment ${EVIDENCE_ATTACHMENT} is not valid JSON (${(e as Error).message})` };
  }
  const d = data as Partial<EvidenceData> | null;
  if (!d || typeof d !== 'object' || d.v !== EVIDENCE_VERSION)
    return { problem: `the attachment is not Kelisim evidence (${EVIDENCE_VERSION})` };
  const shaped =
    d.memorandum &&
    d.revision?.terms &&
    Array.isArray(d.parties) &&
    Array.isArray(d.approvals) &&
    Array.isArray(d.signatures) &&
    Array.isArray(d.history?.events) &&
    d.history?.head;
  if (!shaped)
    return { problem: 'the attachment lacks memorandum, revision, parties, approvals, signatures or history' };
  checkEvidenceLists(d);
  return { data: d as EvidenceData };
}

function checkRevision(d: EvidenceData): EvidenceCheck {
  const name = 'revision_hash';
  const stated = d.revision.hash;
  if (stated === null) return { name, ok: true, detail: 'a working draft: no revision has been frozen and hashed yet' };
  const computed = revisionHash(d.revision.terms);
  return computed === stated
    ? { name, ok: true, detail: `the texts and terms of revision ${d.revision.number} hash to ${stated}` }
    : {
        name,
        ok: false,
        detail: `the texts and terms hash to ${computed}, the file states ${stated}: they were changed`,
      };
}

function checkHistory(d: EvidenceData): EvidenceCheck {
  const name = 'history_chain';
  const events = d.history.events;
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { name, ok: false, detail: `event ${i + 1} is missing (found seq ${e.seq})` };
    if (e.memorandumId !== d.memorandum.id)
      return { name, ok: false, detail: `event ${e.seq} belongs to another memorandum` };
    if (e.prevHash !== prev) return { name, ok: false, detail: `event ${e.seq} does not link to the event before it` };
    let computed: string;
    try {
      computed = hashEvent({ ...e, at: new Date(e.at) });
    } catch (err) {
      return { name, ok: false, detail: `event ${e.seq} cannot be hashed: ${(err as Error).message}` };
    }
    if (computed !== e.hash) return { name, ok: false, detail: `event ${e.seq} (${e.action}) was altered` };
    prev = e.hash;
  }
  if (!events.length) return { name, ok: false, detail: 'the history has no events' };
  if (events[0].action !== 'create') return { name, ok: false, detail: 'the history does not start with create' };
  const head = d.history.head;
  if (head.seq !== events.length || head.hash !== prev)
    return { name, ok: false, detail: `the stated head (${head.seq}, ${head.hash}) is not the last event` };
  return { name, ok: true, detail: `${events.length} events chain to the head ${head.hash}` };
}

/** Each approval and signature names the revision hash, and the hashed history records it. */
function checkDecisions(d: EvidenceData, kind: 'approvals' | 'signatures'): EvidenceCheck {
  const rows: Array<{ organisationId: string; revisionHash: string; revisionNumber: number }> = d[kind];
  const action = kind === 'approvals' ? 'approve' : 'sign';
  const counted = kind === 'approvals' ? rows.filter((r) => (r as { decision?: string }).decision === 'approve') : rows;
  // Every row that gets as far as the lookup names d.revision.hash: the organisations that the
  // history records deciding on it, as a set, answer each row at once.
  const recordedBy = new Set<unknown>();
  for (const e of d.history.events)
    if (e.action === action && e.revisionHash === d.revision.hash) recordedBy.add(e.organisationId);
  for (const r of counted) {
    if (!HEX64.test(r.revisionHash ?? '') || r.revisionHash !== d.revision.hash)
      return { name: kind, ok: false, detail: `one of ${kind} names ${r.revisionHash}, not the revision hash` };
    if (!recordedBy.has(r.organisationId))
      return { name: kind, ok: false, detail: `${kind} of ${r.organisationId}: not recorded in the hashed history` };
  }
  if (kind === 'signatures') {
    const problem = checkSignatureRows(d);
    if (problem) return { name: kind, ok: false, detail: problem };
  }
  return {
    name: kind,
    ok: true,
    detail: counted.length
      ? `${counted.length} name revision hash ${d.revision.hash} and are recorded in the history`
      : `none yet`,
  };
}

/**
 * The signature rows against the hashed history: every `sign` event of the revision has its row
 * (none dropped), and a row that names its signature's id says what the event says of it.
 */
function checkSignatureRows(d: EvidenceData): string | null {
  const events = d.history.events.filter(
    (e) => e.action === 'sign' && e.revisionHash === d.revision.hash && e.revisionNumber === d.revision.number,
  );
  const count = new Map<unknown, number>();
  for (const r of d.signatures) count.set(r.organisationId, (count.get(r.organisationId) ?? 0) + 1);
  for (const e of events) count.set(e.organisationId, (count.get(e.organisationId) ?? 0) - 1);
  for (const [organisationId, n] of count)
    if (n < 0) return `the history records ${-n} more signature(s) of ${String(organisationId)} than the file lists`;
  const byId = new Map(events.map((e) => [e.data?.signatureId, e]));
  for (const r of d.signatures) {
    if (r.signatureId === undefined) continue;
    const e = byId.get(r.signatureId);
    if (!e) return `signature ${r.signatureId}: not recorded in the hashed history`;
    if (e.organisationId !== r.organisationId || e.data.method !== r.method || e.data.signerName !== r.signerName)
      return `signature ${r.signatureId}: the file says ${r.method} by "${r.signerName}" for ${r.organisationId}, the hashed history ${String(e.data.method)} by "${String(e.data.signerName)}" for ${e.organisationId}`;
    if (new Date(e.at).getTime() !== new Date(r.recordedAt).getTime())
      return `signature ${r.signatureId}: the file says it was recorded at ${r.recordedAt}, the hashed history ${e.at}`;
  }
  return null;
}

/**
 * Every check on the file; `valid` only when all pass. Never throws on a file within the limits
 * of evidence-limits.ts; beyond them, throws EvidenceLimitExceeded naming the list or size.
 */
export function verifyEvidencePdf(pdf: Buffer, trust: SealTrust | null = null): EvidenceVerdict {
  if (pdf.length > EVIDENCE_FILE_LIMIT)
    throw new EvidenceLimitExceeded('file', pdf.length, EVIDENCE_FILE_LIMIT, 'bytes');
  const checks: EvidenceCheck[] = [];
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    checks.push({ name: 'pdf', ok: false, detail: 'the file is not a PDF' });
    return { valid: false, status: 'invalid', checks };
  }
  checks.push({ name: 'pdf', ok: true, detail: `a PDF of ${pdf.length} bytes` });
  const { data, problem } = readEvidence(pdf);
  checks.push({
    name: 'evidence_attachment',
    ok: !problem,
    detail: problem ?? `${EVIDENCE_ATTACHMENT} (${EVIDENCE_VERSION})`,
  });
  const text = pdf.toString('latin1');
  const revisions = pdfRevisions(pdf, text);
  const digest = checkDigest(pdf, revisions.ok ? revisions.revisions[0] : null, text);
  checks.push(
    digest.ok
      ? { name: 'file_integrity', ok: true, detail: `unchanged since it was made (SHA-256 ${digest.digest})` }
      : { name: 'file_integrity', ok: false, detail: revisions.ok ? digest.reason : revisions.problem },
  );
  // A file whose revisions cannot be followed has failed already (file_integrity says why).
  const signed: SignedRevisions | null = revisions.ok
    ? checkSignedRevisions(pdf, text, revisions.revisions, digest.ok ? digest.sealFingerprint : null, trust)
    : null;
  if (signed) checks.push(...signed.checks);
  const verdict = (): Pick<EvidenceVerdict, 'valid' | 'status' | 'seal' | 'updates'> => {
    const status: EvidenceStatus = !checks.every((c) => c.ok)
      ? 'invalid'
      : signed?.status === 'unsealed'
        ? 'unsealed'
        : signed?.seal?.trusted
          ? 'valid'
          : 'intact';
    return { valid: status === 'valid', status, seal: signed?.seal, updates: signed?.updates };
  };
  if (!data) return { ...verdict(), checks };
  try {
    checks.push(checkRevision(data), checkHistory(data), checkDecisions(data, 'approvals'));
    checks.push(checkDecisions(data, 'signatures'));
  } catch (e) {
    checks.push({ name: 'evidence_attachment', ok: false, detail: `malformed evidence: ${(e as Error).message}` });
  }
  let signatures: EmbeddedSignatureReport[] | undefined;
  try {
    const embedded = checkEmbeddedSignatures(
      pdf,
      text,
      revisions.ok ? revisions.revisions[0] : null,
      data,
      trust?.signerAnchors ?? null,
    );
    checks.push(embedded.check);
    if (embedded.reports.length) signatures = embedded.reports;
  } catch (e) {
    if (e instanceof EvidenceLimitExceeded) throw e;
    checks.push({ name: 'digital_signatures', ok: false, detail: `cannot be checked: ${(e as Error).message}` });
  }
  return {
    ...verdict(),
    checks,
    ...(signatures ? { signatures } : {}),
    memorandumId: typeof data.memorandum.id === 'string' ? data.memorandum.id : undefined,
    title: typeof data.memorandum.title === 'string' ? data.memorandum.title : undefined,
    revisionHash: data.revision.hash,
    headHash: data.history.head.hash,
  };
}
