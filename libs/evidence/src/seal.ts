/**
 * The optional PAdES seal (docs/evidence.md). Sealing appends an incremental update to the file
 * as issued — a signature field whose byte range covers the whole file but the signature itself —
 * and `@signpdf` fills in a CMS (ETSI.CAdES.detached) signature made with the operator's PKCS#12
 * key. The check recomputes the digest of the covered bytes and the signature over it; it proves
 * the file was not changed since it was sealed, not who the key belongs to (no trust list).
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { EvidenceCheck } from './evidence-verifier';

const SIGNATURE_BYTES = 8192;
/**
 * Largest signature the seal check parses (DER bytes), 32 times the room Kelisim leaves for its
 * own: parsing costs time in proportion, and a file could make its "signature" nearly 20 MiB.
 */
const MAX_SIGNATURE_BYTES = 32 * SIGNATURE_BYTES;
const PLACEHOLDER = '/**********';

const xrefEntry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;

/** The catalog's dictionary (between its outer << >>) and the trailer's Size, Root, Info, ID and startxref. */
function structure(pdf: string) {
  const trailer = pdf.slice(pdf.lastIndexOf('trailer'));
  const num = (key: string) => Number(new RegExp(`/${key}\\s+(\\d+)`).exec(trailer)?.[1] ?? NaN);
  const root = num('Root');
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  const startxref = Number(/startxref\s+(\d+)/.exec(pdf.slice(pdf.lastIndexOf('startxref')))?.[1] ?? NaN);
  const at = new RegExp(`(^|\\n)${root} 0 obj\\s*`).exec(pdf);
  if (!at || !Number.isFinite(num('Size')) || !Number.isFinite(startxref)) throw new Error('not a PDF Kelisim wrote');
  const start = pdf.indexOf('<<', at.index);
  const end = pdf.lastIndexOf('>>', pdf.indexOf('endobj', start));
  return { size: num('Size'), root, info: num('Info'), id, startxref, catalog: pdf.slice(start + 2, end) };
}

/** Appends the signature field (an incremental update) and signs it with the PKCS#12 key. */
export async function sealPdf(pdf: Buffer, p12: Buffer, passphrase: string, at: Date): Promise<Buffer> {
  const text = pdf.toString('latin1');
  const s = structure(text);
  const [sig, widget, form] = [s.size, s.size + 1, s.size + 2];
  const when = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const objects: Array<[number, string]> = [
    [
      sig,
      `<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n` +
        `/ByteRange [0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER}]\n/Contents <${'0'.repeat(SIGNATURE_BYTES * 2)}>\n` +
        `/Reason (Kelisim evidence seal)\n/M (D:${when}Z)\n>>`,
    ],
    [
      widget,
      `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [0 0 0 0]\n/F 132\n/T (Kelisim seal)\n/V ${sig} 0 R\n>>`,
    ],
    [form, `<<\n/Fields [${widget} 0 R]\n/SigFlags 3\n>>`],
    [s.root, `<<${s.catalog}/AcroForm ${form} 0 R\n>>`],
  ];
  let body = '';
  const offsets = new Map<number, number>();
  for (const [n, dict] of objects) {
    offsets.set(n, pdf.length + Buffer.byteLength(body, 'latin1'));
    body += `${n} 0 obj\n${dict}\nendobj\n`;
  }
  const xrefAt = pdf.length + Buffer.byteLength(body, 'latin1');
  body +=
    `xref\n${s.root} 1\n${xrefEntry(offsets.get(s.root)!)}${sig} 3\n` +
    [sig, widget, form].map((n) => xrefEntry(offsets.get(n)!)).join('') +
    `trailer\n<<\n/Size ${form + 1}\n/Root ${s.root} 0 R\n${Number.isFinite(s.info) ? `/Info ${s.info} 0 R\n` : ''}` +
    `${s.id ? `/ID ${s.id}\n` : ''}/Prev ${s.startxref}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const placeholder = Buffer.concat([pdf, Buffer.from(body, 'latin1')]);
  // Loaded when an operator's key seals a file, not by every process at start-up.
  const [{ SignPdf }, { P12Signer }] = await Promise.all([import('@signpdf/signpdf'), import('@signpdf/signer-p12')]);
  return new SignPdf().sign(placeholder, new P12Signer(p12, { passphrase }), at);
}

function fail(detail: string): EvidenceCheck {
  return { name: 'seal', ok: false, detail };
}

/** Checks the seal, if any: its byte range covers the whole file, its digest and signature hold. */
export function checkSeal(pdf: Buffer, issuedLength: number): EvidenceCheck {
  if (issuedLength < 0 || issuedLength >= pdf.length)
    return { name: 'seal', ok: true, detail: 'not sealed (no PAdES signature): integrity, not identity, is checked' };
  const update = pdf.subarray(issuedLength).toString('latin1');
  const ranges = [...update.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (ranges.length !== 1)
    return fail(`${pdf.length - issuedLength} bytes were appended after the file was issued, and they are not a seal`);
  const [a, b, c, d] = ranges[0].slice(1, 5).map(Number);
  if (a !== 0 || c + d !== pdf.length || b <= issuedLength || c <= b)
    return fail('the seal does not cover the whole file: something was added or changed after it was sealed');
  if (c - b > 2 * MAX_SIGNATURE_BYTES + 2)
    return fail(`the seal's signature is larger than ${MAX_SIGNATURE_BYTES} bytes: not a seal this verifier reads`);
  const contents = pdf.subarray(b, c).toString('latin1');
  if (!/^<[0-9a-fA-F]+>$/.test(contents)) return fail('the seal has no signature where its byte range says');
  try {
    const der = Buffer.from(contents.slice(1, -1), 'hex');
    // The signature is padded with zeros to the placeholder's length: parse the first DER value only.
    const fromDer = forge.asn1.fromDer as unknown as (
      bytes: forge.util.ByteStringBuffer,
      options: object,
    ) => forge.asn1.Asn1;
    const asn1 = fromDer(forge.util.createBuffer(der.toString('binary')), { parseAllBytes: false });
    const message = forge.pkcs7.messageFromAsn1(asn1) as forge.pkcs7.PkcsSignedData & {
      rawCapture: { authenticatedAttributes?: forge.asn1.Asn1[]; signature: string };
    };
    const cert = message.certificates[0];
    const attributes = message.rawCapture.authenticatedAttributes ?? [];
    const digestAttr = attributes.find(
      (attr) =>
        forge.asn1.derToOid((attr.value as forge.asn1.Asn1[])[0].value as string) === forge.pki.oids.messageDigest,
    );
    const stated = ((digestAttr?.value as forge.asn1.Asn1[])?.[1]?.value as forge.asn1.Asn1[])?.[0]?.value as string;
    const covered = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c)]);
    const digest = createHash('sha256').update(covered).digest('binary');
    if (!stated || stated !== digest) return fail('the file was changed after it was sealed (its digest differs)');
    const signedAttrs = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes);
    const md = forge.md.sha256.create().update(forge.asn1.toDer(signedAttrs).getBytes());
    const key = cert.publicKey as forge.pki.rsa.PublicKey;
    if (!key.verify(md.digest().bytes(), message.rawCapture.signature))
      return fail('the seal signature does not verify');
    const field = (cert.subject.getField('CN') ?? cert.subject.attributes[0]) as {
      value?: string;
      valueTagClass?: number;
    };
    // forge keeps a UTF8String's bytes as they are: Kazakh and Russian names need decoding.
    const utf8 = field?.valueTagClass === forge.asn1.Type.UTF8;
    const subject = field?.value ? (utf8 ? forge.util.decodeUtf8(field.value) : field.value) : 'an unnamed certificate';
    return {
      name: 'seal',
      ok: true,
      detail: `sealed by "${subject}" (certificate not checked against a trust list: integrity, not identity)`,
    };
  } catch (e) {
    return fail(`the seal cannot be read: ${(e as Error).message}`);
  }
}
