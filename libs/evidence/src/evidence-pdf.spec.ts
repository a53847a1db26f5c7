/**
 * The evidence PDF's layout for officials: page numbers and the memorandum's title and id on every
 * page, local times with the zone named, labels instead of codes, recurrences in words, and XMP
 * metadata that states ModifyDate; sealed, it still verifies (pdfsig and the verifier).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent } from '@kelisim/history';
import { canonicalTerms, revisionHash } from '@kelisim/memoranda';
import { throwawaySealKey } from '../../../test/support/evidence-forgeries';
import { EVIDENCE_VERSION, EvidenceData, EvidenceEvent } from './evidence-data';
import { renderEvidencePdf } from './evidence-pdf';
import { verifyEvidencePdf } from './evidence-verifier';
import { sealPdf } from './seal';

const MID = '11111111-2222-4333-8444-555555555555';
const ORG = 'aaaaaaaa-0000-4000-8000-000000000001';

function evidence(language: 'kk' | 'ru' | 'en', title: string): EvidenceData {
  const terms = canonicalTerms({
    title,
    purpose: 'Жастар ынтымақтастығы',
    body: Array.from({ length: 40 }, (_, i) => `${i + 1}. Тармақ мәтіні, ежеквартально.`).join('\n\n'),
    language,
    timeZone: 'Asia/Almaty',
    effectiveDate: '2021-09-28',
    endDate: '2024-09-28',
    parties: [{ organisationId: ORG, role: 'signatory', order: 1, requiredSignatures: 1 }],
  });
  const hash = revisionHash(terms);
  const events: EvidenceEvent[] = [];
  let prev = GENESIS_HASH;
  const add = (action: string, extra: Partial<EvidenceEvent> = {}) => {
    const fields = {
      id: `00000000-0000-4000-8000-${String(events.length + 1).padStart(12, '0')}`,
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
  for (let i = 0; i < 30; i++) add('edit');
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
      version: events.length,
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
        representatives: [{ fullName: 'Парида Мамедова', roles: ['signatory', 'coordinator'] }],
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
        recordedAt: '2021-09-28T05:04:00.000Z',
        place: 'Тараз',
        evidenceReference: 'photo-1',
        evidenceSha256: 'a'.repeat(64),
      },
    ],
    commitments: [
      { title: '2.1 Есеп', status: 'in_progress', leadOrganisation: org.name, due: 'RRULE:FREQ=MONTHLY;INTERVAL=3' },
      { title: '2.2 Форум', status: 'planned', leadOrganisation: null, due: '2022-05-01' },
      { title: '2.3 Кездесу', status: 'planned', leadOrganisation: null, due: 'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4' },
    ],
    history: { events, head: { seq: events.length, hash: prev } },
  };
}

const pages = (pdf: Buffer): string[] =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').split('\f').slice(0, -1);

describe('evidence PDF for officials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-evidence-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['ru', 'стр.', 'Мемо & <партнерство>'],
    ['kk', 'бет', 'Серіктестік туралы меморандум'],
    ['en', 'page', 'Partnership memorandum'],
  ] as const)('%s: the page number and the title and id on every page', async (language, page, title) => {
    const text = pages(await renderEvidencePdf(evidence(language, title), { sealNote: 'Not sealed.' }));
    expect(text.length).toBeGreaterThan(2);
    text.forEach((p, i) => {
      expect(p).toContain(`${page} ${i + 1} / ${text.length}`);
      expect(p).toContain(title);
      expect(p).toContain(MID);
    });
  });

  it('local times with the zone, labels in the document’s language, recurrences in words', async () => {
    // Lines wrap where the page ends them: compared with single spaces.
    const text = pages(await renderEvidencePdf(evidence('ru', 'Меморандум'), { sealNote: 'Not sealed.' }))
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(text).toContain('Сформирован: 28.09.2021 12:00:00 (Asia/Almaty, UTC+06:00)');
    // Who approved and when, as the hashed history records it (its approve event), not the row.
    expect(text).toMatch(
      /Одобрено — Парида Мамедова, 28\.09\.2021 11:32:00 \(Asia\/Almaty, UTC\+06:00\) \(history event 33\)/,
    );
    expect(text).toMatch(
      /Парида Мамедова \(На церемонии; name as the hashed history records it, not signed with a key\), подписано 28\.09\.2021 11:03:00/,
    );
    expect(text).toContain('статус: Подписан');
    expect(text).toContain('Подписант, требуется подписей: 1');
    expect(text).toContain(
      "server's user list when this file was made; not signed, not in the hashed text): Парида Мамедова (Қоғамдық келісім, Подписант, Координатор)",
    );
    expect(text).toContain('Выполняется; ответственный: КГУ «Қоғамдық келісім»; срок: ежеквартально');
    expect(text).toContain('срок: 01.05.2022');
    // A rule the formatter does not put into words is printed as it is.
    expect(text).toContain('срок: RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4');
    expect(text).toMatch(/34\. 28\.09\.2021 11:33:00 \(Asia\/Almaty, UTC\+06:00\) Подписано — Парида Мамедова/);
    for (const code of ['in_person', 'in_progress', 'executed', ' approve ', ' sign;'])
      expect(text).not.toContain(code);
  });

  it('XMP states ModifyDate, with the title escaped; sealed, pdfsig and the verifier accept it', async () => {
    const pdf = await renderEvidencePdf(evidence('en', 'R&D <partners>'), { sealNote: 'Sealed.' });
    const xmp = /<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/.exec(pdf.toString('utf8'))![0];
    expect(xmp).toContain('<xmp:ModifyDate>2021-09-28T06:00:00Z</xmp:ModifyDate>');
    expect(xmp).toContain('<xmp:CreateDate>2021-09-28T06:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain('Evidence: R&amp;D &lt;partners&gt;');
    const key = await throwawaySealKey('Қоғамдық келісім мөрі');
    const sealed = await sealPdf(pdf, key, new Date('2021-09-28T06:00:00Z'));
    writeFileSync(join(dir, 'sealed.pdf'), sealed);
    const out = spawnSync('pdfsig', [join(dir, 'sealed.pdf')], { encoding: 'utf8' }).stdout;
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Total document signed');
    const verdict = verifyEvidencePdf(sealed, { fingerprints: [key.fingerprint] });
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.status).toBe('valid');
  });
});
