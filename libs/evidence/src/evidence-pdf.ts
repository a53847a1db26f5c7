/**
 * Renders evidence (EvidenceData) as a PDF/A-3b document: the texts (two languages side by side),
 * parties, approvals, signatures, commitments, the history chain and its head, a QR code and how
 * to verify; the evidence JSON attached as `kelisim-evidence.json` (AFRelationship Data). DejaVu
 * Sans (every Kazakh letter) is embedded as a subset. Written uncompressed so that the verifier can
 * read the attachment without a PDF library; the file's SHA-256 is stamped into its Info dictionary.
 */
import { dirname, join } from 'node:path';
import type PDFKitDocument from 'pdfkit';
import type QRCodeModule from 'qrcode';
import { textIn } from '@kelisim/memoranda';
import { readCms } from './embedded-signatures';
import { EVIDENCE_ATTACHMENT, EvidenceData, EvidenceFile } from './evidence-data';
import { DIGEST_PLACEHOLDER, SEAL_PREFIX, stampDigest } from './pdf-file';

const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');
const LANGUAGE_NAMES: Record<string, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

export interface RenderOptions {
  /** One line about the seal: what will seal it, or that it is not sealed. */
  sealNote: string;
  /**
   * SHA-256 of the certificate that will seal the file, stated in its Info dictionary (under the
   * digest): a verifier then knows a seal was cut off, or replaced by another key's.
   */
  sealFingerprint?: string;
  /** Where to verify on the web, if the operator set a public address. */
  verifyUrl?: string;
  /** Embedded beside the JSON: the canonical bytes and each digital signature's CMS (collectEvidenceFiles). */
  files?: EvidenceFile[];
}

type Doc = PDFKit.PDFDocument;

/**
 * pdfkit (with fontkit) and qrcode took about 0.4 s to load on the shared 2-core development machine;
 * most processes never render evidence, so they are loaded with the first PDF, not at start-up.
 */
let renderers: Promise<{ PDFDocument: typeof PDFKitDocument; QRCode: typeof QRCodeModule }> | undefined;
const loadRenderers = () =>
  (renderers ??= Promise.all([import('pdfkit'), import('qrcode')]).then(([pdfkit, qrcode]) => ({
    PDFDocument: pdfkit.default,
    QRCode: qrcode.default,
  })));

function heading(doc: Doc, text: string): void {
  if (doc.y > doc.page.height - 120) doc.addPage();
  doc.moveDown(0.6).font('bold').fontSize(12).text(text).moveDown(0.2).font('regular').fontSize(9);
}

function line(doc: Doc, text: string): void {
  doc.font('regular').fontSize(9).text(text);
}

/** Paragraph by paragraph, the two texts in two columns, page breaks between paragraph pairs. */
function sideBySide(doc: Doc, left: string[], right: string[]): void {
  const gap = 16;
  const x = doc.page.margins.left;
  const width = (doc.page.width - doc.page.margins.left - doc.page.margins.right - gap) / 2;
  const bottom = doc.page.height - doc.page.margins.bottom;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const [a, b] = [left[i] ?? '', right[i] ?? ''];
    const h = Math.max(doc.heightOfString(a, { width }), doc.heightOfString(b, { width }));
    if (doc.y + h > bottom && h < bottom - doc.page.margins.top) doc.addPage();
    const y = doc.y;
    doc.text(a, x, y, { width });
    const afterLeft = doc.y;
    doc.text(b, x + width + gap, y, { width });
    doc.x = x;
    doc.y = Math.max(doc.y, afterLeft) + 4;
  }
}

function paragraphs(t: { title: string; purpose: string; body: string }): string[] {
  return [t.title, t.purpose, ...t.body.split(/\n\s*\n/).map((p) => p.trim())].filter(Boolean);
}

function texts(doc: Doc, d: EvidenceData): void {
  const terms = d.revision.terms;
  const languages = [terms.language, ...Object.keys(terms.translations?.texts ?? {}).sort()];
  const authenticity = terms.translations?.equallyAuthentic
    ? 'Барлық мәтін бірдей түпнұсқалы / Все тексты равно аутентичны / All texts equally authentic'
    : `Түпнұсқа / Оригинал / Original: ${LANGUAGE_NAMES[terms.language] ?? terms.language}`;
  heading(doc, 'Мәтін / Текст / Text');
  line(doc, authenticity);
  doc.moveDown(0.4);
  const versions = languages.map((l) => ({ l, t: textIn(terms, l)! }));
  for (let i = 0; i < versions.length; i += 2) {
    const [a, b] = [versions[i], versions[i + 1]];
    if (!b) {
      doc
        .font('bold')
        .text(LANGUAGE_NAMES[a.l] ?? a.l)
        .font('regular');
      for (const p of paragraphs(a.t)) doc.text(p).moveDown(0.3);
      continue;
    }
    doc.font('bold');
    sideBySide(doc, [LANGUAGE_NAMES[a.l] ?? a.l], [LANGUAGE_NAMES[b.l] ?? b.l]);
    doc.font('regular');
    sideBySide(doc, paragraphs(a.t), paragraphs(b.t));
  }
}

function qr(QRCode: typeof QRCodeModule, doc: Doc, text: string, x: number, y: number, size: number): void {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const cell = size / modules.size;
  doc.save().fillColor('black');
  for (let r = 0; r < modules.size; r++)
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) doc.rect(x + c * cell, y + r * cell, cell, cell);
  doc.fill().restore();
}

const name = (d: EvidenceData, organisationId: string) =>
  (d.revision.terms.parties ?? []).find((p) => p.organisationId === organisationId)?.shortName ||
  d.parties.find((p) => p.id === organisationId)?.shortName ||
  (d.memorandum.coordinatingOrganisation.id === organisationId
    ? d.memorandum.coordinatingOrganisation.shortName
    : organisationId);

/**
 * Approvals and signatures, from verified material only: who decided and when as the hashed
 * history records it (the verifier checks each row against it); a digital signature's signer,
 * IIN and BIN as its certificate says (the CMS embedded beside). The server's other fields are
 * marked as its record.
 */
function decisions(doc: Doc, d: EvidenceData, files: Map<string, Buffer>): void {
  heading(doc, 'Келісімдер / Согласования / Approvals');
  if (!d.approvals.length) line(doc, '—');
  const approvals = new Map<string, (typeof d.history.events)[number]>();
  for (const e of d.history.events)
    if (e.action === 'approve' && e.revisionHash === d.revision.hash && e.organisationId)
      approvals.set(e.organisationId, e);
  for (const a of d.approvals) {
    const e = a.decision === 'approve' ? approvals.get(a.organisationId) : undefined;
    const who = e
      ? `${e.actorName ?? '—'}, ${e.at} (history event ${e.seq})`
      : `${a.decidedBy ?? '—'}, ${a.decidedAt} (server's record)`;
    line(
      doc,
      `${name(d, a.organisationId)}: ${a.decision} — ${who}; revision ${a.revisionNumber}, SHA-256 ${a.revisionHash}`,
    );
  }
  heading(doc, 'Қолтаңбалар / Подписи / Signatures');
  if (!d.signatures.length) line(doc, '—');
  for (const s of d.signatures) {
    const cms = s.digital ? files.get(s.digital.cmsFile) : undefined;
    if (s.digital && cms) {
      const c = readCms(cms).certificate;
      line(
        doc,
        `${name(d, s.organisationId)}: digital signature (${s.digital.cmsFile}) — certificate: ${c.commonName ?? '—'}, IIN ${c.iin ?? '—'}, ` +
          `BIN ${c.bin ?? '—'}, SHA-256 ${c.fingerprint}; issuer ${c.issuer}; signed ${s.signedAt} (signer's claim), ` +
          `recorded ${s.recordedAt}; over ${d.revision.canonicalFile ?? '—'}, SHA-256 ${s.revisionHash}`,
      );
      continue;
    }
    const ceremony =
      s.method === 'in_person'
        ? `; place: ${s.place ?? '—'}; evidence: ${s.evidenceReference ?? '—'} SHA-256 ${s.evidenceSha256 ?? '—'} (coordinator's record)`
        : '';
    line(
      doc,
      `${name(d, s.organisationId)}: ${s.signerName} (${s.method}; name as the hashed history records it, not signed with a key), ` +
        `signed ${s.signedAt}, recorded ${s.recordedAt}; SHA-256 ${s.revisionHash}${ceremony}`,
    );
  }
  const witnesses = d.parties.filter((p) => p.role === 'witness');
  if (witnesses.length) line(doc, `Куәлар / Свидетели / Witnesses: ${witnesses.map((w) => w.name).join('; ')}`);
}

/** The PDF bytes, digest stamped. Deterministic for the same evidence and options. */
export async function renderEvidencePdf(d: EvidenceData, options: RenderOptions): Promise<Buffer> {
  const { PDFDocument, QRCode } = await loadRenderers();
  const json = Buffer.from(JSON.stringify(d, null, 1), 'utf8');
  const created = new Date(d.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    compress: false,
    lang: d.revision.terms.language,
    displayTitle: true,
    info: {
      Title: `Evidence: ${d.memorandum.title}`,
      Author: 'Kelisim',
      Subject: `Memorandum ${d.memorandum.id}, history head ${d.history.head.hash}`,
      Keywords: 'Kelisim evidence',
      CreationDate: created,
      ModDate: created,
      KelisimDigest: DIGEST_PLACEHOLDER,
      ...(options.sealFingerprint ? { KelisimSeal: `${SEAL_PREFIX}${options.sealFingerprint}` } : {}),
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  doc.file(json, {
    name: EVIDENCE_ATTACHMENT,
    type: 'application/json',
    relationship: 'Data',
    description: 'Kelisim evidence: canonical revision, history events, approvals, signatures',
    creationDate: created,
    modifiedDate: created,
  } as Parameters<Doc['file']>[1]);
  for (const f of options.files ?? [])
    doc.file(f.bytes, {
      name: f.name,
      type: f.type,
      relationship: 'Data',
      description: f.description,
      creationDate: created,
      modifiedDate: created,
    } as Parameters<Doc['file']>[1]);
  const files = new Map((options.files ?? []).map((f) => [f.name, f.bytes]));

  const m = d.memorandum;
  doc.font('bold').fontSize(15).text('Kelisim — дәлелдеме / доказательство / evidence');
  doc.font('bold').fontSize(12).moveDown(0.3).text(m.title);
  doc.font('regular').fontSize(9).moveDown(0.3);
  line(doc, `Memorandum ${m.id}; status ${m.status}${m.amendmentStatus ? ` (amendment ${m.amendmentStatus})` : ''}`);
  line(doc, `Үйлестіруші / Координатор / Coordinator: ${m.coordinatingOrganisation.name}`);
  line(doc, `Revision ${d.revision.number} (${d.revision.kind}); SHA-256 ${d.revision.hash ?? '— (not frozen yet)'}`);
  line(doc, `Made ${d.generatedAt}; history head ${d.history.head.seq}: ${d.history.head.hash}`);
  texts(doc, d);

  heading(doc, 'Тараптар / Стороны / Parties');
  // The parties as the hashed text names them (form 2 freezes names and BIN); the server's user
  // list is shown as what it is, its record at the time of issue, which no party signed.
  const frozen = new Map(
    (d.revision.terms.parties ?? []).map((p) => [p.organisationId, p as { name?: string; bin?: string | null }]),
  );
  for (const p of d.parties) {
    const f = frozen.get(p.id);
    const named = f?.name ? `${f.name}${f.bin ? `, BIN ${f.bin}` : ''}` : `${p.name} (server's record)`;
    line(doc, `${p.order}. ${named} — ${p.role}, required signatures ${p.requiredSignatures}`);
  }
  line(
    doc,
    "Representatives (the server's user list when this file was made; not signed, not in the hashed text): " +
      (d.parties
        .flatMap((p) => p.representatives.map((r) => `${r.fullName} (${name(d, p.id)}, ${r.roles.join(', ')})`))
        .join('; ') || '—'),
  );
  decisions(doc, d, files);
  if (d.commitments) {
    heading(doc, 'Міндеттемелер / Обязательства / Commitments');
    line(
      doc,
      'Status and due dates as the server recorded them when this file was made (the agreed plans are in the hashed text).',
    );
    if (!d.commitments.length) line(doc, '—');
    for (const c of d.commitments)
      line(doc, `${c.title} — ${c.status}; lead ${c.leadOrganisation ?? '—'}; due ${c.due ?? '—'}`);
  }
  heading(doc, 'Тарих / История / History (SHA-256 chain)');
  for (const e of d.history.events)
    line(doc, `${e.seq}. ${e.at} ${e.action}${e.actorName ? ` — ${e.actorName}` : ''}; ${e.hash}`);

  heading(doc, 'Тексеру / Проверка / How to verify');
  const y = doc.y;
  const payload = options.verifyUrl
    ? `${options.verifyUrl}?memorandum=${m.id}&head=${d.history.head.hash}`
    : `kelisim:evidence:${m.id}:${d.revision.hash ?? 'draft'}:${d.history.head.hash}`;
  qr(QRCode, doc, payload, doc.page.margins.left, y, 90);
  doc.text(
    `Offline: kelisim verify-evidence FILE.pdf (no server needed). Online: POST /evidence/verify${options.verifyUrl ? ` or ${options.verifyUrl}` : ''}. ` +
      `The attached ${EVIDENCE_ATTACHMENT} holds the canonical texts and the hashed history; compare the head hash with another party's copy. ${options.sealNote}`,
    doc.page.margins.left + 100,
    y,
    { width: doc.page.width - doc.page.margins.left - doc.page.margins.right - 100 },
  );
  doc.end();
  await done;
  return stampDigest(Buffer.concat(chunks));
}
