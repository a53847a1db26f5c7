import 'reflect-metadata';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as pkijs from 'pkijs';
import { TestPki } from '../../../../test/support/test-pki';
import { arrayBufferOf } from './cms-structure';
import { NcanodeSignatureVerifier } from './ncanode-signature-verifier';
import { RoutingSignatureVerifier } from './routing-signature-verifier';
import {
  SignatureRefused,
  SignatureToVerify,
  SignatureVerifier,
  SignatureVerifierUnavailable,
  VerifiedSignature,
} from './signature-verifier';

const content = Buffer.from('{"canonicalVersion":2,"title":"Меморандум"}', 'utf8');
const revisionHash = 'cd'.repeat(32);

/** The CMS with its signer's signature algorithm replaced (a stand-in for a GOST one the server cannot check). */
function withSignatureAlgorithm(cmsBase64: string, oid: string): Buffer {
  const info = pkijs.ContentInfo.fromBER(arrayBufferOf(Buffer.from(cmsBase64, 'base64')));
  const sd = new pkijs.SignedData({ schema: info.content });
  sd.signerInfos[0].signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: oid });
  const out = new pkijs.ContentInfo({ contentType: info.contentType, content: sd.toSchema(true) });
  return Buffer.from(out.toSchema().toBER(false));
}

/**
 * A stand-in for NCANode's POST /cms/verify: records each request body and answers with what the
 * test sets, in NCANode's CmsVerificationResponse shape.
 */
class NcanodeStandIn {
  server!: Server;
  requests: Array<{ path: string; body: Record<string, unknown> }> = [];
  answer: { status: number; body: unknown } = { status: 200, body: {} };

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', body: JSON.parse(raw) });
        res.writeHead(this.answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(this.answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const validAnswer = (iin: string, bin?: string) => ({
  status: 200,
  message: 'OK',
  valid: true,
  signers: [
    {
      certificates: [
        {
          valid: true,
          notBefore: '2026-01-01T00:00:00.000+00:00',
          notAfter: '2027-01-01T00:00:00.000+00:00',
          keyUsage: 'SIGN',
          serialNumber: '1234',
          signAlg: 'GOST34311_GOST34310',
          subject: {
            commonName: 'ТЕСТОВ ТЕСТ',
            iin,
            ...(bin ? { bin } : {}),
            dn: `CN=ТЕСТОВ ТЕСТ,SERIALNUMBER=IIN${iin}`,
          },
          issuer: { commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)' },
        },
      ],
      tsp: null,
    },
  ],
});

describe('NcanodeSignatureVerifier against a stand-in speaking NCANode /cms/verify', () => {
  let pki: TestPki;
  const standIn = new NcanodeStandIn();
  let url: string;
  let cms: Buffer;
  const request = (c = cms): SignatureToVerify => ({
    cms: c,
    content,
    revisionHash,
    now: new Date(),
    notBefore: null,
  });

  beforeAll(async () => {
    pki = await TestPki.create();
    const leaf = await pki.leaf('gost-stand-in', {
      commonName: 'ТЕСТОВ ТЕСТ',
      iin: '850101300015',
      bin: '000740000728',
    });
    cms = Buffer.from(pki.opensslSign(content, leaf), 'base64');
    url = await standIn.start();
  });
  afterAll(async () => {
    await standIn.stop();
    pki.dispose();
  });

  it('sends the CMS and the detached content in base64, and reads the certificate from the CMS', async () => {
    standIn.answer = { status: 200, body: validAnswer('850101300015', '000740000728') };
    const v = await new NcanodeSignatureVerifier(url).verify(request());
    expect(standIn.requests.at(-1)).toEqual({
      path: '/cms/verify',
      body: { cms: cms.toString('base64'), data: content.toString('base64'), revocationCheck: [] },
    });
    expect(v.certificate).toMatchObject({ iin: '850101300015', bin: '000740000728', commonName: 'ТЕСТОВ ТЕСТ' });
  });

  it.each([
    [{ ...validAnswer('850101300015'), valid: false, message: 'Signature is not valid' }, /^signature does not verify/],
    [
      {
        ...validAnswer('850101300015'),
        signers: [{ certificates: [{ ...validAnswer('850101300015').signers[0].certificates[0], keyUsage: 'AUTH' }] }],
      },
      'key usage does not allow signing',
    ],
    [
      {
        ...validAnswer('850101300015'),
        signers: [
          { certificates: [{ ...validAnswer('850101300015').signers[0].certificates[0], revokedBy: ['OCSP'] }] },
        ],
      },
      'certificate is revoked (OCSP)',
    ],
  ])('refuses what the service does not vouch for (%#)', async (body, message) => {
    standIn.answer = { status: 200, body };
    const e = await new NcanodeSignatureVerifier(url).verify(request()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SignatureRefused);
    expect((e as Error).message).toMatch(message);
  });

  it('treats a failing service as an error, not as a refusal of the signer', async () => {
    standIn.answer = { status: 500, body: { status: 500, message: 'Internal error' } };
    const e = await new NcanodeSignatureVerifier(url).verify(request()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SignatureVerifierUnavailable);
    expect((e as Error).message).toMatch(/did not answer/);
  });

  it('routes RSA and ECDSA in process and any other algorithm to the service, or refuses it without one', async () => {
    const seen: string[] = [];
    const fake = (name: string): SignatureVerifier => ({
      verify: async (): Promise<VerifiedSignature> => {
        seen.push(name);
        return {} as VerifiedSignature;
      },
    });
    const other = withSignatureAlgorithm(cms.toString('base64'), '1.3.101.112');
    await new RoutingSignatureVerifier(fake('in-process'), fake('remote')).verify(request());
    await new RoutingSignatureVerifier(fake('in-process'), fake('remote')).verify(request(other));
    expect(seen).toEqual(['in-process', 'remote']);
    expect(() => new RoutingSignatureVerifier(fake('in-process'), null).verify(request(other))).toThrow(
      'signature algorithm 1.3.101.112 is not verified here (RSA and ECDSA are; GOST needs SIGNATURE_VERIFIER_URL)',
    );
  });
});
