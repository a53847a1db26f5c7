/**
 * How long verifying a 7-party evidence PDF with 7 digital signatures takes (issue 23): each CMS
 * made by the openssl CLI with a key of a PKI made by this run (RSA-2048 and ECDSA P-256 in turn),
 * embedded with the canonical bytes, the file sealed; verified in this process as `kelisim
 * verify-evidence --trust FP --anchors roots.pem` does, and without anchors. Baseline, in the
 * same run: the same parties and history signed electronically (nothing embedded). Then the
 * command itself, as a user runs it (a new Node process), when dist/ is built. Prints figures;
 * never fails on timing. No database: the evidence is built here the way the collector shapes it.
 *
 *   npm run bench:evidence-signatures   (env: BENCH_RUNS=30)
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  canonicalAttachment,
  EVIDENCE_VERSION,
  EvidenceData,
  EvidenceEvent,
  EvidenceFile,
  renderEvidencePdf,
  sealPdf,
  signatureAttachment,
  verifyEvidencePdf,
} from '@kelisim/evidence';
import { GENESIS_HASH, hashEvent } from '@kelisim/history/history-chain';
import { canonicalBytes, canonicalTerms, revisionHash } from '@kelisim/memoranda/revision-hash';
import { throwawaySealKey } from '../test/support/evidence-forgeries';
import { TestPki } from '../test/support/test-pki';
import { pct } from './support/load';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PARTIES = 7;

function time(runs: number, work: () => void): number[] {
  work();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const row = (label: string, ms: number[]) =>
  console.log(
    `${label.padEnd(60)} p50 ${pct(ms, 50).toFixed(1).padStart(7)} ms   p99 ${pct(ms, 99).toFixed(1).padStart(7)} ms`,
  );

/** 11 digits and their control digit (docs/signatures.md), or null when none is issued. */
function withControl(eleven: string): string | null {
  const d = [...eleven].map(Number);
  let c = d.reduce((s, x, i) => s + x * (i + 1), 0) % 11;
  if (c === 10) c = d.reduce((s, x, i) => s + x * (((i + 2) % 11) + 1), 0) % 11;
  return c === 10 ? null : eleven + c;
}

async function build(digital: boolean, pki: TestPki) {
  const memorandumId = randomUUID();
  const orgs = Array.from({ length: PARTIES }, (_, i) => ({
    id: randomUUID(),
    name: `Ұйым ${i + 1} / Организация ${i + 1}`,
    shortName: `ORG${i + 1}`,
    bin: withControl(`000740000${i}0`),
  }));
  const terms = canonicalTerms({
    canonicalVersion: 2,
    title: 'Тараз қаласының жастар саясаты туралы меморандум',
    purpose: 'Жастарға арналған бағдарламаларды бірлесіп жүргізу',
    body: Array.from({ length: 40 }, (_, i) => `${i + 1}. Тараптар ежеквартально есеп береді.`).join('\n\n'),
    language: 'kk',
    timeZone: 'Asia/Almaty',
    effectiveDate: '2026-01-01',
    endDate: '2029-01-01',
    parties: orgs.map((o, i) => ({
      organisationId: o.id,
      role: 'signatory',
      order: i + 1,
      requiredSignatures: 1,
      name: o.name,
      shortName: o.shortName,
      bin: o.bin,
    })),
  });
  const hash = revisionHash(terms);
  const canonical = canonicalBytes(terms);
  const at = new Date();
  const events: EvidenceEvent[] = [];
  const push = (e: Omit<EvidenceEvent, 'seq' | 'prevHash' | 'hash' | 'id' | 'memorandumId' | 'at'>) => {
    const fields = {
      ...e,
      id: randomUUID(),
      memorandumId,
      seq: events.length + 1,
      at: new Date(at.getTime() + events.length * 1000),
      prevHash: events.at(-1)?.hash ?? GENESIS_HASH,
    };
    events.push({ ...fields, at: fields.at.toISOString(), hash: hashEvent(fields) });
  };
  const base = { fromStatus: null, toStatus: null, actorUserId: null, reason: null, requestId: null };
  push({
    ...base,
    action: 'create',
    actorName: 'Coordinator',
    organisationId: orgs[0].id,
    revisionNumber: null,
    revisionHash: null,
    data: {},
  });
  const files: EvidenceFile[] = [];
  const signatures: EvidenceData['signatures'] = [];
  for (const [i, o] of orgs.entries()) {
    const signerName = `SIGNER${i + 1} PERSON`;
    const iin = withControl(`8501013000${i}`)!;
    const signatureId = randomUUID();
    let digitalRow: EvidenceData['signatures'][number]['digital'];
    let data: Record<string, unknown> = { signatureId, method: digital ? 'digital' : 'electronic', signerName };
    if (digital) {
      const leaf = await pki.leaf(`signer-${i}`, {
        commonName: signerName,
        iin,
        ...(o.bin ? { bin: o.bin } : {}),
        kind: i % 2 ? 'rsa' : 'ecdsa',
      });
      const cms = Buffer.from(pki.opensslSign(canonical, leaf), 'base64');
      const cmsSha256 = createHash('sha256').update(cms).digest('hex');
      const fingerprint = createHash('sha256').update(Buffer.from(leaf.cert.rawData)).digest('hex');
      const cmsFile = signatureAttachment(i + 1);
      files.push({ name: cmsFile, bytes: cms, type: 'application/pkcs7-signature', description: cmsFile });
      digitalRow = { cmsFile, cmsSha256, certificate: { fingerprint, subject: signerName, iin, bin: o.bin ?? null } };
      data = { ...data, certificateFingerprint: fingerprint, cmsSha256 };
    }
    push({
      ...base,
      action: 'sign',
      actorName: signerName,
      organisationId: o.id,
      revisionNumber: 1,
      revisionHash: hash,
      data,
    });
    const e = events.at(-1)!;
    signatures.push({
      signatureId,
      organisationId: o.id,
      method: digital ? 'digital' : 'electronic',
      signerName,
      revisionNumber: 1,
      revisionHash: hash,
      signedAt: e.at,
      recordedAt: e.at,
      place: null,
      evidenceReference: null,
      evidenceSha256: null,
      ...(digitalRow ? { digital: digitalRow } : {}),
    });
  }
  if (digital)
    files.unshift({
      name: canonicalAttachment(1),
      bytes: canonical,
      type: 'application/json',
      description: 'canonical',
    });
  const data: EvidenceData = {
    v: EVIDENCE_VERSION,
    generatedAt: at.toISOString(),
    memorandum: {
      id: memorandumId,
      title: terms.title,
      status: 'executed',
      amendmentStatus: null,
      version: 1,
      coordinatingOrganisation: { id: orgs[0].id, name: orgs[0].name, shortName: orgs[0].shortName },
      templateId: null,
      templateVersion: null,
    },
    revision: {
      number: 1,
      kind: 'original',
      hash,
      frozenAt: at.toISOString(),
      terms,
      ...(digital ? { canonicalFile: canonicalAttachment(1) } : {}),
    },
    parties: orgs.map((o, i) => ({
      id: o.id,
      name: o.name,
      shortName: o.shortName,
      role: 'signatory',
      order: i + 1,
      requiredSignatures: 1,
      representatives: [],
    })),
    approvals: [],
    signatures,
    history: { events, head: { seq: events.length, hash: events.at(-1)!.hash } },
  };
  const key = await throwawaySealKey('Kelisim bench seal');
  const pdf = await sealPdf(
    await renderEvidencePdf(data, { sealNote: 'bench', sealFingerprint: key.fingerprint, files }),
    key,
    new Date(),
  );
  return { pdf, fingerprint: key.fingerprint };
}

async function main() {
  const pki = await TestPki.create();
  try {
    const signed = await build(true, pki);
    const plain = await build(false, pki);
    const anchors = [Buffer.from(pki.root.cert.rawData)];
    const trusted = { fingerprints: [signed.fingerprint], signerAnchors: anchors };
    const verdict = verifyEvidencePdf(signed.pdf, trusted);
    if (!verdict.valid)
      throw new Error(`the signed file is not VALID: ${JSON.stringify(verdict.checks.filter((c) => !c.ok))}`);
    if (verdict.signatures?.length !== PARTIES || verdict.signatures.some((s) => s.chain !== 'trusted'))
      throw new Error('not every signature was checked against the anchors');
    if (!verifyEvidencePdf(plain.pdf, { fingerprints: [plain.fingerprint] }).valid)
      throw new Error('the electronically signed file is not VALID');
    console.log(
      `${PARTIES} parties; digital: ${signed.pdf.length} bytes, ${verdict.checks.length} checks; electronic: ` +
        `${plain.pdf.length} bytes; load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    row(
      'verify, 7 electronic signatures, --trust (baseline)',
      time(RUNS, () => verifyEvidencePdf(plain.pdf, { fingerprints: [plain.fingerprint] })),
    );
    row(
      'verify, 7 digital signatures, --trust, no anchors',
      time(RUNS, () => verifyEvidencePdf(signed.pdf, { fingerprints: [signed.fingerprint] })),
    );
    row(
      'verify, 7 digital signatures, --trust --anchors',
      time(RUNS, () => verifyEvidencePdf(signed.pdf, trusted)),
    );
    const bin = join(__dirname, '..', 'bin', 'kelisim.js');
    if (existsSync(join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js'))) {
      const copy = join(tmpdir(), `kelisim-bench-signatures-${process.pid}.pdf`);
      writeFileSync(copy, signed.pdf);
      const cli = time(Math.min(RUNS, 10), () => {
        const r = spawnSync(process.execPath, [
          bin,
          'verify-evidence',
          copy,
          '--trust',
          signed.fingerprint,
          '--anchors',
          pki.anchorsPath,
        ]);
        if (r.status !== 0) throw new Error(`verify-evidence exited ${r.status}: ${String(r.stdout)}`);
      });
      row('`kelisim verify-evidence FILE --trust FP --anchors` (process)', cli);
      row(
        '`kelisim --help` (process start-up, baseline)',
        time(Math.min(RUNS, 10), () => spawnSync(process.execPath, [bin, '--help'])),
      );
    } else console.log('dist/ is missing: the command itself is not timed (npx tsc -p tsconfig.build.json)');
    console.log(
      `load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    pki.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
