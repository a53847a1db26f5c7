import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { TestPki } from '../../../../test/support/test-pki';
import { PkijsSignatureVerifier, readTrustAnchors } from './pkijs-signature-verifier';
import { SignatureRefused } from './signature-verifier';

const content = Buffer.from('{"canonicalVersion":2,"title":"Меморандум"}', 'utf8');
const revisionHash = 'ab'.repeat(32);
const DAY = 86_400_000;

describe('PkijsSignatureVerifier with openssl-made CMS', () => {
  let pki: TestPki;
  let verifier: PkijsSignatureVerifier;
  const check = (cms: string, bytes = content) =>
    verifier.verify({
      cms: Buffer.from(cms, 'base64'),
      content: bytes,
      revisionHash,
      now: new Date(),
      notBefore: null,
    });
  const refusal = async (cms: string, bytes = content) => {
    const e = await check(cms, bytes).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SignatureRefused);
    return (e as Error).message;
  };

  beforeAll(async () => {
    pki = await TestPki.create();
    verifier = new PkijsSignatureVerifier(() => readTrustAnchors(pki.anchorsPath));
  });
  afterAll(() => pki.dispose());

  it.each(['ecdsa', 'rsa'] as const)(
    'accepts a %s signature and reads IIN and BIN from the certificate',
    async (kind) => {
      const leaf = await pki.leaf(`employee-${kind}`, {
        commonName: 'АХМЕТОВ АЙДОС',
        iin: '850101300015',
        bin: '000740000728',
        kind,
      });
      const v = await check(pki.opensslSign(content, leaf));
      expect(v.certificate).toMatchObject({ iin: '850101300015', bin: '000740000728', commonName: 'АХМЕТОВ АЙДОС' });
      expect(v.certificate.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(v.signingTime).toBeInstanceOf(Date);
    },
  );

  it("accepts a certificate shorter than its issuer's, which DER's SET OF order puts first in the CMS", async () => {
    const short = await pki.leaf('short', { commonName: 'A' });
    expect(short.cert.rawData.byteLength).toBeLessThan(pki.intermediate.cert.rawData.byteLength);
    await expect(check(pki.opensslSign(content, short))).resolves.toMatchObject({ certificate: { commonName: 'A' } });
  });

  it('refuses other bytes, an expired certificate, a certificate that may not sign, and an untrusted root', async () => {
    const person = await pki.leaf('person', { commonName: 'P', iin: '850101300015' });
    expect(await refusal(pki.opensslSign(content, person), Buffer.from('other'))).toBe(
      `signature does not cover revision ${revisionHash}`,
    );
    const expired = await pki.leaf('expired', {
      commonName: 'E',
      iin: '850101300015',
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 30 * DAY),
    });
    expect(await refusal(pki.opensslSign(content, expired))).toMatch(/^certificate expired at \d{4}-/);
    const encipherOnly = await pki.leaf('no-sign', {
      commonName: 'K',
      iin: '850101300015',
      keyUsage: x509.KeyUsageFlags.keyEncipherment,
    });
    expect(await refusal(pki.opensslSign(content, encipherOnly))).toBe('key usage does not allow signing');
    const stranger = await pki.leaf('stranger', { commonName: 'S', iin: '850101300015', issuer: pki.strangerRoot });
    expect(await refusal(pki.opensslSign(content, stranger, pki.strangerRoot.certPath))).toBe(
      'certificate chain does not reach a trust anchor',
    );
    expect(await refusal(Buffer.from('not a cms').toString('base64'))).toBe('is not a DER CMS SignedData');
  });
});

describe('PkijsSignatureVerifier with OCSP (SIGNATURE_OCSP)', () => {
  let pki: TestPki;
  const statuses: Record<string, 'good' | 'revoked' | 'unknown'> = {};
  let responder: { url: string; close: () => Promise<void> };
  const verifierWith = (policy: 'off' | 'prefer' | 'require') =>
    new PkijsSignatureVerifier(
      () => readTrustAnchors(pki.anchorsPath),
      () => policy,
    );
  const verify = (policy: 'off' | 'prefer' | 'require', cms: string) =>
    verifierWith(policy).verify({
      cms: Buffer.from(cms, 'base64'),
      content,
      revisionHash,
      now: new Date(),
      notBefore: null,
    });
  const leafWith = async (name: string, status: 'good' | 'revoked' | 'unknown' | null) => {
    const leaf = await pki.leaf(name, {
      commonName: name,
      iin: '850101300015',
      ...(status ? { ocspUrl: responder.url } : {}),
    });
    if (status) statuses[leaf.cert.serialNumber.toLowerCase().replace(/^0+/, '')] = status;
    return pki.opensslSign(content, leaf);
  };

  beforeAll(async () => {
    pki = await TestPki.create();
    responder = await pki.ocspResponder(pki.intermediate, (serial) => statuses[serial.replace(/^0+/, '')] ?? 'unknown');
  });
  afterAll(async () => {
    await responder.close();
    pki.dispose();
  });

  it('accepts a good certificate and refuses a revoked one, under prefer and require', async () => {
    const good = await leafWith('good', 'good');
    const revoked = await leafWith('revoked', 'revoked');
    for (const policy of ['prefer', 'require'] as const) {
      await expect(verify(policy, good)).resolves.toMatchObject({ certificate: { iin: '850101300015' } });
      await expect(verify(policy, revoked)).rejects.toThrow('certificate is revoked (OCSP)');
    }
    await expect(verify('off', revoked)).resolves.toBeDefined();
  });

  it('under require refuses what it cannot establish; under prefer accepts it', async () => {
    const unknown = await leafWith('unknown', 'unknown');
    const noResponder = await leafWith('no-responder', null);
    await expect(verify('require', unknown)).rejects.toThrow(
      'certificate revocation could not be checked: the OCSP responder does not know it',
    );
    await expect(verify('require', noResponder)).rejects.toThrow(
      'certificate revocation could not be checked: the certificate names no OCSP responder',
    );
    await expect(verify('prefer', unknown)).resolves.toBeDefined();
    await expect(verify('prefer', noResponder)).resolves.toBeDefined();
  });
});
