/**
 * The port a digital signature is verified through (docs/signatures.md). The in-process adapter
 * (pkijs-signature-verifier.ts) verifies RSA and ECDSA; GOST keys need an external service behind
 * the same port. A refusal is a SignatureRefused whose message names what did not hold.
 */

/** What the signer's certificate says, as the verifier read it. */
export interface SignerCertificate {
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  subject: string;
  issuer: string;
  /** Serial number, lower-case hex. */
  serialNumber: string;
  commonName: string | null;
  /** From the subject's serialNumber `IIN…`. */
  iin: string | null;
  /** From an organisational unit `BIN…` (an organisation's employee). */
  bin: string | null;
  notBefore: Date;
  notAfter: Date;
}

export interface VerifiedSignature {
  certificate: SignerCertificate;
  /** The signingTime attribute, when the signer put one in. */
  signingTime: Date | null;
}

export interface SignatureToVerify {
  /** DER CMS SignedData, detached. */
  cms: Buffer;
  /** The exact bytes that must be signed. */
  content: Buffer;
  /** Names the content in refusals. */
  revisionHash: string;
  /** The server's clock. */
  now: Date;
  /** The signing time may not be before this (the revision did not exist yet). */
  notBefore: Date | null;
}

export class SignatureRefused extends Error {}

/** The verifier could not answer (a remote service down): nobody's fault but the operator's, and worth a retry. */
export class SignatureVerifierUnavailable extends Error {}

export abstract class SignatureVerifier {
  /** The verified signature, or a SignatureRefused naming the first thing that did not hold. */
  abstract verify(s: SignatureToVerify): Promise<VerifiedSignature>;
}
