/**
 * The in-process verifier: a detached CMS SignedData (CAdES-BES) over the revision's canonical
 * bytes, SHA-256, RSA or ECDSA, checked with pkijs. One signer; its certificate and chain travel
 * in the CMS; the chain must reach one of SIGNATURE_TRUST_ANCHORS at the signing time.
 */
import { createHash, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isCaCertificate, keyUsageAllowsSigning, signerCertificateOf } from './certificate-subject';
import { SignatureRefused, SignatureToVerify, SignatureVerifier, VerifiedSignature } from './signature-verifier';

// Node's WebCrypto is the standard one; the DOM type the library names is not in this project's lib.
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/** How far a signing time may be ahead of the server's clock, or before the revision was frozen. */
const CLOCK_SKEW_MS = 5 * 60_000;

const refuse = (message: string): never => {
  throw new SignatureRefused(message);
};

const der = (c: pkijs.Certificate) => Buffer.from(c.toSchema(true).toBER(false));
const arrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** The certificates of a PEM bundle (`-----BEGIN CERTIFICATE-----` blocks), or of the file it names. */
export function readTrustAnchors(setting: string | undefined): Buffer[] {
  if (!setting) return [];
  const pem = setting.includes('-----BEGIN') ? setting : readFileSync(setting, 'utf8');
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

function parseSignedData(cms: Buffer): pkijs.SignedData {
  try {
    const asn = asn1js.fromBER(arrayBuffer(cms));
    if (asn.offset === -1 || asn.offset !== cms.byteLength) throw new Error('not one DER value');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) throw new Error('not SignedData');
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    return refuse('is not a DER CMS SignedData');
  }
}

function attribute(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | null {
  const a = signer.signedAttrs?.attributes.find((x) => x.type === oid);
  return a?.values[0] ?? null;
}

export class PkijsSignatureVerifier extends SignatureVerifier {
  /** `anchors`: DER certificates, read when a signature is verified (so a changed bundle needs no restart). */
  constructor(private readonly anchors: () => Buffer[]) {
    super();
  }

  async verify(s: SignatureToVerify): Promise<VerifiedSignature> {
    const sd = parseSignedData(s.cms);
    if (sd.signerInfos.length !== 1) refuse(`must have exactly one signer, has ${sd.signerInfos.length}`);
    const signer = sd.signerInfos[0];
    if (sd.encapContentInfo.eContentType !== OID.data) refuse('must sign data (id-data)');
    if (sd.encapContentInfo.eContent) refuse('must be detached: the signed bytes are the canonical revision');
    if (signer.digestAlgorithm.algorithmId !== OID.sha256) refuse('digest algorithm must be SHA-256');
    if (!signer.signedAttrs) refuse('must carry signed attributes (CAdES-BES)');

    const digest = attribute(signer, OID.messageDigest);
    const expected = createHash('sha256').update(s.content).digest();
    if (!(digest instanceof asn1js.OctetString) || !expected.equals(Buffer.from(digest.valueBlock.valueHexView))) {
      refuse(`signature does not cover revision ${s.revisionHash}`);
    }

    const certificates = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const signerCert = certificates.find((c) =>
      signer.sid instanceof pkijs.IssuerAndSerialNumber
        ? c.issuer.isEqual(signer.sid.issuer) && c.serialNumber.isEqual(signer.sid.serialNumber)
        : false,
    );
    if (!signerCert) refuse("must include the signer's certificate (identified by issuer and serial number)");
    const leaf = der(signerCert!);

    let signatureOk = false;
    try {
      const r = await sd.verify({ signer: 0, data: arrayBuffer(s.content), checkChain: false, extendedMode: true });
      signatureOk = r.signatureVerified === true;
    } catch {
      signatureOk = false;
    }
    if (!signatureOk) refuse("signature value does not verify with the signer's certificate");

    const time = attribute(signer, OID.signingTime);
    const signingTime = time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : null;
    if (signingTime && signingTime.getTime() > s.now.getTime() + CLOCK_SKEW_MS) {
      refuse(`signing time ${signingTime.toISOString()} is in the future`);
    }
    if (signingTime && s.notBefore && signingTime.getTime() < s.notBefore.getTime() - CLOCK_SKEW_MS) {
      refuse(`signing time ${signingTime.toISOString()} is before the revision was frozen`);
    }
    const at = signingTime ?? s.now;

    let certificate;
    try {
      certificate = signerCertificateOf(leaf);
    } catch (e) {
      return refuse(`certificate cannot be read: ${(e as Error).message}`);
    }
    if (at < certificate.notBefore) refuse(`certificate is not valid before ${certificate.notBefore.toISOString()}`);
    if (at > certificate.notAfter) refuse(`certificate expired at ${certificate.notAfter.toISOString()}`);
    if (!keyUsageAllowsSigning(leaf)) refuse('key usage does not allow signing');

    const anchors = this.anchors().map((a) => pkijs.Certificate.fromBER(arrayBuffer(a)));
    if (!anchors.length) refuse('no trust anchors are configured (SIGNATURE_TRUST_ANCHORS)');
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors,
      certs: certificates,
      checkDate: at,
    });
    const chain = await engine.verify({}).catch(() => ({ result: false, certificatePath: [] as pkijs.Certificate[] }));
    const path = (chain as { certificatePath?: pkijs.Certificate[] }).certificatePath ?? [];
    // The path runs from the leaf to the anchor; every certificate above the leaf must be a CA.
    if (!chain.result || !path.length || !der(path[0]).equals(leaf)) {
      refuse('certificate chain does not reach a trust anchor');
    }
    if (!path.slice(1).every((c) => isCaCertificate(der(c)))) {
      refuse('certificate chain does not reach a trust anchor: an issuer is not a CA');
    }
    return { certificate, signingTime };
  }
}
