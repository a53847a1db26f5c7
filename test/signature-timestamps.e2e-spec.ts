/**
 * RFC 3161 signature timestamps (CAdES-T) of digital signatures (docs/signatures.md): with
 * SIGNATURE_TSA_URL set, a local TSA started by the test (its certificate from the tests' own PKI,
 * extendedKeyUsage timeStamping) timestamps the signature value; the token is stored with the
 * signature and embedded in its CMS, and the API reports its genTime. A TSA that is down, or whose
 * reply does not hold (wrong imprint, wrong nonce, untrusted certificate, a rejection), is refused
 * under SIGNATURE_TSA=require with nothing written, and passed over under `prefer`.
 */
import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ManualClock } from '@kelisim/platform';
import {
  createTaraz,
  draftTarazMemorandum,
  footprint,
  person,
  SIGNATORY_KEYS,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { createAdmin } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { Issued, TestPki, TsaBehaviour } from './support/test-pki';

const DAY = 86_400_000;
const IINS = ['850101300015', '900101400013', '770401456784', '960112300008', '880202300013'];
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const toArrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** openssl's reading of a DER file, as text. */
const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

interface Setup {
  t: TestApp;
  tz: Taraz;
  pki: TestPki;
  tsa: Awaited<ReturnType<TestPki['tsa']>>;
  behaviour: TsaBehaviour;
  trustedTsa: Issued;
  untrustedTsa: Issued;
  certs: Record<string, Issued>;
  id: string;
  hash: string;
  canonical: Buffer;
}

async function setUp(policy: 'require' | 'prefer', withWorker = false): Promise<Setup> {
  const pki = await TestPki.create();
  const trustedTsa = await pki.tsaCertificate('tsa');
  const untrustedTsa = await pki.tsaCertificate('stranger-tsa', pki.strangerRoot);
  const clock = new ManualClock(new Date());
  const behaviour: TsaBehaviour = {
    mode: 'granted',
    signer: trustedTsa,
    chain: [pki.intermediate],
    genTime: () => clock.now(),
  };
  const tsa = await pki.tsa(behaviour);
  const t = await startTestApp({
    withWorker,
    clock,
    env: { SIGNATURE_TRUST_ANCHORS: pki.anchorsPath, SIGNATURE_TSA_URL: tsa.url, SIGNATURE_TSA: policy },
  });
  const tz = await createTaraz(t);
  const admin = await createAdmin(t);
  const certs: Record<string, Issued> = {};
  for (const [i, key] of SIGNATORY_KEYS.entries()) {
    const res = await t
      .http()
      .patch(`/users/${person(tz, key).id}`)
      .set(admin.auth)
      .send({ iin: IINS[i] });
    expect(res.status).toBe(200);
    certs[key] = await pki.leaf(key, {
      commonName: person(tz, key).fullName,
      iin: IINS[i],
      kind: i % 2 ? 'rsa' : 'ecdsa',
    });
  }
  const id = await draftTarazMemorandum(t, tz, {
    effectiveDate: isoDate(Date.now() + 30 * DAY),
    endDate: isoDate(Date.now() + 3 * 365 * DAY),
  });
  const hash = await submitAndApprove(t, tz, id);
  const opened = await t
    .http()
    .post(`/memoranda/${id}/open-signing`)
    .set(person(tz, 'kelisim').auth)
    .send({ mode: 'parallel' });
  expect(opened.status).toBe(200);
  const res = await t
    .http()
    .get(`/memoranda/${id}/revisions/1/canonical`)
    .set(person(tz, 'kelisim').auth)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const canonical = res.body as Buffer;
  expect(createHash('sha256').update(canonical).digest('hex')).toBe(hash);
  return { t, tz, pki, tsa, behaviour, trustedTsa, untrustedTsa, certs, id, hash, canonical };
}

async function tearDown(s: Setup | undefined): Promise<void> {
  await s?.t.close();
  await s?.tsa.close();
  s?.pki.dispose();
}

const sign = (s: Setup, key: string, cms: string) =>
  s.t
    .http()
    .post(`/memoranda/${s.id}/signatures`)
    .set(person(s.tz, key).auth)
    .send({ method: 'digital', revisionHash: s.hash, cms });

const storedRow = async (s: Setup, signatureId: string) => {
  const [row] = await s.t.db.query(
    `SELECT cms, cms_sha256, timestamp_token, timestamp_gen_time FROM memorandum_signatures WHERE id = $1`,
    [signatureId],
  );
  return row as { cms: Buffer; cms_sha256: string; timestamp_token: Buffer | null; timestamp_gen_time: Date | null };
};

describe('signature timestamps, SIGNATURE_TSA=require', () => {
  let s: Setup;

  beforeAll(async () => {
    s = await setUp('require', true);
  });

  afterAll(() => tearDown(s));

  it('refuses the signature when the TSA is down or its reply does not hold, and writes nothing', async () => {
    const cms = s.pki.opensslSign(s.canonical, s.certs.kelisim);
    const cases: Array<[Partial<TsaBehaviour>, number, string, string]> = [
      [{ mode: 'down' }, 503, 'signature_timestamp_unavailable', 'the TSA did not answer (HTTP 503)'],
      [
        { mode: 'wrong-imprint' },
        502,
        'signature_timestamp_invalid',
        "the timestamp's message imprint is not the SHA-256 of the signature value",
      ],
      [{ mode: 'wrong-nonce' }, 502, 'signature_timestamp_invalid', "the timestamp's nonce is not the request's"],
      [{ mode: 'rejection' }, 502, 'signature_timestamp_invalid', 'the TSA refused the request (PKIStatus 2)'],
      [
        { mode: 'granted', signer: s.untrustedTsa, chain: [s.pki.strangerRoot] },
        502,
        'signature_timestamp_invalid',
        "the TSA's certificate does not chain to a TSA trust anchor",
      ],
      [
        { mode: 'granted', signer: s.certs['youth-office'], chain: [s.pki.intermediate] },
        502,
        'signature_timestamp_invalid',
        "the TSA's certificate is not allowed to timestamp (extendedKeyUsage timeStamping)",
      ],
    ];
    for (const [behaviour, status, code, message] of cases) {
      Object.assign(s.behaviour, { mode: 'granted', signer: s.trustedTsa, chain: [s.pki.intermediate] }, behaviour);
      const before = await footprint(s.t, s.id);
      const asked = s.tsa.requests;
      const res = await sign(s, 'kelisim', cms);
      expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status, code, message });
      expect(s.tsa.requests).toBe(asked + 1);
      expect(await footprint(s.t, s.id)).toEqual(before);
    }
  });

  it('stores the token with the signature, embedded in its CMS, and reports its genTime', async () => {
    Object.assign(s.behaviour, { mode: 'granted', signer: s.trustedTsa, chain: [s.pki.intermediate] });
    const sent = Buffer.from(s.pki.opensslSign(s.canonical, s.certs.kelisim), 'base64');
    const res = await sign(s, 'kelisim', sent.toString('base64'));
    expect(res.status).toBe(201);
    const genTime = s.t.clock.now().toISOString();
    expect(res.body.timestampedAt).toBe(genTime);

    const row = await storedRow(s, res.body.id);
    expect(row.timestamp_gen_time?.toISOString()).toBe(genTime);
    expect(row.timestamp_token).not.toBeNull();
    // The stored CMS is the one sent plus the token as an unsigned attribute: its hash is the one reported.
    expect(row.cms.equals(sent)).toBe(false);
    expect(createHash('sha256').update(row.cms).digest('hex')).toBe(row.cms_sha256);
    expect(res.body.cmsSha256).toBe(row.cms_sha256);

    // openssl, independently: the CMS still verifies over the canonical bytes, and carries the token.
    const p7s = join(s.pki.dir, 'timestamped.p7s');
    const content = join(s.pki.dir, 'timestamped.json');
    const token = join(s.pki.dir, 'token.der');
    writeFileSync(p7s, row.cms);
    writeFileSync(content, s.canonical);
    writeFileSync(token, row.timestamp_token!);
    openssl(
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content].concat([
        '-CAfile',
        s.pki.anchorsPath,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]),
    );
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s]);
    expect(printed).toMatch(/id-smime-aa-timeStampToken/);
    const tokenText = openssl(['ts', '-reply', '-in', token, '-token_in', '-text']);
    // The token's message imprint is the SHA-256 of the signer's signature value, read with pkijs.
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(row.cms));
    const signatureValue = Buffer.from(
      new pkijs.SignedData({ schema: info.content }).signerInfos[0].signature.valueBlock.valueHexView,
    );
    const tokenInfo = pkijs.ContentInfo.fromBER(toArrayBuffer(row.timestamp_token!));
    const tst = pkijs.TSTInfo.fromBER(
      new pkijs.SignedData({ schema: tokenInfo.content }).encapContentInfo.eContent!.getValue(),
    );
    expect(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex')).toBe(
      createHash('sha256').update(signatureValue).digest('hex'),
    );
    expect(tst.genTime.toISOString()).toBe(genTime);
    expect(tokenText).toMatch(/Hash Algorithm: sha256/);
    expect(tokenText).toMatch(/Nonce: 0x[0-9A-F]+/);

    const listed = await s.t.http().get(`/memoranda/${s.id}/signatures`).set(person(s.tz, 'dulaty').auth);
    expect(listed.status).toBe(200);
    const shown = JSON.stringify(listed.body);
    expect(shown).toContain(`"timestampedAt":"${genTime}"`);
  });
  it('puts the timestamped CMS into the evidence PDF, sealed at B-T, which verifies', async () => {
    Object.assign(s.behaviour, { mode: 'granted', signer: s.trustedTsa, chain: [s.pki.intermediate] });
    for (const key of SIGNATORY_KEYS.filter((k) => k !== 'kelisim')) {
      const res = await sign(s, key, s.pki.opensslSign(s.canonical, s.certs[key]));
      expect({ key, status: res.status, timestamped: typeof res.body.timestampedAt }).toEqual({
        key,
        status: 201,
        timestamped: 'string',
      });
    }
    const coordinator = person(s.tz, 'kelisim');
    let status = 202;
    for (let i = 0; i < 160 && status === 202; i++) {
      status = (await s.t.http().get(`/memoranda/${s.id}/evidence.pdf`).set(coordinator.auth)).status;
      if (status === 202) await new Promise((r) => setTimeout(r, 250));
    }
    const got = await s.t
      .http()
      .get(`/memoranda/${s.id}/evidence.pdf`)
      .set(coordinator.auth)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(got.status).toBe(200);
    const pdf = got.body as Buffer;
    const verdict = await s.t.http().post('/evidence/verify').set('Content-Type', 'application/pdf').send(pdf);
    expect(verdict.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(verdict.body).toMatchObject({ valid: true, status: 'valid' });
    expect(verdict.body.signatures).toHaveLength(SIGNATORY_KEYS.length);
    for (const signature of verdict.body.signatures) expect(signature).toMatchObject({ ok: true, problems: [] });
    // The seal is PAdES B-T: its CMS carries a signature timestamp over its own signature value.
    const sealHex = /\/Type \/Sig[\s\S]*?\/Contents <([0-9a-fA-F]+)>/.exec(pdf.toString('latin1'))![1];
    const sealAsn = asn1js.fromBER(toArrayBuffer(Buffer.from(sealHex, 'hex')));
    const sealSigner = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: sealAsn.result }).content })
      .signerInfos[0];
    const sealToken = sealSigner.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    expect(sealToken).toBeDefined();
    const sealTst = pkijs.TSTInfo.fromBER(
      new pkijs.SignedData({
        schema: new pkijs.ContentInfo({ schema: sealToken!.values[0] }).content,
      }).encapContentInfo.eContent!.getValue(),
    );
    expect(Buffer.from(sealTst.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex')).toBe(
      createHash('sha256').update(Buffer.from(sealSigner.signature.valueBlock.valueHexView)).digest('hex'),
    );
    // poppler reads the B-T seal as a valid signature too.
    const sealedFile = join(s.pki.dir, 'sealed-b-t.pdf');
    writeFileSync(sealedFile, pdf);
    expect(spawnSync('pdfsig', [sealedFile], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
    // The verifier matched each embedded CMS with the SHA-256 the history recorded, which is that of
    // the CMS as stored, the token in it.
    const rows: Array<{ cms: Buffer; timestamp_token: Buffer | null; recorded: string }> = await s.t.db.query(
      `SELECT s.cms, s.timestamp_token, h.data->>'cmsSha256' AS recorded
         FROM memorandum_signatures s
         JOIN history_events h ON h.memorandum_id = s.memorandum_id AND h.action = 'sign' AND h.data->>'signatureId' = s.id::text
        WHERE s.memorandum_id = $1`,
      [s.id],
    );
    expect(rows).toHaveLength(SIGNATORY_KEYS.length);
    for (const r of rows) {
      expect(r.timestamp_token).not.toBeNull();
      expect(createHash('sha256').update(r.cms).digest('hex')).toBe(r.recorded);
      expect(r.cms.includes(r.timestamp_token!)).toBe(true);
    }
  });
});

describe('signature timestamps, SIGNATURE_TSA=prefer', () => {
  let s: Setup;

  beforeAll(async () => {
    s = await setUp('prefer');
  });

  afterAll(() => tearDown(s));

  it('stores the signature without a timestamp when the TSA is down or its reply does not hold', async () => {
    for (const [key, mode] of [
      ['kelisim', 'down'],
      ['youth-office', 'wrong-imprint'],
    ] as const) {
      s.behaviour.mode = mode;
      const sent = Buffer.from(s.pki.opensslSign(s.canonical, s.certs[key]), 'base64');
      const asked = s.tsa.requests;
      const res = await sign(s, key, sent.toString('base64'));
      expect(res.status).toBe(201);
      expect(s.tsa.requests).toBe(asked + 1);
      expect(res.body.timestampedAt).toBeNull();
      const row = await storedRow(s, res.body.id);
      expect(row.timestamp_token).toBeNull();
      expect(row.timestamp_gen_time).toBeNull();
      expect(row.cms.equals(sent)).toBe(true);
    }
  });

  it('still timestamps when the TSA answers', async () => {
    s.behaviour.mode = 'granted';
    const res = await sign(s, 'zhangyru', s.pki.opensslSign(s.canonical, s.certs.zhangyru));
    expect(res.status).toBe(201);
    expect(res.body.timestampedAt).toBe(s.t.clock.now().toISOString());
    expect((await storedRow(s, res.body.id)).timestamp_token).not.toBeNull();
  });
});
