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
import {
  checkSigningTime,
  CMS_OID,
  derOf as der,
  arrayBufferOf as arrayBuffer,
  signedAttribute,
  signerOf,
} from './cms-structure';
import { checkRevocation, OcspPolicy } from './ocsp';
import { SignatureRefused, SignatureToVerify, SignatureVerifier, VerifiedSignature } from './signature-verifier';

// Node's WebCrypto is the standard one; the DOM type the library names is not in this project's lib.
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

const refuse = (message: string): never => {
  throw new SignatureRefused(message);
};

/** The certificates of a PEM bundle (`-----BEGIN CERTIFICATE-----` blocks), or of the file it names. */
export function readTrustAnchors(setting: string | undefined): Buffer[] {
  if (!setting) return [];
  const pem = setting.includes('-----BEGIN') ? setting : readFileSync(setting, 'utf8');
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

export class PkijsSignatureVerifier extends SignatureVerifier {
  /** `anchors`: DER certificates, read when a signature is verified (so a changed bundle needs no restart). */
  constructor(
    private readonly anchors: () => Buffer[],
    private readonly ocsp: () => OcspPolicy = () => 'off',
  ) {
    super();
  }

  async verify(s: SignatureToVerify): Promise<VerifiedSignature> {
    const { signedData: sd, signer, certificates, certificateDer: leaf, signingTime } = signerOf(s.cms);
    if (signer.digestAlgorithm.algorithmId !== CMS_OID.sha256) refuse('digest algorithm must be SHA-256');
    const digest = signedAttribute(signer, CMS_OID.messageDigest);
    const expected = createHash('sha256').update(s.content).digest();
    if (!(digest instanceof asn1js.OctetString) || !expected.equals(Buffer.from(digest.valueBlock.valueHexView))) {
      refuse(`signature does not cover revision ${s.revisionHash}`);
    }

    let signatureOk = false;
    try {
      const r = await sd.verify({ signer: 0, data: arrayBuffer(s.content), checkChain: false, extendedMode: true });
      signatureOk = r.signatureVerified === true;
    } catch {
      signatureOk = false;
    }
    if (!signatureOk) refuse("signature value does not verify with the signer's certificate");
    checkSigningTime(signingTime, s);
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
    // pkijs builds the path of the last certificate given; a CMS's certificates are a DER SET OF,
    // sorted by encoding, so the signer's may come anywhere in it.
    const others = certificates.filter((c) => !der(c).equals(leaf));
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors,
      certs: [...others, pkijs.Certificate.fromBER(arrayBuffer(leaf))],
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
    await checkRevocation(this.ocsp(), leaf, path.length > 1 ? path.slice(1) : path);
    return { certificate, signingTime };
  }
}
