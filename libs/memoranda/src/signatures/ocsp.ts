/**
 * Revocation by OCSP (RFC 6960) of the signer's certificate, asked of the responder the certificate
 * names (authorityInfoAccess), the response verified against the issuer. `SIGNATURE_OCSP`: `off`
 * asks nothing; `prefer` refuses a revoked certificate but accepts when no answer can be had;
 * `require` also refuses when the status cannot be established.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { arrayBufferOf } from './cms-structure';
import { SignatureRefused } from './signature-verifier';

export const OCSP_POLICIES = ['off', 'prefer', 'require'] as const;
export type OcspPolicy = (typeof OCSP_POLICIES)[number];

/** Why no status could be had; `prefer` lets it pass, `require` refuses with it. */
class Unchecked extends Error {}

function responderUrl(leafDer: Buffer): string | null {
  const aia = new x509.X509Certificate(leafDer).getExtension(x509.AuthorityInfoAccessExtension);
  const url = aia?.ocsp.find((n) => n.type === 'url')?.value;
  return url && /^https?:\/\//.test(url) ? url : null;
}

async function status(
  leaf: pkijs.Certificate,
  leafDer: Buffer,
  [issuer, ...above]: pkijs.Certificate[],
  timeoutMs: number,
) {
  const url = responderUrl(leafDer);
  if (!url) throw new Unchecked('the certificate names no OCSP responder');
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(leaf, { hashAlgorithm: 'SHA-256', issuerCertificate: issuer });
  let body: Buffer;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/ocsp-request' },
      body: Buffer.from(request.toSchema(true).toBER(false)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new Unchecked(`the OCSP responder did not answer (${(e as Error).message})`);
  }
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(arrayBufferOf(body));
    const code = response.responseStatus.valueBlock.valueDec;
    if (code !== 0 || !response.responseBytes) throw new Error(`responseStatus ${code}`);
    basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView.slice().buffer);
  } catch (e) {
    throw new Unchecked(`the OCSP answer cannot be read (${(e as Error).message})`);
  }
  // An issuer answering for itself often leaves its own certificate out: the chain already holds it.
  if (!basic.certs?.length) basic.certs = [issuer];
  // The issuer and the certificates above it, as the chain was validated: a responder must chain to them.
  const signed = await basic.verify({ trustedCerts: [issuer, ...above] }).catch(() => false);
  if (!signed) throw new Unchecked('the OCSP answer is not signed by the issuer or a responder it names');
  const s = await basic.getCertificateStatus(leaf, issuer);
  if (!s.isForCertificate) throw new Unchecked('the OCSP answer is about another certificate');
  return s.status;
}

/**
 * Refuses a revoked certificate; under `require`, also one whose status cannot be established.
 * `issuers`: the validated chain above the certificate, its issuer first.
 */
export async function checkRevocation(
  policy: OcspPolicy,
  leafDer: Buffer,
  issuers: pkijs.Certificate[],
  timeoutMs = 5_000,
): Promise<void> {
  if (policy === 'off') return;
  const leaf = pkijs.Certificate.fromBER(arrayBufferOf(leafDer));
  let s: number;
  try {
    s = await status(leaf, leafDer, issuers, timeoutMs);
  } catch (e) {
    if (!(e instanceof Unchecked)) throw e;
    if (policy === 'require') throw new SignatureRefused(`certificate revocation could not be checked: ${e.message}`);
    return;
  }
  if (s === 1) throw new SignatureRefused('certificate is revoked (OCSP)');
  if (s !== 0 && policy === 'require') {
    throw new SignatureRefused('certificate revocation could not be checked: the OCSP responder does not know it');
  }
}
