/**
 * The CAdES-T signature-time-stamp (RFC 3161; RFC 5126 / ETSI EN 319 122-1 signature-time-stamp):
 * a timestamp over the signer's signature value, asked of `SIGNATURE_TSA_URL` when a digital
 * signature is registered. The reply is checked (status granted, the message imprint and the nonce
 * ours, the token's signature, the TSA's certificate allowed to timestamp and chaining to the TSA
 * anchors at its genTime) and the token embedded in the CMS as the unsigned attribute
 * id-aa-signatureTimeStampToken. Built with pkijs (TimeStampReq, TimeStampResp, TSTInfo, SignedData).
 */
import { createHash, randomBytes } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isCaCertificate } from './certificate-subject';
import { arrayBufferOf, CMS_OID, derOf, signerOf } from './cms-structure';

export const TSA_POLICIES = ['prefer', 'require'] as const;
export type TsaPolicy = (typeof TSA_POLICIES)[number];

export const TSP_OID = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  timeStamping: '1.3.6.1.5.5.7.3.8',
};

/** How far the TSA's genTime may be from the server's clock. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The TSA did not answer (down, timed out, not HTTP 2xx): `require` → 503. */
export class TimestampUnavailable extends Error {}

/** The TSA answered, but not with a timestamp that holds: `require` → 502. */
export class TimestampInvalid extends Error {}

export interface SignatureTimestamp {
  /** DER ContentInfo (SignedData over a TSTInfo): the TimeStampToken. */
  token: Buffer;
  genTime: Date;
  /** The TSA certificate's subject. */
  tsa: string;
  /** The CMS with the token as its signer's unsigned attribute id-aa-signatureTimeStampToken. */
  cms: Buffer;
}

export interface TimestampOptions {
  url: string;
  /** DER certificates the TSA's certificate must chain to. */
  anchors: Buffer[];
  now: Date;
  timeoutMs?: number;
}

const invalid = (message: string): never => {
  throw new TimestampInvalid(message);
};

async function ask(url: string, request: pkijs.TimeStampReq, timeoutMs: number): Promise<Buffer> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: Buffer.from(request.toSchema().toBER(false)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new TimestampUnavailable(`the TSA did not answer (${(e as Error).message})`);
  }
}

function readReply(body: Buffer): { token: pkijs.ContentInfo; signed: pkijs.SignedData; tst: pkijs.TSTInfo } {
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(arrayBufferOf(body));
  } catch (e) {
    return invalid(`the TSA's reply is not a TimeStampResp (${(e as Error).message})`);
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    invalid(`the TSA refused the request (PKIStatus ${status})`);
  }
  const token = response.timeStampToken;
  if (!token || token.contentType !== CMS_OID.signedData) return invalid('the TSA granted no SignedData token');
  try {
    const signed = new pkijs.SignedData({ schema: token.content });
    if (signed.encapContentInfo.eContentType !== TSP_OID.tstInfo || !signed.encapContentInfo.eContent) {
      throw new Error('it does not encapsulate a TSTInfo');
    }
    const tst = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
    return { token, signed, tst };
  } catch (e) {
    return invalid(`the TSA's token cannot be read (${(e as Error).message})`);
  }
}

/** The TSA's certificate: named by the token's signer, allowed to timestamp, chaining to the anchors at genTime. */
async function checkTsaCertificate(signed: pkijs.SignedData, anchors: Buffer[], at: Date): Promise<string> {
  if (signed.signerInfos.length !== 1) invalid('the token must have exactly one signer');
  const sid = signed.signerInfos[0].sid;
  const certificates = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const tsa = certificates.find(
    (c) =>
      sid instanceof pkijs.IssuerAndSerialNumber &&
      c.issuer.isEqual(sid.issuer) &&
      c.serialNumber.isEqual(sid.serialNumber),
  );
  if (!tsa) return invalid("the token does not carry the TSA's certificate");
  const leaf = derOf(tsa);
  const read = new x509.X509Certificate(leaf);
  const eku = read.getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku?.usages.map(String).includes(TSP_OID.timeStamping)) {
    invalid("the TSA's certificate is not allowed to timestamp (extendedKeyUsage timeStamping)");
  }
  if (!anchors.length)
    invalid('no TSA trust anchors are configured (SIGNATURE_TSA_ANCHORS or SIGNATURE_TRUST_ANCHORS)');
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors.map((a) => pkijs.Certificate.fromBER(arrayBufferOf(a))),
    certs: [...certificates.filter((c) => !derOf(c).equals(leaf)), tsa],
    checkDate: at,
  });
  const chain = await engine.verify({}).catch(() => ({ result: false, certificatePath: [] as pkijs.Certificate[] }));
  const path = (chain as { certificatePath?: pkijs.Certificate[] }).certificatePath ?? [];
  if (!chain.result || !path.length || !derOf(path[0]).equals(leaf)) {
    invalid("the TSA's certificate does not chain to a TSA trust anchor");
  }
  if (!path.slice(1).every((c) => isCaCertificate(derOf(c)))) {
    invalid("the TSA's certificate does not chain to a TSA trust anchor: an issuer is not a CA");
  }
  return read.subject;
}

/** The CMS with `token` added to its one signer's unsigned attributes; the signed part left as it was. */
export function embedSignatureTimestamp(cms: Buffer, token: pkijs.ContentInfo): Buffer {
  const info = pkijs.ContentInfo.fromBER(arrayBufferOf(cms));
  const signedData = new pkijs.SignedData({ schema: info.content });
  const signer = signedData.signerInfos[0];
  const attribute = new pkijs.Attribute({ type: TSP_OID.signatureTimeStampToken, values: [token.toSchema()] });
  // A timestamp the signer's client already added (NCALayer's tsaProfile) is kept beside ours.
  const kept = signer.unsignedAttrs?.attributes ?? [];
  signer.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [...kept, attribute] });
  const out = Buffer.from(
    new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) })
      .toSchema()
      .toBER(false),
  );
  // Whatever was signed must be byte for byte what it was: same signed attributes, signature and certificates.
  const before = signerOf(cms);
  const after = signerOf(out);
  const same = (a: pkijs.SignerInfo, b: pkijs.SignerInfo) =>
    Buffer.from(a.signedAttrs!.encodedValue).equals(Buffer.from(b.signedAttrs!.encodedValue)) &&
    Buffer.from(a.signature.valueBlock.valueHexView).equals(Buffer.from(b.signature.valueBlock.valueHexView));
  if (!same(before.signer, after.signer) || !before.certificateDer.equals(after.certificateDer)) {
    throw new Error('embedding the timestamp would change the signed part of the CMS');
  }
  return out;
}

/**
 * Asks the TSA for a timestamp over the CMS signer's signature value and checks the reply.
 * TimestampUnavailable when the TSA does not answer, TimestampInvalid when the answer does not hold.
 */
export async function timestampSignature(cms: Buffer, o: TimestampOptions): Promise<SignatureTimestamp> {
  const { signer } = signerOf(cms);
  const signatureValue = Buffer.from(signer.signature.valueBlock.valueHexView);
  const imprint = createHash('sha256').update(signatureValue).digest();
  const nonce = randomBytes(16);
  nonce[0] = (nonce[0] & 0x7f) | 0x40; // a positive INTEGER in its shortest form
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: arrayBufferOf(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: arrayBufferOf(nonce) }),
    certReq: true,
  });
  const { token, signed, tst } = readReply(await ask(o.url, request, o.timeoutMs ?? 10_000));

  const hashed = Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (tst.messageImprint.hashAlgorithm.algorithmId !== CMS_OID.sha256 || !hashed.equals(imprint)) {
    invalid("the timestamp's message imprint is not the SHA-256 of the signature value");
  }
  if (!tst.nonce || !Buffer.from(tst.nonce.valueBlock.valueHexView).equals(nonce)) {
    invalid("the timestamp's nonce is not the request's");
  }
  const genTime = tst.genTime;
  if (Math.abs(genTime.getTime() - o.now.getTime()) > CLOCK_SKEW_MS) {
    invalid(`the timestamp's genTime ${genTime.toISOString()} is more than 5 minutes from the server's clock`);
  }
  let verified = false;
  try {
    const r = await signed.verify({
      signer: 0,
      data: arrayBufferOf(signatureValue),
      checkChain: false,
      extendedMode: true,
    });
    verified = r.signatureVerified === true;
  } catch {
    verified = false;
  }
  if (!verified) invalid("the token's signature does not verify with the TSA's certificate");
  const tsa = await checkTsaCertificate(signed, o.anchors, genTime);
  const tokenDer = Buffer.from(token.toSchema().toBER(false));
  return { token: tokenDer, genTime, tsa, cms: embedSignatureTimestamp(cms, token) };
}

export interface TimestampSettings {
  url: string | undefined;
  policy: TsaPolicy;
  anchors: () => Buffer[];
}

/**
 * The policy around timestampSignature: no URL, no timestamp; `require` lets TimestampUnavailable
 * and TimestampInvalid through (nothing is written); `prefer` reports them to `warn` and answers null.
 */
export class SignatureTimestamper {
  constructor(
    private readonly settings: () => TimestampSettings,
    private readonly warn: (message: string) => void,
  ) {}

  /** `what`: names what goes on without a timestamp in the warning (`prefer`). */
  async stamp(cms: Buffer, now: Date, what = 'signature stored'): Promise<SignatureTimestamp | null> {
    const { url, policy, anchors } = this.settings();
    if (!url) return null;
    try {
      return await timestampSignature(cms, { url, anchors: anchors(), now });
    } catch (e) {
      if (policy === 'require' || !(e instanceof TimestampUnavailable || e instanceof TimestampInvalid)) throw e;
      this.warn(`${what} without a timestamp (SIGNATURE_TSA=prefer): ${(e as Error).message}`);
      return null;
    }
  }
}
