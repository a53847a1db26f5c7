/**
 * The digital signatures embedded in an evidence PDF (docs/evidence.md): each signatory's CMS as
 * it was sent, beside the revision's canonical bytes, both as embedded files of the file as
 * issued (so the seal covers them). Checked offline, synchronously (the verifier runs in a worker
 * thread and on the command line): the canonical bytes hash to the revision hash, each CMS signs
 * exactly those bytes (pkijs reads it, node:crypto checks the value), its hash and certificate are
 * the ones the hashed history recorded, and its certificate chains to the anchors, when given.
 * Who signed is read from the certificate, never from the JSON.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import {
  CMS_OID,
  derOf,
  signedAttribute,
  signerCertificateOf,
  signerOf,
  type SignerCertificate,
} from '@kelisim/memoranda/signature-check';
import type { EvidenceData, EvidenceSignature } from './evidence-data';
import { EvidenceLimitExceeded } from './evidence-limits';
import { objectAt, PdfRevision } from './pdf-revisions';
import { chainsToAnchor, MAX_SIGNATURE_BYTES } from './pdf-signatures';

/** Digital signatures read in one file: a memorandum has some tens; each costs a CMS parse and a few signature checks. */
export const DIGITAL_SIGNATURE_LIMIT = 500;
/** Largest canonical revision an evidence file embeds (the JSON attachment's own limit is larger). */
const CANONICAL_LIMIT = 10 * 1024 * 1024;

export interface EmbeddedSignatureReport {
  /** The embedded file of the CMS. */
  file: string;
  organisationId: string;
  /** The party as the canonical (signed) terms name it, when they name it. */
  party: string | null;
  ok: boolean;
  /** From the certificate: its common name, IIN (serialNumber IIN…) and BIN (OU=BIN…). */
  signer: string | null;
  iin: string | null;
  bin: string | null;
  fingerprint: string | null;
  issuer: string | null;
  /** The signing time the CMS states (the signer's claim). */
  signedAt: string | null;
  /** `trusted`: chains to an anchor given; `untrusted`: anchors were given and it does not; `not_checked`: none were given. */
  chain: 'trusted' | 'untrusted' | 'not_checked';
  /** Everything that failed, and what the JSON says differently from the certificate. */
  problems: string[];
  /** Differences that are not failures: the JSON's name for the signer is the user's, the certificate's is the CA's. */
  notes: string[];
}

export interface ReadCms {
  certificate: SignerCertificate;
  leaf: X509Certificate;
  extra: X509Certificate[];
  signingTime: Date | null;
  signer: pkijs.SignerInfo;
}

/** The one signer of a detached CMS, its certificate and the others it carries; throws naming what is wrong. */
export function readCms(cms: Buffer): ReadCms {
  if (cms.length > MAX_SIGNATURE_BYTES) throw new Error(`it is larger than ${MAX_SIGNATURE_BYTES} bytes`);
  const s = signerOf(cms);
  const certificate = signerCertificateOf(s.certificateDer);
  return {
    certificate,
    leaf: new X509Certificate(s.certificateDer),
    extra: s.certificates
      .map(derOf)
      .filter((d) => !d.equals(s.certificateDer))
      .map((d) => new X509Certificate(d)),
    signingTime: s.signingTime,
    signer: s.signer,
  };
}

/** Whether the CMS's signer signed exactly `content` (SHA-256, signed attributes, RSA PKCS#1 v1.5 or ECDSA). */
export function signsContent(read: ReadCms, content: Buffer): string | null {
  const si = read.signer;
  if (si.digestAlgorithm.algorithmId !== CMS_OID.sha256) return 'its digest algorithm is not SHA-256';
  const stated = signedAttribute(si, CMS_OID.messageDigest);
  if (!(stated instanceof asn1js.OctetString)) return 'it states no message digest';
  if (!createHash('sha256').update(content).digest().equals(Buffer.from(stated.valueBlock.valueHexView)))
    return 'it does not sign the canonical bytes of this revision';
  if (si.signatureAlgorithm.algorithmId === '1.2.840.113549.1.1.10')
    return 'it uses RSA-PSS, which this verifier does not read';
  // The signed attributes are signed as a DER SET (tag 0x31), not as the [0] they travel in.
  const signedAttrs = Buffer.from(si.signedAttrs!.encodedValue);
  signedAttrs[0] = 0x31;
  try {
    const value = Buffer.from(si.signature.valueBlock.valueHexView);
    if (verify('sha256', signedAttrs, { key: read.leaf.publicKey, dsaEncoding: 'der' }, value)) return null;
  } catch {
    // An algorithm node:crypto does not know (GOST): not verified here.
  }
  return "its signature value does not verify with the signer's certificate";
}

/**
 * The embedded files of the file as issued that are named `names`, found through its
 * cross-reference table (each object read once): a file specification (`/Type /Filespec`) names
 * the stream object. Text a memorandum holds sits inside a stream, never at an object's offset.
 */
export function embeddedFilesOf(
  text: string,
  pdf: Buffer,
  issued: PdfRevision,
  names: Set<string>,
): Map<string, Buffer | 'too_large'> {
  const streams = new Map<string, number>();
  for (const at of issued.objects.values()) {
    if (streams.size === names.size) break;
    if (at >= issued.end || text.slice(at, at + 200).search(/^\d+\s+\d+\s+obj\s*<<\s*\/Type\s*\/Filespec\b/) < 0)
      continue;
    const obj = objectAt(text, at);
    if (!obj) continue;
    const name = /\/F\s*\(([^()\\]{1,200})\)/.exec(obj.dict)?.[1];
    const stream = /\/EF\s*<<\s*\/F\s+(\d+)\s+0\s+R/.exec(obj.dict)?.[1];
    if (name && stream && names.has(name) && !streams.has(name)) streams.set(name, Number(stream));
  }
  const out = new Map<string, Buffer | 'too_large'>();
  for (const [name, n] of streams) {
    const at = issued.objects.get(n);
    if (at === undefined || at >= issued.end) continue;
    const header = /^(\d+)\s+\d+\s+obj\s*<</.exec(text.slice(at, at + 40));
    if (!header || Number(header[1]) !== n) continue;
    const streamAt = text.indexOf('stream', at);
    if (streamAt < 0) continue;
    const dict = text.slice(at + header[0].length, streamAt);
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    if (!length) continue;
    let start = streamAt + 'stream'.length;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const size = Number(length[1]);
    if (start + size > issued.end) continue;
    const raw = pdf.subarray(start, start + size);
    if (/\/Filter\s*\/FlateDecode/.test(dict)) {
      try {
        out.set(name, inflateSync(raw, { maxOutputLength: CANONICAL_LIMIT }));
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') out.set(name, 'too_large');
      }
    } else if (!/\/Filter/.test(dict)) out.set(name, size > CANONICAL_LIMIT ? 'too_large' : Buffer.from(raw));
  }
  return out;
}

/** The `sign` events of the revision, in order: what the hashed history recorded of each signature. */
function signEvents(d: EvidenceData) {
  return d.history.events.filter(
    (e) => e.action === 'sign' && e.revisionHash === d.revision.hash && e.revisionNumber === d.revision.number,
  );
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Case, spacing and word order aside, whether two names are the same (NCA RK writes "SURNAME NAME"). */
export function sameName(a: string, b: string): boolean {
  const words = (s: string) =>
    s
      .normalize('NFC')
      .toLocaleUpperCase('kk')
      .split(/[\s,.]+/)
      .filter(Boolean)
      .sort()
      .join(' ');
  return words(a) === words(b);
}

export interface EmbeddedSignaturesResult {
  check: { name: 'digital_signatures'; ok: boolean; detail: string };
  reports: EmbeddedSignatureReport[];
}

/**
 * Every digital signature of the file. `anchors`: the CA certificates the signers' chains must
 * reach (null or empty: the chains are not checked, and each report says so).
 */
export function checkEmbeddedSignatures(
  pdf: Buffer,
  text: string,
  issued: PdfRevision | null,
  d: EvidenceData,
  anchors: Buffer[] | null,
): EmbeddedSignaturesResult {
  const name = 'digital_signatures' as const;
  const events = signEvents(d);
  const digitalEvents = events.filter((e) => str(e.data?.cmsSha256));
  const rows = d.signatures.filter((s) => s.method === 'digital' || s.digital);
  if (!rows.length && !digitalEvents.length)
    return {
      check: { name, ok: true, detail: 'none: no signature of this revision was made with a key' },
      reports: [],
    };
  if (rows.length > DIGITAL_SIGNATURE_LIMIT)
    throw new EvidenceLimitExceeded('signatures (digital)', rows.length, DIGITAL_SIGNATURE_LIMIT, 'entries');
  const fail = (detail: string): EmbeddedSignaturesResult => ({ check: { name, ok: false, detail }, reports: [] });
  // A file made before signatures were embedded names none of its rows by id: nothing to check
  // offline, and no false alarm on a genuine file; said plainly. Any newer file names every row.
  if (d.signatures.length && d.signatures.every((s) => s.signatureId === undefined && !s.digital))
    return {
      check: {
        name,
        ok: true,
        detail:
          `not checked: the file was made before digital signatures were embedded; ${digitalEvents.length} ` +
          'recorded in its history cannot be checked offline from it',
      },
      reports: [],
    };
  // A digital signature the history records must be in the file, with its CMS: dropping one is refused.
  const byCms = new Map<string, EvidenceSignature>();
  for (const r of rows) if (r.digital?.cmsSha256) byCms.set(r.digital.cmsSha256, r);
  for (const e of digitalEvents)
    if (!byCms.has(str(e.data.cmsSha256)!))
      return fail(
        `the history records a digital signature for ${e.organisationId} (event ${e.seq}, CMS SHA-256 ${str(e.data.cmsSha256)}) that the file does not carry`,
      );
  if (!issued) return fail('the embedded files cannot be read: the file as issued cannot be found');
  const canonicalName = d.revision.canonicalFile;
  if (!d.revision.hash || !canonicalName)
    return fail('the file has digital signatures but does not name the canonical bytes they sign');
  const wanted = new Set([canonicalName, ...rows.map((r) => r.digital?.cmsFile).filter((f): f is string => !!f)]);
  const files = embeddedFilesOf(text, pdf, issued, wanted);
  const canonical = files.get(canonicalName);
  if (!canonical) return fail(`the canonical bytes (${canonicalName}) are not embedded in the file as issued`);
  if (canonical === 'too_large') throw new EvidenceLimitExceeded(canonicalName, null, CANONICAL_LIMIT, 'bytes');
  const canonicalHash = createHash('sha256').update(canonical).digest('hex');
  if (canonicalHash !== d.revision.hash)
    return fail(
      `the embedded canonical bytes (${canonicalName}) hash to ${canonicalHash}, not to the revision hash ${d.revision.hash}: they were changed`,
    );
  const eventById = new Map(events.map((e) => [str(e.data?.signatureId), e]));
  const partyOf = new Map(
    (d.revision.terms.parties ?? []).map((p) => [p.organisationId, p as { name?: string; bin?: string | null }]),
  );
  const seen = new Set<string>();
  const reports: EmbeddedSignatureReport[] = [];
  for (const row of rows) {
    const party = partyOf.get(row.organisationId);
    const report: EmbeddedSignatureReport = {
      file: row.digital?.cmsFile ?? '—',
      organisationId: row.organisationId,
      party: party?.name || null,
      ok: false,
      signer: null,
      iin: null,
      bin: null,
      fingerprint: null,
      issuer: null,
      signedAt: null,
      chain: 'not_checked',
      problems: [],
      notes: [],
    };
    reports.push(report);
    const problem = (p: string) => report.problems.push(p);
    const digital = row.digital;
    if (!digital) {
      problem('the row says digital but names no embedded CMS');
      continue;
    }
    if (seen.has(digital.cmsFile)) problem(`${digital.cmsFile} is named by more than one signature`);
    seen.add(digital.cmsFile);
    const cms = files.get(digital.cmsFile);
    if (!cms || cms === 'too_large') {
      problem(`${digital.cmsFile} is not embedded in the file as issued`);
      continue;
    }
    const cmsSha256 = createHash('sha256').update(cms).digest('hex');
    const event = row.signatureId ? eventById.get(row.signatureId) : undefined;
    const recorded = str(event?.data?.cmsSha256);
    if (!event) problem('the hashed history records no signature with its id');
    else if (recorded !== cmsSha256)
      problem(
        `the embedded CMS hashes to ${cmsSha256}; the hashed history recorded ${recorded ?? 'no digital signature'}: it was replaced`,
      );
    if (digital.cmsSha256 !== cmsSha256)
      problem(`the file's JSON states CMS SHA-256 ${digital.cmsSha256}, not ${cmsSha256}`);
    let read: ReadCms;
    try {
      read = readCms(cms);
    } catch (e) {
      problem(`the CMS cannot be read: ${(e as Error).message}`);
      continue;
    }
    const c = read.certificate;
    Object.assign(report, {
      signer: c.commonName,
      iin: c.iin,
      bin: c.bin,
      fingerprint: c.fingerprint,
      issuer: c.issuer,
      signedAt: read.signingTime?.toISOString() ?? null,
    });
    const signs = signsContent(read, canonical);
    if (signs) problem(signs);
    if (event && str(event.data.certificateFingerprint) !== c.fingerprint)
      problem(`its certificate (SHA-256 ${c.fingerprint}) is not the one the hashed history recorded`);
    // What the JSON says against what the certificate says.
    const said = digital.certificate;
    if (said.fingerprint !== c.fingerprint)
      problem(`the JSON names certificate SHA-256 ${said.fingerprint}, the CMS carries ${c.fingerprint}`);
    if ((said.iin ?? null) !== c.iin)
      problem(`the JSON says IIN ${said.iin ?? 'none'}, the certificate says ${c.iin ?? 'none'}`);
    if ((said.bin ?? null) !== c.bin)
      problem(`the JSON says BIN ${said.bin ?? 'none'}, the certificate says ${c.bin ?? 'none'}`);
    if (c.bin && party && party.bin !== undefined && party.bin !== c.bin)
      problem(`the certificate's BIN ${c.bin} is not the party's BIN in the signed text (${party.bin ?? 'none'})`);
    if (event && str(event.data.signerName) !== row.signerName)
      problem(`the JSON names the signer "${row.signerName}", the hashed history "${str(event.data.signerName)}"`);
    if (c.commonName && !sameName(row.signerName, c.commonName))
      report.notes.push(`the JSON names the signer "${row.signerName}", the certificate "${c.commonName}"`);
    if (row.revisionHash !== d.revision.hash) problem(`the row names revision ${row.revisionHash}`);
    const at = read.signingTime ?? (event ? new Date(event.at) : null);
    if (at && (at < c.notBefore || at > c.notAfter))
      problem(`the certificate was not valid at the signing time ${at.toISOString()}`);
    if (anchors?.length) {
      const trusted = chainsToAnchor(
        read.leaf,
        read.extra,
        anchors.map((a) => new X509Certificate(a)),
      );
      report.chain = trusted ? 'trusted' : 'untrusted';
      if (!trusted) problem('its certificate does not chain to any of the anchors given');
    }
    report.ok = report.problems.length === 0;
  }
  const bad = reports.filter((r) => !r.ok);
  const who = (r: EmbeddedSignatureReport) =>
    `${r.file}: ${r.signer ? `"${r.signer}"` : 'unknown signer'}, IIN ${r.iin ?? '—'}, BIN ${r.bin ?? '—'}` +
    `${r.party ? ` for ${r.party}` : ''}${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`;
  if (bad.length)
    return {
      check: { name, ok: false, detail: bad.map((r) => `${who(r)}: ${r.problems.join('; ')}`).join(' | ') },
      reports,
    };
  const chains = anchors?.length
    ? 'each certificate chains to an anchor given'
    : "the signers' certificate chains were NOT checked against any anchor (none given)";
  return {
    check: {
      name,
      ok: true,
      detail:
        `${reports.length} sign exactly the canonical bytes ${canonicalName} (SHA-256 ${d.revision.hash}), each CMS ` +
        `as the hashed history recorded it; ${chains}. ${reports.map(who).join('; ')}`,
    },
    reports,
  };
}
