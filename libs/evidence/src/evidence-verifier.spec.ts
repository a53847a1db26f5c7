import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent } from '@kelisim/history';
import { canonicalTerms, revisionHash, RevisionTerms } from '@kelisim/memoranda';
import { EVIDENCE_VERSION, EvidenceData, EvidenceEvent } from './evidence-data';
import { renderEvidencePdf } from './evidence-pdf';
import { verifyEvidencePdf } from './evidence-verifier';
import forge from 'node-forge';
import {
  countersign,
  editTextWithQpdf,
  overlayAnnotation,
  overlayContent,
  resealRestated,
  stripSeal,
  throwawaySealKey,
} from '../../../test/support/evidence-forgeries';
import { createHash, createPrivateKey } from 'node:crypto';
import { TestPki } from '../../../test/support/test-pki';
import { sealKeyFromP12 } from './evidence-seal.service';
import { stampDigest } from './pdf-file';
import { SealKey, sealPdf } from './seal';

const MID = '11111111-2222-4333-8444-555555555555';
const ORG = 'aaaaaaaa-0000-4000-8000-000000000001';
const LETTERS = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі';

function evidence(body = 'Первый абзац.\n\nВторой абзац.', signData: Record<string, unknown> = {}): EvidenceData {
  const terms: RevisionTerms = canonicalTerms({
    title: 'Меморандум о партнерстве',
    purpose: 'Сотрудничество молодежи',
    body,
    language: 'ru',
    timeZone: 'Asia/Almaty',
    effectiveDate: '2021-09-28',
    endDate: '2024-09-28',
    parties: [{ organisationId: ORG, role: 'signatory', order: 1, requiredSignatures: 1 }],
    translations: {
      equallyAuthentic: true,
      texts: {
        kk: {
          title: `Серіктестік туралы меморандум ${LETTERS}`,
          purpose: 'Жастар ынтымақтастығы',
          body: 'Бірінші.\n\nЕкінші.',
        },
      },
    },
  });
  const hash = revisionHash(terms);
  const events: EvidenceEvent[] = [];
  let prev = GENESIS_HASH;
  const add = (action: string, extra: Partial<EvidenceEvent> = {}) => {
    const fields = {
      id: `00000000-0000-4000-8000-00000000000${events.length + 1}`,
      memorandumId: MID,
      seq: events.length + 1,
      action,
      fromStatus: null,
      toStatus: 'draft',
      actorUserId: null,
      actorName: 'Парида Мамедова',
      organisationId: ORG,
      revisionNumber: 1,
      revisionHash: null,
      reason: null,
      requestId: null,
      data: {},
      prevHash: prev,
      ...extra,
    };
    const at = new Date(Date.UTC(2021, 8, 28, 5, events.length));
    const h = hashEvent({ ...fields, at });
    events.push({ ...fields, at: at.toISOString(), hash: h });
    prev = h;
  };
  add('create');
  add('submit', { revisionHash: hash });
  add('approve', { revisionHash: hash });
  add('sign', { revisionHash: hash, data: signData });
  const org = { id: ORG, name: 'КГУ «Қоғамдық келісім»', shortName: 'Қоғамдық келісім' };
  return {
    v: EVIDENCE_VERSION,
    generatedAt: '2021-09-28T06:00:00.000Z',
    memorandum: {
      id: MID,
      title: terms.title,
      status: 'executed',
      amendmentStatus: null,
      version: 4,
      coordinatingOrganisation: org,
      templateId: null,
      templateVersion: null,
    },
    revision: { number: 1, kind: 'original', hash, frozenAt: '2021-09-28T05:01:00.000Z', terms },
    parties: [
      {
        ...org,
        role: 'signatory',
        order: 1,
        requiredSignatures: 1,
        representatives: [{ fullName: 'Парида Мамедова', roles: ['signatory'] }],
      },
    ],
    approvals: [
      {
        organisationId: ORG,
        decision: 'approve',
        revisionNumber: 1,
        revisionHash: hash,
        decidedBy: 'Парида Мамедова',
        decidedAt: '2021-09-28T05:02:00.000Z',
        comment: null,
      },
    ],
    signatures: [
      {
        organisationId: ORG,
        method: 'in_person',
        signerName: 'Парида Мамедова',
        revisionNumber: 1,
        revisionHash: hash,
        signedAt: '2021-09-28T05:03:00.000Z',
        recordedAt: '2021-09-28T05:03:00.000Z',
        place: 'Тараз',
        evidenceReference: 'photo-1',
        evidenceSha256: 'a'.repeat(64),
      },
    ],
    history: { events, head: { seq: events.length, hash: prev } },
  };
}

const failing = (pdf: Buffer) =>
  verifyEvidencePdf(pdf)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);

describe('evidence PDF, verified offline', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderEvidencePdf(evidence(), { sealNote: 'Not sealed.' });
  });

  it('finds nothing wrong with it as made, but calls it unsealed, not valid; the same bytes when made again', async () => {
    const verdict = verifyEvidencePdf(pdf);
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict).toMatchObject({ valid: false, status: 'unsealed' });
    expect((await renderEvidencePdf(evidence(), { sealNote: 'Not sealed.' })).equals(pdf)).toBe(true);
  });

  it('shows both texts, every Kazakh letter exactly, and the hashes (pdftotext)', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
    expect(text).toContain(LETTERS);
    expect(text).toContain('Второй абзац.');
    expect(text).toContain('Екінші.');
    expect(text.replace(/\s+/g, '')).toContain(evidence().revision.hash);
    expect(text.replace(/\s+/g, '')).toContain(evidence().history.head.hash);
  });

  it('fails, naming it, when one byte of the attached JSON changes (and when the digest is then re-stamped)', () => {
    const at = pdf.indexOf('"purpose": "Сотрудничество', 0, 'utf8') + '"purpose": "'.length;
    const edited = Buffer.from(pdf);
    expect(edited[at + 1]).toBe(0xa1); // С is D0 A1 in UTF-8; D0 A0 is Р
    edited[at + 1] = 0xa0;
    expect(verifyEvidencePdf(edited).valid).toBe(false);
    expect(failing(edited)).toEqual(['file_integrity', 'revision_hash']);
    const slot = edited.indexOf('(KELISIM-SHA256:', 0, 'latin1') + '(KELISIM-SHA256:'.length;
    edited.write('0'.repeat(64), slot, 'latin1');
    expect(failing(stampDigest(edited))).toEqual(['revision_hash']);
  });

  it('fails when a byte of the page text changes', () => {
    const stream = pdf.indexOf('BT', pdf.indexOf('stream', 0, 'latin1'), 'latin1');
    const edited = Buffer.from(pdf);
    const hex = edited.indexOf('<', stream, 'latin1') + 1;
    edited[hex] = edited[hex] === 0x30 ? 0x31 : 0x30;
    expect(verifyEvidencePdf(edited).valid).toBe(false);
    expect(failing(edited)).toEqual(['file_integrity']);
  });

  it('fails with a clear verdict for a file that is not Kelisim evidence', () => {
    expect(verifyEvidencePdf(Buffer.from('hello')).checks).toEqual([
      { name: 'pdf', ok: false, detail: 'the file is not a PDF' },
    ]);
    const other = Buffer.from('%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n', 'latin1');
    const verdict = verifyEvidencePdf(other);
    expect(verdict.valid).toBe(false);
    expect(failing(other)).toEqual(['evidence_attachment', 'file_integrity']);
  });

  it('fails when something is appended after the file was issued', () => {
    const edited = Buffer.concat([pdf, Buffer.from('1 0 obj\n<< >>\nendobj\n%%EOF\n')]);
    expect(failing(edited)).toEqual(['file_integrity']);
  });
});

/** A throwaway RSA key in a PKCS#12 file, named in Kazakh, made by node-forge as operators' tools make them. */
function throwawayP12(name: string): Buffer {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2021-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2031-01-01T00:00:00Z');
  const fields = [
    { name: 'commonName', value: name, valueTagClass: forge.asn1.Type.UTF8 },
  ] as unknown as forge.pki.CertificateField[];
  cert.setSubject(fields);
  cert.setIssuer(fields);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'test-passphrase', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

function pdfsig(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-seal-'));
  writeFileSync(join(dir, 'sealed.pdf'), pdf);
  return spawnSync('pdfsig', [join(dir, 'sealed.pdf')], { encoding: 'utf8' }).stdout;
}

const AT = new Date('2021-09-28T06:00:00Z');
const NAME = 'Қоғамдық келісім';

describe('evidence PDF with a PAdES seal', () => {
  let key: SealKey & { fingerprint: string };
  let sealed: Buffer;
  beforeAll(async () => {
    key = await throwawaySealKey(NAME);
    const pdf = await renderEvidencePdf(evidence(), { sealNote: 'Sealed.', sealFingerprint: key.fingerprint });
    sealed = await sealPdf(pdf, key, AT);
  });
  const trust = () => ({ fingerprints: [key.fingerprint] });

  it('is VALID with its seal trusted; without, intact but its origin not proven, the fingerprint shown', () => {
    const trusted = verifyEvidencePdf(sealed, trust());
    expect(trusted.checks.filter((c) => !c.ok)).toEqual([]);
    expect(trusted).toMatchObject({ valid: true, status: 'valid', updates: [] });
    expect(trusted.seal).toEqual({
      signer: NAME,
      fingerprint: key.fingerprint,
      signedAt: AT.toISOString(),
      trusted: true,
    });
    const alone = verifyEvidencePdf(sealed);
    expect(alone).toMatchObject({ valid: false, status: 'intact' });
    expect(alone.checks.find((c) => c.name === 'seal')!.detail).toContain(key.fingerprint);
  });

  it('is a signature poppler finds valid over the total document, with a Kazakh name (ECDSA)', () => {
    const out = pdfsig(sealed);
    expect(out).toContain(`Signer Certificate Common Name: ${NAME}`);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
  });

  it("seals with an operator's PKCS#12 (RSA) named in Kazakh: poppler finds the signature valid", async () => {
    const operator = sealKeyFromP12(throwawayP12(`${NAME} (оператор)`), 'test-passphrase');
    expect(operator.subject).toBe(`${NAME} (оператор)`);
    const pdf = await renderEvidencePdf(evidence(), { sealNote: 'Sealed.', sealFingerprint: operator.fingerprint });
    const out = pdfsig(await sealPdf(pdf, operator, AT));
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).not.toContain('Unknown Validation Failure');
  });

  it('refuses a byte changed inside the seal, or anything after it that is not a signature', () => {
    const edited = Buffer.from(sealed);
    const at = edited.indexOf('/Reason (Kelisim', 0, 'latin1') + 9;
    edited[at] = 'X'.charCodeAt(0);
    expect(failing(edited)).toEqual(['seal']);
    expect(verifyEvidencePdf(Buffer.concat([sealed, Buffer.from('%extra\n')]), trust()).status).toBe('invalid');
  });

  it('refuses every forgery, with or without the seal trusted', async () => {
    const other = await throwawaySealKey(NAME);
    const forgeries: Record<string, Buffer> = {
      'text edited with qpdf, digest recomputed': editTextWithQpdf(sealed),
      'seal stripped': stripSeal(sealed),
      'sealed again with another key of the same name': await sealPdf(stripSeal(sealed), other, AT),
      'overlay annotation after the seal': overlayAnnotation(sealed),
      'overlay content stream after the seal': overlayContent(sealed),
      'cut short': sealed.subarray(0, sealed.length - 700),
      'cut at the seal': sealed.subarray(0, sealed.indexOf('/ByteRange', 0, 'latin1')),
    };
    for (const [what, forged] of Object.entries(forgeries)) {
      expect({ what, status: verifyEvidencePdf(forged).status }).toEqual({ what, status: 'invalid' });
      expect({ what, status: verifyEvidencePdf(forged, trust()).status }).toEqual({ what, status: 'invalid' });
    }
    // Sealed again and the statement of the seal rewritten to match: consistent, so only trust tells.
    const restated = await resealRestated(sealed, other, AT);
    expect(verifyEvidencePdf(restated).status).toBe('intact');
    expect(verifyEvidencePdf(restated).seal!.fingerprint).toBe(other.fingerprint);
    expect(verifyEvidencePdf(restated, trust())).toMatchObject({ valid: false, status: 'invalid' });
  });

  it("accepts a party's countersignature after the seal, and names who signed it", async () => {
    const party = await throwawaySealKey('Жас Отан — Айгерим Серикова');
    const signed = await countersign(sealed, party, new Date('2021-09-29T06:00:00Z'));
    const verdict = verifyEvidencePdf(signed, trust());
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict).toMatchObject({ valid: true, status: 'valid' });
    expect(verdict.updates).toEqual([
      {
        kind: 'signature',
        signer: 'Жас Отан — Айгерим Серикова',
        fingerprint: party.fingerprint,
        signedAt: '2021-09-29T06:00:00.000Z',
      },
    ]);
    expect(pdfsig(signed).match(/Signature is Valid/g)).toHaveLength(2);
    // and an overlay after the countersignature is still refused
    expect(verifyEvidencePdf(overlayAnnotation(signed), trust()).status).toBe('invalid');
  });

  it('verifies a memorandum whose text holds %%EOF, startxref and the digest and seal markers', async () => {
    const body =
      'Бірінші.\n\n%%EOF\nstartxref\n0\n%%EOF\n\n(KELISIM-SHA256:' +
      'a'.repeat(64) +
      ') (KELISIM-SEAL-SHA256:' +
      'b'.repeat(64) +
      ') /F (kelisim-evidence.json) /ByteRange [0 1 2 3]';
    const pdf = await renderEvidencePdf(evidence(body), { sealNote: 'Sealed.', sealFingerprint: key.fingerprint });
    const verdict = verifyEvidencePdf(await sealPdf(pdf, key, AT), trust());
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.status).toBe('valid');
  });

  it('does not take a genuine file made before digital signatures were embedded for a forgery, and says so', async () => {
    const digital = { method: 'digital', signerName: 'Парида Мамедова', cmsSha256: 'c'.repeat(64) };
    const data = evidence(undefined, digital);
    data.signatures[0].method = 'digital';
    const verdict = verifyEvidencePdf(await renderEvidencePdf(data, { sealNote: 'Not sealed.' }));
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.checks.find((c) => c.name === 'digital_signatures')?.detail).toMatch(
      /^not checked: the file was made before digital signatures were embedded; 1 recorded/,
    );
  });

  it('refuses a file whose history records a signature its rows leave out', async () => {
    const data = evidence();
    data.signatures = [];
    const pdf = await renderEvidencePdf(data, { sealNote: 'Not sealed.' });
    expect(failing(pdf)).toEqual(['signatures']);
  });

  it('trusts an operator seal issued by a CA given as --anchors, through the chain in the CMS; not under another CA', async () => {
    const pki = await TestPki.create();
    try {
      const leaf = await pki.leaf('seal', { commonName: 'Қоғамдық келісім (CA)', kind: 'ecdsa' });
      const issued: SealKey = {
        privateKey: createPrivateKey(readFileSync(leaf.keyPath)),
        certificate: Buffer.from(leaf.cert.rawData),
        chain: [Buffer.from(pki.intermediate.cert.rawData)],
      };
      const fingerprint = createHash('sha256').update(issued.certificate).digest('hex');
      const pdf = await renderEvidencePdf(evidence(), { sealNote: 'Sealed.', sealFingerprint: fingerprint });
      const file = await sealPdf(pdf, issued, AT);
      const root = Buffer.from(pki.root.cert.rawData);
      expect(verifyEvidencePdf(file, { anchors: [root] })).toMatchObject({ status: 'valid', seal: { trusted: true } });
      // A seal pinned by --trust is trusted by its fingerprint alone: the anchors then vouch for signatories only.
      expect(verifyEvidencePdf(file, { fingerprints: ['f'.repeat(64)], anchors: [root] }).status).toBe('invalid');
      const stranger = Buffer.from(pki.strangerRoot.cert.rawData);
      expect(verifyEvidencePdf(file, { anchors: [stranger] }).status).toBe('invalid');
    } finally {
      rmSync(pki.dir, { recursive: true, force: true });
    }
  });
});
