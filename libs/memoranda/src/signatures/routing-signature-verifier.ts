/**
 * The verifier the application uses: RSA and ECDSA in process; any other signature algorithm
 * (GOST, in practice) to the verification service when SIGNATURE_VERIFIER_URL names one, else
 * refused with the algorithm named.
 */
import { signerOf } from './cms-structure';
import { SignatureRefused, SignatureToVerify, SignatureVerifier, VerifiedSignature } from './signature-verifier';

/** PKCS#1 (RSA, RSASSA-PSS) and X9.62 (ECDSA) signature algorithm arcs. */
const IN_PROCESS_ARCS = ['1.2.840.113549.1.1.', '1.2.840.10045.'];

export class RoutingSignatureVerifier extends SignatureVerifier {
  constructor(
    private readonly inProcess: SignatureVerifier,
    private readonly remote: SignatureVerifier | null,
  ) {
    super();
  }

  verify(s: SignatureToVerify): Promise<VerifiedSignature> {
    const algorithm = signerOf(s.cms).signer.signatureAlgorithm.algorithmId;
    if (IN_PROCESS_ARCS.some((arc) => algorithm.startsWith(arc))) return this.inProcess.verify(s);
    if (this.remote) return this.remote.verify(s);
    throw new SignatureRefused(
      `signature algorithm ${algorithm} is not verified here (RSA and ECDSA are; GOST needs SIGNATURE_VERIFIER_URL)`,
    );
  }
}
