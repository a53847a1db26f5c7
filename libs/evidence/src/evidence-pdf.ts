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
import { documentLanguage, evidenceWords, EvidenceWords } from './evidence-words';
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
function decisions(doc: Doc, d: EvidenceData, w: EvidenceWords, files: Map<string, Buffer>): void {
  heading(doc, 'Келісімдер / Согласования / Approvals');
  if (!d.approvals.length) line(doc, '—');
  const approvals = new Map<string, (typeof d.history.events)[number]>();
  for (const e of d.history.events)
    if (e.action === 'approve' && e.revisionHash === d.revision.hash && e.organisationId)
      approvals.set(e.organisationId, e);
  for (const a of d.approvals) {
    const e = a.decision === 'approve' ? approvals.get(a.organisationId) : undefined;
    const who = e
      ? `${e.actorName ?? '—'}, ${w.time(e.at)} (history event ${e.seq})`
      : `${a.decidedBy ?? '—'}, ${w.time(a.decidedAt)} (server's record)`;
    line(
      doc,
      `${name(d, a.organisationId)}: ${w.label('decision', a.decision)} — ${who}; ${w.revision} ${a.revisionNumber}, SHA-256 ${a.revisionHash}`,
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
          `BIN ${c.bin ?? '—'}, SHA-256 ${c.fingerprint}; issuer ${c.issuer}; ${w.signed} ${w.time(s.signedAt)} (signer's claim), ` +
          `${w.recorded} ${w.time(s.recordedAt)}; over ${d.revision.canonicalFile ?? '—'}, SHA-256 ${s.revisionHash}`,
      );
      continue;
    }
    const ceremony =
      s.method === 'in_person'
        ? `; ${w.place}: ${s.place ?? '—'}; ${w.evidence}: ${s.evidenceReference ?? '—'} SHA-256 ${s.evidenceSha256 ?? '—'} (coordinator's record)`
        : '';
    line(
      doc,
      `${name(d, s.organisationId)}: ${s.signerName} (${w.label('method', s.method)}; name as the hashed history records it, not signed with a key), ` +
        `${w.signed} ${w.time(s.signedAt)}, ${w.recorded} ${w.time(s.recordedAt)}; SHA-256 ${s.revisionHash}${ceremony}`,
    );
  }
  const witnesses = d.parties.filter((p) => p.role === 'witness');
  if (witnesses.length) line(doc, `Куәлар / Свидетели / Witnesses: ${witnesses.map((w) => w.name).join('; ')}`);
}

const xml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const xmpDate = (at: Date) => `${at.toISOString().split('.')[0]}Z`;

/**
 * pdfkit's XMP packet (PDF/A: it must agree with the Info dictionary) has no xmp:ModifyDate and does
 * not escape the title: this writes the same packet with the title escaped, and ModifyDate and
 * MetadataDate (the Info dictionary's ModDate).
 */
function metadata(doc: Doc, modified: Date): void {
  const d = doc as Doc & { info: PDFKit.DocumentInfo; appendXML(x: string, newline?: boolean): void };
  (d as unknown as { _addInfo: () => void })._addInfo = () => {
    const i = d.info as PDFKit.DocumentInfo & { Creator: string };
    d.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(i.CreationDate!)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(modified)}</xmp:ModifyDate>
            <xmp:MetadataDate>${xmpDate(modified)}</xmp:MetadataDate>
            <xmp:CreatorTool>${xml(i.Creator)}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(i.Title!)}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${xml(i.Author!)}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(i.Subject!)}</rdf:li></rdf:Alt></dc:description>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${xml(i.Creator)}</pdf:Producer>
            <pdf:Keywords>${xml(i.Keywords!)}</pdf:Keywords>
        </rdf:Description>
        `);
  };
}

/**
 * On every page, once the pages are laid out: the memorandum's title and id at the top, and the page
 * number ("бет 2 / 5") at the bottom, in the document's language, inside the margins' blank bands.
 */
function runningLines(doc: Doc, d: EvidenceData, w: EvidenceWords): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { left, right, top, bottom } = doc.page.margins;
    const width = doc.page.width - left - right;
    // Writing inside the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(7).fillColor('#444444');
    doc.text(`${d.memorandum.title} — ${w.memorandum} ${d.memorandum.id}`, left, top - 24, {
      width,
      height: 10,
      ellipsis: true,
      lineBreak: false,
    });
    doc.text(w.page(i - start + 1, count), left, doc.page.height - bottom + 16, {
      width,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}

/** The PDF bytes, digest stamped. Deterministic for the same evidence and options. */
export async function renderEvidencePdf(d: EvidenceData, options: RenderOptions): Promise<Buffer> {
  const { PDFDocument, QRCode } = await loadRenderers();
  const json = Buffer.from(JSON.stringify(d, null, 1), 'utf8');
  const created = new Date(d.generatedAt);
  const w = evidenceWords(documentLanguage(d.revision.terms.language), d.revision.terms.timeZone);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
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
  metadata(doc, created);
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
  const amendment = m.amendmentStatus ? ` (${w.amendment}: ${w.label('status', m.amendmentStatus)})` : '';
  line(doc, `${w.memorandum} ${m.id}; ${w.status}: ${w.label('status', m.status)}${amendment}`);
  line(doc, `Үйлестіруші / Координатор / Coordinator: ${m.coordinatingOrganisation.name}`);
  line(
    doc,
    `${w.revision} ${d.revision.number} (${w.kinds[d.revision.kind] ?? d.revision.kind}); SHA-256 ${d.revision.hash ?? w.notFrozen}`,
  );
  line(doc, `${w.made}: ${w.time(d.generatedAt)}; ${w.historyHead} ${d.history.head.seq}: ${d.history.head.hash}`);
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
    line(
      doc,
      `${p.order}. ${named} — ${w.label('partyRole', p.role)}, ${w.requiredSignatures}: ${p.requiredSignatures}`,
    );
  }
  line(
    doc,
    "Representatives (the server's user list when this file was made; not signed, not in the hashed text): " +
      (d.parties
        .flatMap((p) =>
          p.representatives.map(
            (r) => `${r.fullName} (${name(d, p.id)}, ${r.roles.map((x) => w.label('role', x)).join(', ')})`,
          ),
        )
        .join('; ') || '—'),
  );
  decisions(doc, d, w, files);
  if (d.commitments) {
    heading(doc, 'Міндеттемелер / Обязательства / Commitments');
    line(
      doc,
      'Status and due dates as the server recorded them when this file was made (the agreed plans are in the hashed text).',
    );
    if (!d.commitments.length) line(doc, '—');
    for (const c of d.commitments)
      line(
        doc,
        `${c.title} — ${w.label('commitment', c.status)}; ${w.lead}: ${c.leadOrganisation ?? '—'}; ${w.dueWord}: ${w.due(c.due)}`,
      );
  }
  heading(doc, 'Тарих / История / History (SHA-256 chain)');
  for (const e of d.history.events)
    line(
      doc,
      `${e.seq}. ${w.time(e.at)} ${w.label('action', e.action)}${e.actorName ? ` — ${e.actorName}` : ''}; ${e.hash}`,
    );

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
  runningLines(doc, d, w);
  doc.end();
  await done;
  return stampDigest(Buffer.concat(chunks));
}
