/**
 * Forgeries of a sealed evidence PDF, built as an attacker would: with qpdf, with the project's
 * own sealing code and a key of their own, or by hand-written incremental updates. Every key is
 * made at run time.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendSignature,
  embeddedFile,
  embeddedFilesOf,
  EVIDENCE_ATTACHMENT,
  EvidenceData,
  EvidenceFile,
  makeSealKey,
  renderEvidencePdf,
  infoEntry,
  pdfRevisions,
  SEAL_PREFIX,
  SealKey,
  sealIdentity,
  sealPdf,
  stampDigest,
} from '@kelisim/evidence';

/** A fresh ECDSA seal key and certificate named `name` (an attacker may use the operator's name). */
export async function throwawaySealKey(name: string): Promise<SealKey & { fingerprint: string }> {
  const { pkcs8, certificate } = await makeSealKey(name, new Date('2021-01-01T00:00:00Z'));
  return {
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    certificate,
    fingerprint: sealIdentity(certificate).fingerprint,
  };
}

/** The file as issued, before its seal. */
export function stripSeal(sealed: Buffer): Buffer {
  const r = pdfRevisions(sealed);
  if (!r.ok) throw new Error(r.problem);
  return Buffer.from(sealed.subarray(0, r.revisions[0].end));
}

/** Where `marker` (in the Info dictionary of the file as issued, under `key`) begins. */
function infoSlot(pdf: Buffer, key: string, marker: string): number {
  const r = pdfRevisions(pdf);
  if (!r.ok) throw new Error(r.problem);
  const text = pdf.toString('latin1');
  const entry = infoEntry(text, r.revisions[0], key);
  const slot = entry ? text.indexOf(marker, entry.start) : -1;
  if (!entry || slot < 0 || slot > entry.end) throw new Error(`no ${marker} in the Info dictionary`);
  return slot;
}

/** Zeroes the digest slot of the Info dictionary and stamps the digest again, as anyone can. */
export function restamp(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  copy.write(`(KELISIM-SHA256:${'0'.repeat(64)})`, infoSlot(pdf, 'KelisimDigest', '(KELISIM-SHA256:'), 'latin1');
  return stampDigest(copy);
}

function withFile<T>(pdf: Buffer, run: (input: string, output: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-forgery-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return run(join(dir, 'in.pdf'), join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The visible text edited with qpdf: the file rewritten (`--qdf`, streams plain), one glyph of the
 * first text on the first page changed (same length), the digest recomputed.
 */
export function editTextWithQpdf(sealed: Buffer): Buffer {
  return withFile(sealed, (input, output) => {
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', input, output]);
    const pdf = readFileSync(output);
    const bt = pdf.indexOf('BT', pdf.indexOf('stream', pdf.indexOf('/Type /Page', 0, 'latin1'), 'latin1'), 'latin1');
    const at = pdf.indexOf('<', bt, 'latin1') + 2;
    pdf[at] = pdf[at] === 0x30 ? 0x31 : 0x30;
    return restamp(pdf);
  });
}

/** Objects appended as an incremental update (classic cross-reference table) after the last revision. */
export function appendUpdate(pdf: Buffer, objects: Array<[number, string]>): Buffer {
  const base = pdf[pdf.length - 1] === 0x0a ? pdf : Buffer.concat([pdf, Buffer.from('\n')]);
  const text = base.toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)![1]);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)![1];
  const info = /\/Info\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const startxref = /startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1];
  let body = '';
  const offsets: Array<[number, number]> = [];
  for (const [n, dict] of objects) {
    offsets.push([n, base.length + Buffer.byteLength(body, 'latin1')]);
    body += `${n} 0 obj\n${dict}\nendobj\n`;
  }
  const xrefAt = base.length + Buffer.byteLength(body, 'latin1');
  const top = Math.max(size, ...objects.map(([n]) => n + 1));
  body +=
    'xref\n0 1\n0000000000 65535 f \n' +
    offsets.map(([n, o]) => `${n} 1\n${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<<\n/Size ${top}\n/Root ${root}\n${info ? `/Info ${info}\n` : ''}/Prev ${startxref}\n>>\n` +
    `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([base, Buffer.from(body, 'latin1')]);
}

/** The first page object's number and dictionary. */
function firstPage(pdf: Buffer): { n: number; dict: string; size: number } {
  const text = pdf.toString('latin1');
  const m = /(?:^|\n)(\d+) 0 obj\s*<<((?:(?!endobj)[\s\S])*?\/Type \/Page\b(?:(?!endobj)[\s\S])*?)>>\s*endobj/.exec(
    text,
  )!;
  const trailer = text.slice(text.lastIndexOf('trailer'));
  return { n: Number(m[1]), dict: m[2], size: Number(/\/Size\s+(\d+)/.exec(trailer)![1]) };
}

/** An overlay after the seal: a FreeText annotation on the first page that reads like the text. */
export function overlayAnnotation(sealed: Buffer, words = 'ежегодно'): Buffer {
  const page = firstPage(sealed);
  const annot = page.size;
  const annots = /\/Annots\s*\[([^\]]*)\]/.exec(page.dict);
  const dict = annots
    ? page.dict.replace(annots[0], `/Annots [${annots[1]} ${annot} 0 R]`)
    : `${page.dict}/Annots [${annot} 0 R]\n`;
  return appendUpdate(sealed, [
    [
      annot,
      `<<\n/Type /Annot\n/Subtype /FreeText\n/Rect [50 700 300 760]\n/Contents (${words})\n/DA (/Helv 12 Tf 0 g)\n/F 4\n>>`,
    ],
    [page.n, `<<${dict}>>`],
  ]);
}

/** An overlay after the seal: a new content stream drawn on the first page over the text. */
export function overlayContent(sealed: Buffer): Buffer {
  const page = firstPage(sealed);
  const stream = page.size;
  const contents = /\/Contents\s+(\d+\s+\d+\s+R)/.exec(page.dict)!;
  const draw = '1 1 1 rg 40 600 520 200 re f';
  return appendUpdate(sealed, [
    [stream, `<<\n/Length ${draw.length}\n>>\nstream\n${draw}\nendstream`],
    [page.n, `<<${page.dict.replace(contents[0], `/Contents [${contents[1]} ${stream} 0 R]`)}>>`],
  ]);
}

/** The seal cut off and the file sealed again with `key`, its statement of the seal rewritten to match. */
export async function resealRestated(
  sealed: Buffer,
  key: SealKey & { fingerprint: string },
  at: Date,
): Promise<Buffer> {
  const issued = stripSeal(sealed);
  const copy = Buffer.from(issued);
  copy.write(`${SEAL_PREFIX}${key.fingerprint}`, infoSlot(issued, 'KelisimSeal', SEAL_PREFIX), 'latin1');
  return sealPdf(restamp(copy), key, at);
}

/** A party's countersignature after the seal: a further signature field, signed with its key. */
export function countersign(sealed: Buffer, key: SealKey, at: Date): Promise<Buffer> {
  return appendSignature(sealed, key, at, { field: 'Countersignature', reason: 'Agreed' });
}

/** The evidence JSON and every file embedded beside it (the canonical bytes, each CMS), as the file holds them. */
export function evidenceOf(pdf: Buffer): { data: EvidenceData; files: EvidenceFile[] } {
  const data = JSON.parse(embeddedFile(pdf, EVIDENCE_ATTACHMENT)!.toString('utf8')) as EvidenceData;
  const r = pdfRevisions(pdf);
  if (!r.ok) throw new Error(r.problem);
  const names = [
    ...(data.revision.canonicalFile ? [data.revision.canonicalFile] : []),
    ...data.signatures.flatMap((s) => (s.digital ? [s.digital.cmsFile] : [])),
  ];
  const found = embeddedFilesOf(pdf.toString('latin1'), pdf, r.revisions[0], new Set(names));
  const files = names.map((name) => {
    const bytes = found.get(name);
    if (!Buffer.isBuffer(bytes)) throw new Error(`${name} is not embedded`);
    return {
      name,
      bytes,
      type: name.endsWith('.p7s') ? 'application/pkcs7-signature' : 'application/json',
      description: name,
    };
  });
  return { data, files };
}

/**
 * The whole file rebuilt with the project's own code after `edit` changed its evidence or its
 * embedded files, and sealed with `key` (an attacker's, or the operator's own key in the hands of
 * an insider), the file's statement of its seal naming that key.
 */
export async function rebuildWith(
  sealed: Buffer,
  key: SealKey & { fingerprint: string },
  at: Date,
  edit: (data: EvidenceData, files: EvidenceFile[]) => void,
): Promise<Buffer> {
  const { data, files } = evidenceOf(sealed);
  edit(data, files);
  const pdf = await renderEvidencePdf(data, {
    sealNote: `Sealed by ${key.fingerprint}`,
    sealFingerprint: key.fingerprint,
    files,
  });
  return sealPdf(pdf, key, at);
}
