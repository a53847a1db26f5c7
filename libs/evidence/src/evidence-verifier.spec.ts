import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent } from '@kelisim/history';
import { canonicalTerms, revisionHash, RevisionTerms } from '@kelisim/memoranda';
import { EVIDENCE_VERSION, EvidenceData, EvidenceEvent } from './evidence-data';
import { renderEvidencePdf } from './evidence-pdf';
import { verifyEvidencePdf } from './evidence-verifier';
import { stampDigest } from './pdf-file';
import forge from 'node-forge';
import { sealPdf } from './seal';

const MID = '11111111-2222-4333-8444-555555555555';
const ORG = 'aaaaaaaa-0000-4000-8000-000000000001';
const LETTERS = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі';

function evidence(): EvidenceData {
  const terms: RevisionTerms = canonicalTerms({
    title: 'Меморандум о партнерстве',
    purpose: 'Сотрудничество молодежи',
    body: 'Первый абзац.\n\nВторой абзац.',
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
  add('sign', { revisionHash: hash });
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

  it('verifies as made, and is the same bytes when made again', async () => {
    const verdict = verifyEvidencePdf(pdf);
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.valid).toBe(true);
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
    expect(failing(edited)).toEqual(['seal']);
  });
});

describe('evidence PDF with a PAdES seal', () => {
  // A throwaway key made for this test only (no key is kept in the repository).
  function throwawayP12(): Buffer {
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date('2021-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2031-01-01T00:00:00Z');
    const name = [{ name: 'commonName', value: 'Kelisim test seal' }];
    cert.setSubject(name);
    cert.setIssuer(name);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'test-passphrase', { algorithm: '3des' });
    return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  }

  let sealed: Buffer;
  beforeAll(async () => {
    const pdf = await renderEvidencePdf(evidence(), { sealNote: 'Sealed.' });
    sealed = await sealPdf(pdf, throwawayP12(), 'test-passphrase', new Date('2021-09-28T06:00:00Z'));
  });

  it('verifies, naming the sealer and saying the certificate is not trusted', () => {
    const verdict = verifyEvidencePdf(sealed);
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.checks.find((c) => c.name === 'seal')!.detail).toMatch(/^sealed by "Kelisim test seal"/);
    // Another implementation agrees: poppler's pdfsig finds the signature and that it covers the file.
    const dir = mkdtempSync(join(tmpdir(), 'kelisim-seal-'));
    writeFileSync(join(dir, 'sealed.pdf'), sealed);
    const out = spawnSync('pdfsig', [join(dir, 'sealed.pdf')], { encoding: 'utf8' }).stdout;
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
  });

  it('fails when a byte inside the sealed update or after it changes', () => {
    const edited = Buffer.from(sealed);
    const at = edited.indexOf('/Reason (Kelisim', 0, 'latin1') + 9;
    edited[at] = 'X'.charCodeAt(0);
    expect(failing(edited)).toEqual(['seal']);
    expect(failing(Buffer.concat([sealed, Buffer.from('%extra\n')]))).toEqual(['seal']);
  });
});
