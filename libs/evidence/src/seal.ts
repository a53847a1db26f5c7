/**
 * The PAdES seal (docs/evidence.md). Sealing appends an incremental update to the file as issued:
 * a signature field whose byte range covers the whole file but the signature itself; `@signpdf`
 * places the CMS (ETSI.CAdES.detached, PAdES B-B) that SealSigner makes with pkijs — RSA or ECDSA,
 * the signer identified by the certificate's own issuer bytes (a Kazakh or Russian name is carried
 * as it is, never re-encoded). The same function adds a further signature to a sealed file.
 *
 * The check reads the file's revisions (pdf-revisions.ts): the first is the file as issued, the
 * second must be the seal, and each later one a further signature or document timestamp that
 * changes nothing but the form it adds itself to. Anything else — an overlay, an edited page, a
 * removed or replaced seal, a file cut short — fails.
 */
import { createHash, KeyObject, sign, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { EvidenceCheck } from './evidence-check';
import { objectAt, PdfRevision, refOf } from './pdf-revisions';
import { chainsToAnchor, checkSignatureDictionary, fingerprintOf, PdfSignature } from './pdf-signatures';

const SIGNATURE_BYTES = 8192;
/** Room for the seal's CMS with a signature timestamp token (the TSA's certificate and chain) in it. */
const TIMESTAMPED_SIGNATURE_BYTES = 24_576;
const PLACEHOLDER = '/**********';
const MAX_UPDATE_OBJECTS = 64;

/** A key that seals: the private key, its certificate (DER) and any chain to send with it. */
export interface SealKey {
  privateKey: KeyObject;
  certificate: Buffer;
  chain?: Buffer[];
}

export interface SealIdentity {
  fingerprint: string;
  subject: string;
}

export function sealIdentity(certificate: Buffer): SealIdentity {
  const cert = pkijs.Certificate.fromBER(certificate);
  const cn = cert.subject.typesAndValues.find((v) => v.type === '2.5.4.3')?.value?.valueBlock?.value as
    string | undefined;
  return { fingerprint: fingerprintOf(certificate), subject: cn ?? new X509Certificate(certificate).subject };
}

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsa: '1.2.840.113549.1.1.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
};

/** The CMS (DER) of a detached PAdES B-B signature over `content`. */
export function sealCms(content: Buffer, key: SealKey, at: Date): Buffer {
  const cert = pkijs.Certificate.fromBER(key.certificate);
  const attr = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const attributes = [
    attr(OIDS.contentType, new asn1js.ObjectIdentifier({ value: OIDS.data })),
    attr(OIDS.signingTime, new asn1js.UTCTime({ valueDate: at })),
    attr(OIDS.messageDigest, new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })),
    // ESS signing-certificate-v2 (PAdES baseline): binds the signature to this certificate.
    attr(
      OIDS.signingCertificateV2,
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(key.certificate).digest() })],
              }),
            ],
          }),
        ],
      }),
    ),
  ];
  // A DER SET OF is sorted by its members' encodings; the bytes signed are those sent.
  const encoded = attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
  const order = attributes.map((_, i) => i).sort((x, y) => Buffer.compare(encoded[x], encoded[y]));
  const sorted = order.map((i) => attributes[i]);
  const setDer = Buffer.from(new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }).toBER(false));
  const ec = key.privateKey.asymmetricKeyType === 'ec';
  const signature = sign('sha256', setDer, { key: key.privateKey, dsaEncoding: 'der' });
  const signer = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      ec ? { algorithmId: OIDS.ecdsaSha256 } : { algorithmId: OIDS.rsa, algorithmParams: new asn1js.Null() },
    ),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
    certificates: [cert, ...(key.chain ?? []).map((c) => pkijs.Certificate.fromBER(c))],
    signerInfos: [signer],
  });
  const info = new pkijs.ContentInfo({ contentType: OIDS.signedData, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

const xrefEntry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;

/** The text of the last definition of object `n` (its dictionary between << >>), or null. */
function lastDefinition(pdf: string, n: number): string | null {
  let at = -1;
  for (const m of pdf.matchAll(new RegExp(`(^|[\\r\\n])${n} 0 obj\\s*`, 'g'))) at = m.index + m[0].length;
  if (at < 0) return null;
  const start = pdf.indexOf('<<', at);
  const end = pdf.lastIndexOf('>>', pdf.indexOf('endobj', start));
  return pdf.slice(start + 2, end);
}

/** The last trailer's Size, Root, Info, ID and startxref, and the catalog's dictionary. */
function structure(pdf: string) {
  const trailer = pdf.slice(pdf.lastIndexOf('trailer'));
  const num = (key: string) => Number(new RegExp(`/${key}\\s+(\\d+)`).exec(trailer)?.[1] ?? NaN);
  const root = num('Root');
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  const startxref = Number(/startxref\s+(\d+)/.exec(pdf.slice(pdf.lastIndexOf('startxref')))?.[1] ?? NaN);
  const catalog = lastDefinition(pdf, root);
  if (catalog === null || !Number.isFinite(num('Size')) || !Number.isFinite(startxref))
    throw new Error('not a PDF Kelisim wrote');
  return { size: num('Size'), root, info: num('Info'), id, startxref, catalog };
}

export interface SignatureFieldOptions {
  /** The field's name, unique in the file. */
  field: string;
  reason: string;
  /**
   * PAdES B-T: adds a signature timestamp to the CMS (as its unsigned attribute
   * id-aa-signatureTimeStampToken) before it is placed; answers the CMS to place.
   */
  timestamp?: (cms: Buffer) => Promise<Buffer>;
}

/**
 * Appends an invisible signature field (an incremental update) and signs it with `key`: the seal
 * on a file as issued, or a further signature on a sealed one (its form gets one more field).
 */
export async function appendSignature(
  pdf: Buffer,
  key: SealKey,
  at: Date,
  options: SignatureFieldOptions,
): Promise<Buffer> {
  // A signed file may end at its %%EOF: the update starts on a line of its own.
  if (pdf[pdf.length - 1] !== 0x0a) pdf = Buffer.concat([pdf, Buffer.from('\n')]);
  const text = pdf.toString('latin1');
  const s = structure(text);
  const [sig, widget] = [s.size, s.size + 1];
  const room = options.timestamp ? TIMESTAMPED_SIGNATURE_BYTES : SIGNATURE_BYTES;
  const when = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const objects: Array<[number, string]> = [
    [
      sig,
      `<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n` +
        `/ByteRange [0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER}]\n/Contents <${'0'.repeat(room * 2)}>\n` +
        `/Reason (${options.reason.replace(/[()\\]/g, '')})\n/M (D:${when}Z)\n>>`,
    ],
    [
      widget,
      `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/Rect [0 0 0 0]\n/F 132\n/T (${options.field.replace(/[()\\]/g, '')})\n/V ${sig} 0 R\n>>`,
    ],
  ];
  const formRef = refOf(s.catalog, 'AcroForm');
  let size = widget + 1;
  if (Number.isFinite(formRef)) {
    const form = lastDefinition(text, formRef) ?? '';
    const fields = /\/Fields\s*\[([^\]]*)\]/.exec(form);
    objects.push([
      formRef,
      fields
        ? `<<${form.replace(fields[0], `/Fields [${fields[1].trim()} ${widget} 0 R]`)}>>`
        : `<<${form}/Fields [${widget} 0 R]\n>>`,
    ]);
  } else {
    const form = widget + 1;
    size = form + 1;
    objects.push(
      [form, `<<\n/Fields [${widget} 0 R]\n/SigFlags 3\n>>`],
      [s.root, `<<${s.catalog}/AcroForm ${form} 0 R\n>>`],
    );
  }
  let body = '';
  const offsets = new Map<number, number>();
  for (const [n, dict] of objects) {
    offsets.set(n, pdf.length + Buffer.byteLength(body, 'latin1'));
    body += `${n} 0 obj\n${dict}\nendobj\n`;
  }
  const xrefAt = pdf.length + Buffer.byteLength(body, 'latin1');
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  body +=
    `xref\n0 1\n0000000000 65535 f \n` +
    numbers.map((n) => `${n} 1\n${xrefEntry(offsets.get(n)!)}`).join('') +
    `trailer\n<<\n/Size ${size}\n/Root ${s.root} 0 R\n${Number.isFinite(s.info) ? `/Info ${s.info} 0 R\n` : ''}` +
    `${s.id ? `/ID ${s.id}\n` : ''}/Prev ${s.startxref}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const placeholder = Buffer.concat([pdf, Buffer.from(body, 'latin1')]);
  // Loaded when a file is sealed, not by every process at start-up.
  const { SignPdf, Signer } = await import('@signpdf/signpdf');
  class SealSigner extends Signer {
    // eslint-disable-next-line @typescript-eslint/require-await
    override async sign(content: Buffer): Promise<Buffer> {
      const cms = sealCms(content, key, at);
      return options.timestamp ? options.timestamp(cms) : cms;
    }
  }
  return new SignPdf().sign(placeholder, new SealSigner(), at);
}

/** Seals the file as issued with the installation's (or the operator's) key; PAdES B-T with `timestamp`. */
export function sealPdf(
  pdf: Buffer,
  key: SealKey,
  at: Date,
  timestamp?: (cms: Buffer) => Promise<Buffer>,
): Promise<Buffer> {
  return appendSignature(pdf, key, at, {
    field: 'Kelisim seal',
    reason: 'Kelisim evidence seal',
    ...(timestamp ? { timestamp } : {}),
  });
}

/**
 * Who is trusted to have sealed a file: certificate fingerprints, and/or CA certificates (these
 * only when no fingerprint is named: a seal pinned by its fingerprint is not also trusted by CA);
 * and the CAs the signatories' certificates must chain to (`signerAnchors`: none, not checked).
 */
export interface SealTrust {
  fingerprints?: string[];
  anchors?: Buffer[];
  signerAnchors?: Buffer[];
}

export interface SignedRevisions {
  checks: EvidenceCheck[];
  status: 'sealed' | 'unsealed' | 'broken';
  seal?: { signer: string; fingerprint: string; signedAt: string | null; trusted: boolean | null };
  updates: Array<{ kind: 'signature' | 'timestamp'; signer: string; fingerprint: string; signedAt: string | null }>;
}

const normalise = (dict: string, drop: string[]) => {
  let out = dict;
  for (const key of drop)
    out = out.replace(new RegExp(`/${key}\\s*(\\[[^\\]]*\\]|\\d+\\s+\\d+\\s+R|\\d+|true|false)`, 'g'), '');
  return out
    .replace(/\s+/g, ' ')
    .replace(/\s*([[\]<>/()])\s*/g, '$1')
    .trim();
};
const refs = (dict: string, key: string) =>
  new Set(
    [...(new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dict)?.[1] ?? '').matchAll(/(\d+)\s+\d+\s+R/g)].map((m) =>
      Number(m[1]),
    ),
  );
const kindOf = (dict: string) =>
  [/\/Type\s*\/(\w+)/.exec(dict)?.[1], /\/Subtype\s*\/(\w+)/.exec(dict)?.[1]].filter(Boolean).join(' ') || 'object';

/**
 * What an update after the file as issued adds: exactly one signature (or document timestamp)
 * and the form field that holds it. Returns the signature, or what else the update does.
 */
function checkUpdate(
  pdf: Buffer,
  text: string,
  revisions: PdfRevision[],
  i: number,
): { ok: true; signature: PdfSignature } | { ok: false; problem: string } {
  const revision = revisions[i];
  const start = revisions[i - 1].end;
  const fail = (problem: string) => ({ ok: false as const, problem });
  const base = revisions[0].trailer;
  if (refOf(revision.trailer, 'Root') !== refOf(base, 'Root')) return fail('it replaces the document catalog');
  const info = refOf(base, 'Info');
  if (/\/Info\b/.test(revision.trailer) && refOf(revision.trailer, 'Info') !== info)
    return fail('it replaces the document information');
  // A cross-reference stream may point an object anywhere, even into text a memorandum holds:
  // only a table, whose every entry is read, is accepted after the seal.
  if (!revision.classic) return fail('it uses a cross-reference stream, which this verifier does not accept');
  if (revision.freed.length) return fail(`it deletes object ${revision.freed[0]}`);
  const located = new Map<number, number>(revision.objects);
  // A signature's update holds a handful of objects; reading each costs a scan, so few are read.
  if (located.size > MAX_UPDATE_OBJECTS) return fail(`it holds more than ${MAX_UPDATE_OBJECTS} objects`);
  const previous = (n: number) => {
    for (let j = i - 1; j >= 0; j--) {
      const at = revisions[j].objects.get(n);
      if (at !== undefined) return objectAt(text, at);
    }
    return null;
  };
  const defined = new Map<number, { dict: string; at: number; end: number; stream: boolean }>();
  for (const [n, at] of located) {
    if (at < start || at >= revision.end) return fail(`its cross-reference points object ${n} outside the update`);
    const obj = objectAt(text, at);
    if (!obj || obj.number !== n) return fail(`its object ${n} cannot be read`);
    defined.set(n, { dict: obj.dict, at, end: obj.end, stream: obj.stream });
  }
  const isSignatureField = (n: number) => {
    const d = defined.get(n)?.dict;
    return !!d && /\/FT\s*\/Sig\b/.test(d) && !/\/AP\b/.test(d) && !previous(n);
  };
  let signature: { dict: string; at: number; end: number } | null = null;
  for (const [n, obj] of defined) {
    if (/\/Type\s*\/XRef\b/.test(obj.dict)) continue;
    if (obj.stream) return fail(`it adds a stream (object ${n}) that could draw on a page`);
    if (/\/Type\s*\/(Sig|DocTimeStamp)\b/.test(obj.dict) && /\/ByteRange/.test(obj.dict)) {
      if (signature) return fail('it holds more than one signature');
      if (previous(n)) return fail(`it replaces the signature of an earlier revision (object ${n})`);
      signature = obj;
      continue;
    }
    const old = previous(n);
    if (!old) {
      if (/\/FT\s*\/Sig\b/.test(obj.dict)) {
        if (/\/AP\b/.test(obj.dict))
          return fail(`its signature field ${n} has an appearance that could cover the text`);
        continue;
      }
      if (/\/Fields\s*\[/.test(obj.dict) && kindOf(obj.dict) === 'object') {
        for (const r of refs(obj.dict, 'Fields')) {
          const was = previous(r);
          if (!isSignatureField(r) && !(was && /\/FT\s*\/Sig\b/.test(was.dict)))
            return fail(`its form lists object ${r}, which is not a signature field`);
        }
        continue;
      }
      return fail(`it adds object ${n} (${kindOf(obj.dict)}), which is neither a signature nor its field`);
    }
    if (n === info) return fail('it changes the document information');
    const drop = ['Annots', 'AcroForm', 'Fields', 'SigFlags'];
    if (normalise(old.dict, drop) !== normalise(obj.dict, drop))
      return fail(`it changes object ${n} (${kindOf(obj.dict)}) of the sealed file`);
    for (const key of ['Annots', 'Fields']) {
      const before = refs(old.dict, key);
      for (const r of refs(obj.dict, key))
        if (!before.has(r) && !isSignatureField(r)) return fail(`it adds object ${r} to /${key} of object ${n}`);
      for (const r of before) if (!refs(obj.dict, key).has(r)) return fail(`it removes object ${r} from object ${n}`);
    }
    const form = refOf(obj.dict, 'AcroForm');
    if (Number.isFinite(form) && form !== refOf(old.dict, 'AcroForm') && !defined.has(form))
      return fail('it points the form at an object of an earlier revision');
  }
  if (!signature) return fail('it holds no signature');
  const checked = checkSignatureDictionary(pdf, signature.dict, signature.at, signature.end, revision);
  return checked.ok ? checked : fail(checked.problem);
}

/**
 * The seal and every later update. `stated`: the seal certificate's fingerprint the file as
 * issued names (null: it names none). With `trust`, the seal must be one of its certificates.
 */
export function checkSignedRevisions(
  pdf: Buffer,
  text: string,
  revisions: PdfRevision[],
  stated: string | null,
  trust: SealTrust | null,
): SignedRevisions {
  const broken = (detail: string, name = 'seal'): SignedRevisions => ({
    checks: [{ name, ok: false, detail }],
    status: 'broken',
    updates: [],
  });
  if (revisions.length < 2) {
    if (stated)
      return broken(`the file names its seal (certificate SHA-256 ${stated}) but carries none: the seal was removed`);
    return {
      checks: [{ name: 'seal', ok: true, detail: 'not sealed: nothing proves who made this file' }],
      status: 'unsealed',
      updates: [],
    };
  }
  const first = checkUpdate(pdf, text, revisions, 1);
  if (!first.ok) return broken(`what follows the file as issued is not a valid seal: ${first.problem}`);
  const s = first.signature;
  if (s.kind !== 'signature') return broken('what follows the file as issued is a timestamp, not a seal');
  if (stated && s.fingerprint !== stated)
    return broken(
      `sealed with certificate SHA-256 ${s.fingerprint} ("${s.signer}"), but the file names its seal as ${stated}: it was sealed again with another key`,
    );
  let trusted: boolean | null = null;
  if (trust && (trust.fingerprints?.length || trust.anchors?.length)) {
    const fingerprints = new Set(trust.fingerprints ?? []);
    const anchors = (trust.anchors ?? []).map((a) => new X509Certificate(a));
    trusted =
      fingerprints.has(s.fingerprint) ||
      (!fingerprints.size && anchors.length > 0 && chainsToAnchor(s.certificate, s.extra, anchors));
  }
  const seal = { signer: s.signer, fingerprint: s.fingerprint, signedAt: s.signedAt, trusted };
  const sealCheck: EvidenceCheck =
    trusted === false
      ? {
          name: 'seal',
          ok: false,
          detail: `sealed by "${s.signer}" (certificate SHA-256 ${s.fingerprint}), which is not the trusted seal`,
        }
      : {
          name: 'seal',
          ok: true,
          detail: trusted
            ? `sealed by "${s.signer}" (certificate SHA-256 ${s.fingerprint}, trusted); it covers the whole file as issued`
            : `sealed by "${s.signer}" (certificate SHA-256 ${s.fingerprint}); the file is intact, but who sealed it is not proven until that fingerprint is compared with the operator's`,
        };
  const updates: SignedRevisions['updates'] = [];
  for (let i = 2; i < revisions.length; i++) {
    const u = checkUpdate(pdf, text, revisions, i);
    if (!u.ok)
      return {
        checks: [
          sealCheck,
          { name: 'later_updates', ok: false, detail: `update ${i - 1} after the seal is not allowed: ${u.problem}` },
        ],
        status: 'broken',
        seal,
        updates,
      };
    const { kind, signer, fingerprint, signedAt } = u.signature;
    updates.push({ kind, signer, fingerprint, signedAt });
  }
  const later: EvidenceCheck = {
    name: 'later_updates',
    ok: true,
    detail: updates.length
      ? updates
          .map(
            (u) =>
              `${u.kind === 'timestamp' ? 'timestamp by' : 'signed by'} "${u.signer}" (certificate SHA-256 ${u.fingerprint})${u.signedAt ? ` at ${u.signedAt}` : ''}`,
          )
          .join('; ')
      : 'nothing was added after the seal',
  };
  return { checks: [sealCheck, later], status: sealCheck.ok ? 'sealed' : 'broken', seal, updates };
}
