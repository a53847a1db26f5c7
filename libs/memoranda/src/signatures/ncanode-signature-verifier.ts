/**
 * GOST signatures (most NCA RK keys) verified by an NCANode service (github.com/malikzh/NCANode,
 * built on NCA RK's Kalkan library): `POST {SIGNATURE_VERIFIER_URL}/cms/verify` with the CMS and
 * the detached content. NCANode checks the signature over the content, the chain to its own NCA RK
 * roots and the validity; Kelisim reads the signer's certificate from the CMS itself (fingerprint,
 * subject, IIN, BIN), so the binding to the signatory and the party stays here.
 */
import {
  SignatureRefused,
  SignatureToVerify,
  SignatureVerifier,
  SignatureVerifierUnavailable,
  VerifiedSignature,
} from './signature-verifier';
import { checkSigningTime, signerOf } from './cms-structure';
import { signerCertificateOf } from './certificate-subject';

/** The parts of NCANode's answer this adapter reads (its CmsVerificationResponse). */
interface NcanodeAnswer {
  status?: number;
  message?: string;
  valid?: boolean;
  signers?: Array<{
    certificates?: Array<{
      valid?: boolean;
      notBefore?: string;
      notAfter?: string;
      keyUsage?: string;
      serialNumber?: string;
      subject?: { iin?: string; bin?: string; commonName?: string };
      revokedBy?: string[];
    }>;
  }>;
}

const refuse = (message: string): never => {
  throw new SignatureRefused(message);
};

export class NcanodeSignatureVerifier extends SignatureVerifier {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    super();
  }

  async verify(s: SignatureToVerify): Promise<VerifiedSignature> {
    const { certificateDer, signingTime } = signerOf(s.cms);
    let answer: NcanodeAnswer;
    try {
      const res = await fetch(new URL('cms/verify', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          cms: s.cms.toString('base64'),
          data: s.content.toString('base64'),
          revocationCheck: [],
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = (await res.json()) as NcanodeAnswer;
      if (!res.ok && answer.valid === undefined) throw new Error(`HTTP ${res.status}: ${answer.message ?? ''}`);
    } catch (e) {
      // The service's failure is not the signer's: an error (500), not a refusal.
      throw new SignatureVerifierUnavailable(
        `The signature verification service did not answer: ${(e as Error).message}`,
      );
    }
    const cert = answer.signers?.[0]?.certificates?.[0];
    if (answer.signers?.length !== 1 || !cert) refuse('must have exactly one signer');
    if (cert!.revokedBy?.length) refuse(`certificate is revoked (${cert!.revokedBy.join(', ')})`);
    if (cert!.keyUsage === 'AUTH') refuse('key usage does not allow signing');
    if (answer.valid !== true || cert!.valid !== true) {
      refuse(`signature does not verify (verification service: ${answer.message ?? 'not valid'})`);
    }
    checkSigningTime(signingTime, s);
    const certificate = signerCertificateOf(certificateDer);
    const at = signingTime ?? s.now;
    if (at > certificate.notAfter) refuse(`certificate expired at ${certificate.notAfter.toISOString()}`);
    if (at < certificate.notBefore) refuse(`certificate is not valid before ${certificate.notBefore.toISOString()}`);
    return { certificate, signingTime };
  }
}
