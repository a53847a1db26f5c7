/**
 * The shape of an acceptable CMS, whatever verifies its signature: a DER SignedData, detached over
 * id-data, one signer with signed attributes, the signer's certificate included. Read with pkijs;
 * reading verifies nothing (the verifiers do).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SignatureRefused, SignatureToVerify } from './signature-verifier';

export const CMS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/** How far a signing time may be ahead of the server's clock, or before the revision was frozen. */
const CLOCK_SKEW_MS = 5 * 60_000;

const refuse = (message: string): never => {
  throw new SignatureRefused(message);
};

export const derOf = (c: pkijs.Certificate) => Buffer.from(c.toSchema(true).toBER(false));
export const arrayBufferOf = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export interface CmsSigner {
  signedData: pkijs.SignedData;
  signer: pkijs.SignerInfo;
  certificates: pkijs.Certificate[];
  certificateDer: Buffer;
  signingTime: Date | null;
}

export function signedAttribute(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | null {
  return signer.signedAttrs?.attributes.find((x) => x.type === oid)?.values[0] ?? null;
}

function parseSignedData(cms: Buffer): pkijs.SignedData {
  try {
    const asn = asn1js.fromBER(arrayBufferOf(cms));
    if (asn.offset === -1 || asn.offset !== cms.byteLength) throw new Error('not one DER value');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== CMS_OID.signedData) throw new Error('not SignedData');
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    return refuse('is not a DER CMS SignedData');
  }
}

/** The one signer of an acceptable CMS, its certificate and its claimed signing time; a refusal otherwise. */
export function signerOf(cms: Buffer): CmsSigner {
  const signedData = parseSignedData(cms);
  if (signedData.signerInfos.length !== 1) refuse(`must have exactly one signer, has ${signedData.signerInfos.length}`);
  const signer = signedData.signerInfos[0];
  if (signedData.encapContentInfo.eContentType !== CMS_OID.data) refuse('must sign data (id-data)');
  if (signedData.encapContentInfo.eContent) refuse('must be detached: the signed bytes are the canonical revision');
  if (!signer.signedAttrs) refuse('must carry signed attributes (CAdES-BES)');
  const certificates = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signer.sid;
  const certificate = certificates.find(
    (c) =>
      sid instanceof pkijs.IssuerAndSerialNumber &&
      c.issuer.isEqual(sid.issuer) &&
      c.serialNumber.isEqual(sid.serialNumber),
  );
  if (!certificate) return refuse("must include the signer's certificate (identified by issuer and serial number)");
  const time = signedAttribute(signer, CMS_OID.signingTime);
  const signingTime = time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : null;
  return { signedData, signer, certificates, certificateDer: derOf(certificate), signingTime };
}

/** The signer's claimed time, bounded by the server's clock and by when the revision was frozen. */
export function checkSigningTime(signingTime: Date | null, s: SignatureToVerify): void {
  if (!signingTime) return;
  if (signingTime.getTime() > s.now.getTime() + CLOCK_SKEW_MS) {
    refuse(`signing time ${signingTime.toISOString()} is in the future`);
  }
  if (s.notBefore && signingTime.getTime() < s.notBefore.getTime() - CLOCK_SKEW_MS) {
    refuse(`signing time ${signingTime.toISOString()} is before the revision was frozen`);
  }
}
