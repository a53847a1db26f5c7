/**
 * Reading and checking the PDF signatures of an evidence file, synchronously (the verifier runs in
 * a worker thread and on the command line): CMS parsed with pkijs, the signature value checked
 * with node:crypto (OpenSSL), certificate paths with node:crypto's X509Certificate. A signature
 * dictionary counts only when its byte range is the whole of its revision but its own /Contents.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Largest signature (DER bytes) a check parses: a file could make its "signature" nearly 20 MiB. */
export const MAX_SIGNATURE_BYTES = 256 * 1024;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
};
const HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export interface PdfSignature {
  kind: 'signature' | 'timestamp';
  /** The signer certificate's common name (or organisation), as the certificate says it. */
  signer: string;
  /** SHA-256 of the signer certificate (DER), hex. */
  fingerprint: string;
  signedAt: string | null;
  certificate: X509Certificate;
  /** The other certificates the CMS carries (a chain, perhaps). */
  extra: X509Certificate[];
}

export type SignatureCheck = { ok: true; signature: PdfSignature } | { ok: false; problem: string };

const fail = (problem: string): SignatureCheck => ({ ok: false, problem });
const bufferOf = (v: ArrayBuffer | Uint8Array) => Buffer.from(v instanceof Uint8Array ? v : new Uint8Array(v));
const arrayBufferOf = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function nameOf(cert: pkijs.Certificate): string {
  const values = cert.subject.typesAndValues;
  const pick = (oid: string) => values.find((v) => v.type === oid)?.value?.valueBlock?.value as string | undefined;
  return pick(OID.commonName) ?? pick(OID.organisation) ?? 'an unnamed certificate';
}

function attribute(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | null {
  return signer.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0] ?? null;
}

/**
 * The signature dictionary `dict` of the revision ending at `revisionEnd`, whose object spans
 * [objectStart, objectEnd): checks its byte range, digest and signature value.
 */
export function checkSignatureDictionary(
  pdf: Buffer,
  dict: string,
  objectStart: number,
  objectEnd: number,
  revision: { end: number; eof: number },
): SignatureCheck {
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(dict);
  if (!range) return fail('it has no byte range');
  const [a, b, c, d] = range.slice(1, 5).map(Number);
  const revisionEnd = c + d;
  if (a !== 0 || (revisionEnd !== revision.end && revisionEnd !== revision.eof) || c <= b)
    return fail('its byte range does not cover the whole file as it was when signed');
  // The one hole must be this dictionary's own /Contents.
  if (b <= objectStart || c >= objectEnd) return fail('its byte range leaves out bytes that are not its signature');
  if (c - b > 2 * MAX_SIGNATURE_BYTES + 2) return fail(`its signature is larger than ${MAX_SIGNATURE_BYTES} bytes`);
  const contents = pdf.subarray(b, c).toString('latin1');
  if (!/^<[0-9a-fA-F]+>$/.test(contents)) return fail('it has no signature where its byte range says');
  const covered = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, revisionEnd)]);
  const timestamp = /\/SubFilter\s*\/ETSI\.RFC3161\b/.test(dict);
  try {
    const der = Buffer.from(contents.slice(1, -1), 'hex');
    // A signature is padded with zeros to its placeholder's length: the first DER value only.
    const asn = asn1js.fromBER(arrayBufferOf(der));
    if (asn.offset === -1) return fail('its signature is not DER');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) return fail('its signature is not a CMS SignedData');
    const sd = new pkijs.SignedData({ schema: info.content });
    if (sd.signerInfos.length !== 1) return fail(`its signature has ${sd.signerInfos.length} signers, not one`);
    const si = sd.signerInfos[0];
    const hash = HASHES[si.digestAlgorithm.algorithmId];
    if (!hash) return fail(`its digest algorithm ${si.digestAlgorithm.algorithmId} is not SHA-2`);
    if (!si.signedAttrs) return fail('its signature has no signed attributes');
    const stated = attribute(si, OID.messageDigest);
    if (!(stated instanceof asn1js.OctetString)) return fail('its signature states no digest');
    const statedDigest = bufferOf(stated.valueBlock.valueHexView);
    let signedAt: string | null = null;
    if (timestamp) {
      // A document timestamp (RFC 3161): the token's TSTInfo names the digest of the covered bytes.
      if (sd.encapContentInfo.eContentType !== OID.tstInfo || !sd.encapContentInfo.eContent)
        return fail('its timestamp token holds no TSTInfo');
      const content = bufferOf(sd.encapContentInfo.eContent.getValue());
      if (!createHash(hash).update(content).digest().equals(statedDigest))
        return fail('its timestamp token was altered');
      const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(arrayBufferOf(content)).result });
      const imprintHash = HASHES[tst.messageImprint.hashAlgorithm.algorithmId];
      const imprint = bufferOf(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
      if (!imprintHash || !createHash(imprintHash).update(covered).digest().equals(imprint))
        return fail('the file was changed after it was timestamped (its digest differs)');
      signedAt = tst.genTime.toISOString();
    } else {
      if (sd.encapContentInfo.eContent) return fail('its signature is not detached');
      if (!createHash(hash).update(covered).digest().equals(statedDigest))
        return fail('the file was changed after it was signed (its digest differs)');
      const time = attribute(si, OID.signingTime);
      if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime)
        signedAt = time.toDate().toISOString();
    }
    const certificates = (sd.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate);
    const sid = si.sid;
    const cert = certificates.find(
      (x) =>
        sid instanceof pkijs.IssuerAndSerialNumber &&
        x.issuer.isEqual(sid.issuer) &&
        x.serialNumber.isEqual(sid.serialNumber),
    );
    if (!cert) return fail("its signature does not carry the signer's certificate");
    const certDer = bufferOf(cert.toSchema(true).toBER(false));
    const certificate = new X509Certificate(certDer);
    // The signed attributes are signed as a DER SET (tag 0x31), not as the [0] they travel in.
    const signedAttrs = Buffer.from(bufferOf(si.signedAttrs.encodedValue));
    signedAttrs[0] = 0x31;
    const value = bufferOf(si.signature.valueBlock.valueHexView);
    const algorithm = si.signatureAlgorithm.algorithmId;
    if (algorithm === '1.2.840.113549.1.1.10')
      return fail('its signature uses RSA-PSS, which this verifier does not read');
    let good = false;
    try {
      good = verify(hash, signedAttrs, { key: certificate.publicKey, dsaEncoding: 'der' }, value);
    } catch {
      good = false;
    }
    if (!good) return fail("its signature value does not verify with the signer's certificate");
    return {
      ok: true,
      signature: {
        kind: timestamp ? 'timestamp' : 'signature',
        signer: nameOf(cert),
        fingerprint: fingerprintOf(certDer),
        signedAt,
        certificate,
        extra: certificates
          .filter((x) => x !== cert)
          .map((x) => new X509Certificate(bufferOf(x.toSchema(true).toBER(false)))),
      },
    };
  } catch (e) {
    return fail(`its signature cannot be read: ${(e as Error).message}`);
  }
}

/** Whether `leaf` is one of `anchors` or chains to one through `extra` (signatures checked, at most 6 links). */
export function chainsToAnchor(leaf: X509Certificate, extra: X509Certificate[], anchors: X509Certificate[]): boolean {
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.raw.equals(c.raw));
  let current = leaf;
  for (let depth = 0; depth < 6; depth++) {
    if (isAnchor(current)) return true;
    const issuer = [...anchors, ...extra].find((c) => {
      try {
        return !c.raw.equals(current.raw) && current.checkIssued(c) && current.verify(c.publicKey);
      } catch {
        return false;
      }
    });
    if (!issuer) return false;
    current = issuer;
  }
  return false;
}

/** The DER certificates of a PEM text. */
export function certificatesOfPem(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from(m[1].replace(/\s+/g, ''), 'base64'),
  );
}

/** A SHA-256 fingerprint as lowercase hex, from hex with or without colons; null when it is not one. */
export function normaliseFingerprint(value: string): string | null {
  const hex = value
    .trim()
    .replace(/^sha-?256[:=]?/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}
