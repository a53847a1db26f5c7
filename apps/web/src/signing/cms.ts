/**
 * Signing in the browser with a PKCS#12 key file: the file is opened with pkijs, its key imported
 * into WebCrypto (not extractable) and a detached CAdES-BES CMS SignedData made over the canonical
 * bytes. Nothing of the file or the key leaves the page; only the CMS is sent. Loaded only by the
 * signing panel (dynamic import), so pkijs is not in the first visit's JavaScript.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  rsa: '1.2.840.113549.1.1.1',
  ec: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
} as const;

/** Why a key file could not be used; `code` names the message shown (sign.p12_<code>). */
export class KeyFileError extends Error {
  constructor(readonly code: 'unreadable' | 'password' | 'no_key' | 'no_certificate' | 'algorithm') {
    super(code);
  }
}

export interface KeyFile {
  privateKey: CryptoKey;
  /** The certificate of the key. */
  signer: pkijs.Certificate;
  /** Every other certificate in the file (the chain). */
  chain: pkijs.Certificate[];
}

const bytes = (v: BufferSource): Uint8Array =>
  v instanceof Uint8Array
    ? v
    : ArrayBuffer.isView(v)
      ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
      : new Uint8Array(v);
const toArrayBuffer = (v: Uint8Array): ArrayBuffer => v.slice().buffer;
const equal = (a: BufferSource, b: BufferSource) => {
  const x = bytes(a);
  const y = bytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** The WebCrypto parameters of the certificate's public key: RSA (PKCS#1 v1.5) or ECDSA P-256, with SHA-256. */
function algorithmOf(cert: pkijs.Certificate): RsaHashedImportParams | EcKeyImportParams {
  const spki = cert.subjectPublicKeyInfo.algorithm;
  if (spki.algorithmId === OID.rsa) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (spki.algorithmId === OID.ec) {
    const curve =
      spki.algorithmParams instanceof asn1js.ObjectIdentifier ? spki.algorithmParams.valueBlock.toString() : '';
    if (curve === OID.p256) return { name: 'ECDSA', namedCurve: 'P-256' };
  }
  throw new KeyFileError('algorithm');
}

/** Opens a PKCS#12 file with its password: the signing key, its certificate and the chain. */
export async function openKeyFile(file: ArrayBuffer, password: string): Promise<KeyFile> {
  const pass = toArrayBuffer(new TextEncoder().encode(password));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(file);
  } catch {
    throw new KeyFileError('unreadable');
  }
  try {
    // The MAC is keyed by the password: a wrong one fails here, before anything is decrypted.
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true });
  } catch {
    throw new KeyFileError('password');
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new KeyFileError('unreadable');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pass })) });
  } catch {
    throw new KeyFileError('password');
  }
  const keys: pkijs.PrivateKeyInfo[] = [];
  const certs: pkijs.Certificate[] = [];
  for (const content of safe.parsedValue?.safeContents ?? []) {
    for (const bag of content.value.safeBags) {
      if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        // What the bag's own (protected) parseInternalValues does: an EncryptedData over the PKCS#8 key.
        const encrypted = new pkijs.EncryptedData({
          encryptedContentInfo: new pkijs.EncryptedContentInfo({
            contentEncryptionAlgorithm: shrouded.encryptionAlgorithm,
            encryptedContent: shrouded.encryptedData,
          }),
        });
        try {
          keys.push(pkijs.PrivateKeyInfo.fromBER(await encrypted.decrypt({ password: pass })));
        } catch {
          throw new KeyFileError('password');
        }
      } else if (bag.bagId === OID.keyBag) {
        keys.push(bag.bagValue as pkijs.PrivateKeyInfo);
      } else if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === OID.x509Certificate && certBag.parsedValue instanceof pkijs.Certificate)
          certs.push(certBag.parsedValue);
      }
    }
  }
  if (!keys.length) throw new KeyFileError('no_key');
  if (!certs.length) throw new KeyFileError('no_certificate');
  // The signer's certificate is the one whose public key belongs to the private key.
  for (const key of keys) {
    for (const cert of certs) {
      const algorithm = (() => {
        try {
          return algorithmOf(cert);
        } catch {
          return null;
        }
      })();
      if (!algorithm) continue;
      let privateKey: CryptoKey;
      try {
        privateKey = await crypto.subtle.importKey('pkcs8', key.toSchema().toBER(false), algorithm, false, ['sign']);
      } catch {
        continue;
      }
      if (await matches(privateKey, cert)) return { privateKey, signer: cert, chain: certs.filter((c) => c !== cert) };
    }
  }
  // A key and certificates, none of which go together, or an algorithm not signed here.
  for (const cert of certs) algorithmOf(cert);
  throw new KeyFileError('no_certificate');
}

/** Whether the private key is the certificate's: a test signature verifies with its public key. */
async function matches(privateKey: CryptoKey, cert: pkijs.Certificate): Promise<boolean> {
  const algorithm = algorithmOf(cert);
  const publicKey = await crypto.subtle.importKey(
    'spki',
    cert.subjectPublicKeyInfo.toSchema().toBER(false),
    algorithm,
    false,
    ['verify'],
  );
  const probe = crypto.getRandomValues(new Uint8Array(32));
  const params = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
  const signature = await crypto.subtle.sign(params, privateKey, probe);
  return crypto.subtle.verify(params, publicKey, signature, probe);
}

/** SigningCertificateV2 (RFC 5035): the signer's certificate hashed with SHA-256 (the default, so omitted). */
async function signingCertificateV2(cert: pkijs.Certificate): Promise<asn1js.Sequence> {
  const certHash = await crypto.subtle.digest('SHA-256', cert.toSchema().toBER(false));
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }).toSchema(),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/**
 * A detached CMS SignedData (CAdES-BES) over `content`: SHA-256, signed attributes content type,
 * signing time, message digest and signing certificate v2, the signer's certificate and the chain
 * from the file. Answers the DER in base64.
 */
export async function signDetached(content: ArrayBuffer, key: KeyFile, now = new Date()): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', content);
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: now })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [await signingCertificateV2(key.signer)] }),
  ];
  // DER orders a SET OF by encoding; verifiers that re-encode the signed attributes (openssl) hash that order.
  const encoded = new Map(attributes.map((a) => [a, new Uint8Array(a.toSchema().toBER(false))]));
  attributes.sort((a, b) => compareBytes(encoded.get(a)!, encoded.get(b)!));
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: key.signer.issuer, serialNumber: key.signer.serialNumber }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
  });
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
    certificates: [
      key.signer,
      ...key.chain.filter((c) => !equal(c.toSchema().toBER(false), key.signer.toSchema().toBER(false))),
    ],
  });
  await signed.sign(key.privateKey, 0, 'SHA-256');
  const der = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) })
    .toSchema()
    .toBER(false);
  return base64(new Uint8Array(der));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function base64(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(s);
}
