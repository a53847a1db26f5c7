/**
 * Reading a signer's certificate as NCA RK issues them: the person's IIN in the subject's
 * serialNumber (`SERIALNUMBER=IIN850101300015`), and for an organisation's employee the
 * organisation's BIN in an organisational unit (`OU=BIN123456789018`).
 */
import { createHash, webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { SignerCertificate } from './signature-verifier';

// Node's WebCrypto is the standard one; the DOM type the library names is not in this project's lib.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const OID = { commonName: '2.5.4.3', serialNumber: '2.5.4.5', organisationalUnit: '2.5.4.11' };

function fields(name: x509.Name, oid: string): string[] {
  return name.getField(oid);
}

/** The 12 digits after `prefix` in one of `values`, or null; more than one distinct number is ambiguous and refused. */
export function prefixedNumber(values: string[], prefix: 'IIN' | 'BIN'): string | null {
  const found = new Set(
    values.map((v) => new RegExp(`^${prefix}(\\d{12})$`).exec(v.trim())?.[1]).filter((v): v is string => !!v),
  );
  if (found.size > 1) throw new TypeError(`the certificate names more than one ${prefix}`);
  return [...found][0] ?? null;
}

export function signerCertificateOf(der: Buffer): SignerCertificate {
  const cert = new x509.X509Certificate(der);
  return {
    fingerprint: createHash('sha256').update(der).digest('hex'),
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber.toLowerCase(),
    commonName: fields(cert.subjectName, OID.commonName)[0] ?? null,
    iin: prefixedNumber(fields(cert.subjectName, OID.serialNumber), 'IIN'),
    bin: prefixedNumber(fields(cert.subjectName, OID.organisationalUnit), 'BIN'),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** The key may sign documents: its key usage names digitalSignature or nonRepudiation (absent: refused). */
export function keyUsageAllowsSigning(der: Buffer): boolean {
  const ku = new x509.X509Certificate(der).getExtension(x509.KeyUsagesExtension);
  if (!ku) return false;
  return (ku.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation)) !== 0;
}

/** A CA certificate: basicConstraints cA, and keyCertSign when it has a key usage. */
export function isCaCertificate(der: Buffer): boolean {
  const cert = new x509.X509Certificate(der);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) return false;
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  return !ku || (ku.usages & x509.KeyUsageFlags.keyCertSign) !== 0;
}
