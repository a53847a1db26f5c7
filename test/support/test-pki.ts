/**
 * A throw-away PKI made by each test run (never committed keys): a root CA, an intermediate, and
 * leaf certificates shaped as NCA RK issues them (SERIALNUMBER=IIN…, OU=BIN… for an employee).
 * Keys are written as PKCS#8 PEM beside the certificates so the openssl CLI can sign with them.
 */
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as pkijs from 'pkijs';

// Node's WebCrypto is the standard one; the DOM type the library names is not in this project's lib.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyKind = 'rsa' | 'ecdsa';

const ALGORITHMS = {
  rsa: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  ecdsa: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
} as const;

export interface Issued {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  kind: KeyKind;
  certPath: string;
  keyPath: string;
  pem: string;
}

export interface LeafOptions {
  commonName: string;
  iin?: string;
  bin?: string;
  kind?: KeyKind;
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: number;
  issuer?: Issued;
  /** The OCSP responder the certificate names (authorityInfoAccess). */
  ocspUrl?: string;
  /** extendedKeyUsage purposes (OIDs), e.g. timeStamping for a TSA. */
  extendedKeyUsage?: string[];
}

/** How the local TSA answers the next requests (TestPki.tsa). */
export interface TsaBehaviour {
  mode: 'granted' | 'down' | 'wrong-imprint' | 'wrong-nonce' | 'rejection';
  /** The TSA certificate the token is signed with, and the chain it carries. */
  signer: Issued;
  chain: Issued[];
  /** The token's genTime. */
  genTime: () => Date;
}

const TSP = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
};
const toArrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const DAY = 86_400_000;

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'kelisim-pki-'));
  private serial = 1;
  root!: Issued;
  intermediate!: Issued;
  /** A root nobody trusts, and a leaf under it. */
  strangerRoot!: Issued;

  static async create(): Promise<TestPki> {
    const pki = new TestPki();
    pki.root = await pki.ca('Kelisim Test Root CA', null);
    pki.intermediate = await pki.ca('Kelisim Test Intermediate CA', pki.root);
    pki.strangerRoot = await pki.ca('Somebody Else Root CA', null);
    return pki;
  }

  /** The trust anchor bundle's path (the root only: the intermediate travels in the CMS). */
  get anchorsPath(): string {
    const path = join(this.dir, 'anchors.pem');
    writeFileSync(path, this.root.pem);
    return path;
  }

  /** The chain file for `openssl cms -certfile`: the intermediate. */
  get chainPath(): string {
    const path = join(this.dir, 'chain.pem');
    writeFileSync(path, this.intermediate.pem);
    return path;
  }

  private async write(
    name: string,
    cert: x509.X509Certificate,
    keys: webcrypto.CryptoKeyPair,
    kind: KeyKind,
  ): Promise<Issued> {
    const pem = cert.toString('pem');
    const certPath = join(this.dir, `${name}.crt.pem`);
    const keyPath = join(this.dir, `${name}.key.pem`);
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey));
    writeFileSync(certPath, pem);
    writeFileSync(keyPath, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'));
    return { cert, keys, kind, certPath, keyPath, pem };
  }

  private async ca(commonName: string, issuer: Issued | null): Promise<Issued> {
    const kind: KeyKind = 'ecdsa';
    const keys = (await webcrypto.subtle.generateKey(ALGORITHMS[kind], true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const name = `CN=${commonName}, O=Kelisim Tests, C=KZ`;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (this.serial++).toString(16).padStart(2, '0'),
      subject: name,
      issuer: issuer ? issuer.cert.subject : name,
      notBefore: new Date(Date.now() - 365 * DAY),
      notAfter: new Date(Date.now() + 10 * 365 * DAY),
      signingAlgorithm: ALGORITHMS.ecdsa,
      publicKey: keys.publicKey,
      signingKey: (issuer ?? { keys }).keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return this.write(commonName.replace(/\W+/g, '-').toLowerCase(), cert, keys, kind);
  }

  /** A signer's certificate; by default under the intermediate, valid now, digitalSignature + nonRepudiation. */
  async leaf(file: string, o: LeafOptions): Promise<Issued> {
    const kind = o.kind ?? 'ecdsa';
    const keys = (await webcrypto.subtle.generateKey(ALGORITHMS[kind], true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const issuer = o.issuer ?? this.intermediate;
    const subject: x509.JsonName = [
      { '2.5.4.3': [o.commonName] },
      ...(o.iin ? [{ '2.5.4.5': [`IIN${o.iin}`] }] : []),
      { '2.5.4.6': ['KZ'] },
      ...(o.bin ? [{ '2.5.4.10': ['Test organisation'] }, { '2.5.4.11': [`BIN${o.bin}`] }] : []),
    ];
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (1000 + this.serial++).toString(16),
      subject: new x509.Name(subject).toString(),
      issuer: issuer.cert.subject,
      notBefore: o.notBefore ?? new Date(Date.now() - DAY),
      notAfter: o.notAfter ?? new Date(Date.now() + 365 * DAY),
      signingAlgorithm: ALGORITHMS.ecdsa,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          o.keyUsage ?? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
          true,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
        ...(o.ocspUrl
          ? [new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', o.ocspUrl)] })]
          : []),
        ...(o.extendedKeyUsage ? [new x509.ExtendedKeyUsageExtension(o.extendedKeyUsage, true)] : []),
      ],
    });
    return this.write(file, cert, keys, kind);
  }

  /**
   * `openssl cms -sign` exactly as an independent client would run it: detached, DER, SHA-256, the
   * signer's certificate and the chain file included. Answers the CMS in base64.
   */
  opensslSign(content: Buffer, signer: Issued, chainPath = this.chainPath): string {
    const input = join(this.dir, `content-${this.serial++}.json`);
    writeFileSync(input, content);
    const out = execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-md',
      'sha256',
      '-signer',
      signer.certPath,
      '-inkey',
      signer.keyPath,
      '-certfile',
      chainPath,
      '-in',
      input,
    ]);
    return out.toString('base64');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A TSA's certificate: extendedKeyUsage timeStamping (critical), digitalSignature. */
  tsaCertificate(file: string, issuer: Issued = this.intermediate): Promise<Issued> {
    return this.leaf(file, {
      commonName: `Kelisim Test TSA ${file}`,
      issuer,
      keyUsage: x509.KeyUsageFlags.digitalSignature,
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'],
    });
  }

  /**
   * A local RFC 3161 TSA over HTTP (application/timestamp-query): answers each TimeStampReq as
   * `behaviour` says at the time of the request, a token signed with `behaviour.signer`'s key.
   */
  async tsa(behaviour: TsaBehaviour): Promise<{ url: string; requests: number; close: () => Promise<void> }> {
    let serial = 1;
    const state = { url: '', requests: 0, close: () => Promise.resolve() };
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          state.requests++;
          if (behaviour.mode === 'down' || req.headers['content-type'] !== 'application/timestamp-query') {
            res.writeHead(503);
            res.end();
            return;
          }
          const request = pkijs.TimeStampReq.fromBER(toArrayBuffer(Buffer.concat(chunks)));
          if (behaviour.mode === 'rejection') {
            const refused = new pkijs.TimeStampResp({
              status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.rejection }),
            });
            res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
            res.end(Buffer.from(refused.toSchema().toBER(false)));
            return;
          }
          const imprint =
            behaviour.mode === 'wrong-imprint'
              ? await pkijs.MessageImprint.create('SHA-256', new TextEncoder().encode('something else'))
              : request.messageImprint;
          const tst = new pkijs.TSTInfo({
            version: 1,
            policy: '1.2.398.3.3.2.6.1',
            messageImprint: imprint,
            serialNumber: new asn1js.Integer({ value: serial++ }),
            genTime: behaviour.genTime(),
            ...(request.nonce
              ? { nonce: behaviour.mode === 'wrong-nonce' ? new asn1js.Integer({ value: 4242 }) : request.nonce }
              : {}),
          });
          const tstDer = Buffer.from(tst.toSchema().toBER(false));
          const cert = pkijs.Certificate.fromBER(behaviour.signer.cert.rawData);
          // Set after construction: given to the constructor, pkijs splits it into a constructed (BER) OCTET STRING.
          const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: TSP.tstInfo });
          encapContentInfo.eContent = new asn1js.OctetString({ valueHex: toArrayBuffer(tstDer) });
          const signed = new pkijs.SignedData({
            version: 3,
            encapContentInfo,
            signerInfos: [
              new pkijs.SignerInfo({
                version: 1,
                sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
                signedAttrs: new pkijs.SignedAndUnsignedAttributes({
                  type: 0,
                  attributes: [
                    new pkijs.Attribute({
                      type: TSP.contentType,
                      values: [new asn1js.ObjectIdentifier({ value: TSP.tstInfo })],
                    }),
                    new pkijs.Attribute({
                      type: TSP.messageDigest,
                      values: [
                        new asn1js.OctetString({
                          valueHex: toArrayBuffer(Buffer.from(await webcrypto.subtle.digest('SHA-256', tstDer))),
                        }),
                      ],
                    }),
                  ],
                }),
              }),
            ],
            certificates: request.certReq
              ? [cert, ...behaviour.chain.map((c) => pkijs.Certificate.fromBER(c.cert.rawData))]
              : [],
          });
          await signed.sign(
            behaviour.signer.keys.privateKey as unknown as Parameters<typeof signed.sign>[0],
            0,
            'SHA-256',
          );
          const response = new pkijs.TimeStampResp({
            status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
            timeStampToken: new pkijs.ContentInfo({
              contentType: pkijs.ContentInfo.SIGNED_DATA,
              content: signed.toSchema(true),
            }),
          });
          res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
          res.end(Buffer.from(response.toSchema().toBER(false)));
        })().catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
    state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    return state;
  }

  /**
   * A local OCSP responder for certificates issued by `issuer`, answering each with the status
   * `statusOf(serialHex)` gives ('good' | 'revoked' | 'unknown'), signed with the issuer's key.
   */
  async ocspResponder(
    issuer: Issued,
    statusOf: (serialHex: string) => 'good' | 'revoked' | 'unknown',
  ): Promise<{ url: string; close: () => Promise<void> }> {
    const issuerCert = pkijs.Certificate.fromBER(issuer.cert.rawData);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          const request = pkijs.OCSPRequest.fromBER(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
          const certID = request.tbsRequest.requestList[0].reqCert;
          const serial = Buffer.from(certID.serialNumber.valueBlock.valueHexView).toString('hex');
          const status = statusOf(serial);
          const now = new Date();
          const certStatus =
            status === 'good'
              ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } })
              : status === 'revoked'
                ? new asn1js.Constructed({
                    idBlock: { tagClass: 3, tagNumber: 1 },
                    value: [new asn1js.GeneralizedTime({ valueDate: now })],
                  })
                : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
          const basic = new pkijs.BasicOCSPResponse();
          basic.tbsResponseData.responderID = issuerCert.subject;
          basic.tbsResponseData.producedAt = now;
          basic.tbsResponseData.responses.push(new pkijs.SingleResponse({ certID, certStatus, thisUpdate: now }));
          await basic.sign(issuer.keys.privateKey as unknown as Parameters<typeof basic.sign>[0], 'SHA-256');
          const response = new pkijs.OCSPResponse({
            responseStatus: new asn1js.Enumerated({ value: 0 }),
            responseBytes: new pkijs.ResponseBytes({
              responseType: pkijs.id_PKIX_OCSP_Basic,
              response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
            }),
          });
          res.writeHead(200, { 'Content-Type': 'application/ocsp-response' });
          res.end(Buffer.from(response.toSchema().toBER(false)));
        })().catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocsp`;
    return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
}
