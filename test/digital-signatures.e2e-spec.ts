/**
 * Digital signatures by signatories (docs/signatures.md): a memorandum that requires them, signed
 * by every signatory party with CMS made by the openssl CLI over the canonical bytes the API
 * serves, verified against the tests' own PKI; each refusal a 422 naming what did not match, with
 * nothing written.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { ManualClock } from '@kelisim/platform';
import {
  createTaraz,
  draftTarazMemorandum,
  footprint,
  getMemorandum,
  person,
  SIGNATORY_KEYS,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { createAdmin, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { Issued, TestPki } from './support/test-pki';

const DAY = 86_400_000;
/** Valid IINs (control digit checked), one per signatory party, and a valid BIN. */
const IINS = ['850101300015', '900101400013', '770401456784', '960112300008', '880202300013'];
const BIN = '000740000728';
const OTHER_BIN = '123456789013';
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('digital signatures (CMS with the signer’s own key)', () => {
  let t: TestApp;
  let tz: Taraz;
  let pki: TestPki;
  let admin: TestUser;
  let id: string;
  let hash: string;
  let canonical: Buffer;
  const certs: Record<string, Issued> = {};

  const sign = (key: string, cms: string, revisionHash = hash) =>
    t
      .http()
      .post(`/memoranda/${id}/signatures`)
      .set(person(tz, key).auth)
      .send({ method: 'digital', revisionHash, cms });

  beforeAll(async () => {
    pki = await TestPki.create();
    t = await startTestApp({
      clock: new ManualClock(new Date()),
      env: { SIGNATURE_TRUST_ANCHORS: pki.anchorsPath },
    });
    tz = await createTaraz(t);
    admin = await createAdmin(t);
    for (const [i, key] of SIGNATORY_KEYS.entries()) {
      const res = await t
        .http()
        .patch(`/users/${person(tz, key).id}`)
        .set(admin.auth)
        .send({ iin: IINS[i] });
      expect(res.status).toBe(200);
      expect(res.body.iin).toBe(IINS[i]);
    }
    const org = await t.http().patch(`/organisations/${tz['youth-office'].id}`).set(admin.auth).send({ bin: BIN });
    expect(org.status).toBe(200);
    for (const [i, key] of SIGNATORY_KEYS.entries()) {
      certs[key] = await pki.leaf(key, {
        commonName: person(tz, key).fullName,
        iin: IINS[i],
        ...(key === 'youth-office' ? { bin: BIN } : {}),
        kind: i % 2 ? 'rsa' : 'ecdsa',
      });
    }
    id = await draftTarazMemorandum(t, tz, {
      effectiveDate: isoDate(Date.now() + 30 * DAY),
      endDate: isoDate(Date.now() + 3 * 365 * DAY),
    });
    const m = await getMemorandum(t, id, person(tz, 'kelisim'));
    expect(m.signatureLevel).toBe('electronic');
    const set = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(person(tz, 'kelisim').auth)
      .send({ signatureLevel: 'digital', version: m.version });
    expect(set.status).toBe(200);
    expect(set.body.signatureLevel).toBe('digital');
    hash = await submitAndApprove(t, tz, id);
    const opened = await t
      .http()
      .post(`/memoranda/${id}/open-signing`)
      .set(person(tz, 'kelisim').auth)
      .send({ mode: 'parallel' });
    expect(opened.status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
    pki?.dispose();
  });

  it('serves the canonical bytes of the revision, whose SHA-256 is its hash, naming the parties in words', async () => {
    const res = await t.http().get(`/memoranda/${id}/revisions/1/canonical`).set(person(tz, 'zhangyru').auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    canonical = Buffer.from(res.text, 'utf8');
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(hash);
    expect(res.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(hash, 'hex').toString('base64')}:`);
    const terms = JSON.parse(res.text);
    expect(terms.canonicalVersion).toBe(2);
    expect(
      terms.parties.find((p: { organisationId: string }) => p.organisationId === tz['youth-office'].id),
    ).toMatchObject({ bin: BIN, name: expect.any(String), shortName: expect.any(String) });
    const outsider = await t.http().get(`/memoranda/${id}/revisions/1/canonical`).set(admin.auth);
    expect([200, 404]).toContain(outsider.status);
    const missing = await t.http().get(`/memoranda/${id}/revisions/9/canonical`).set(person(tz, 'kelisim').auth);
    expect(missing.status).toBe(404);
  });

  it('refuses the electronic method when the memorandum requires digital signatures', async () => {
    const before = await footprint(t, id);
    const res = await t
      .http()
      .post(`/memoranda/${id}/signatures`)
      .set(person(tz, 'kelisim').auth)
      .send({ method: 'electronic', revisionHash: hash, typedName: person(tz, 'kelisim').fullName, consent: true });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'method', message: 'must be digital: the memorandum requires signatureLevel digital' },
    ]);
    expect(await footprint(t, id)).toEqual(before);
  });

  it('refuses each CMS that does not hold with a 422 naming what did not match, and writes nothing', async () => {
    const expired = await pki.leaf('expired', {
      commonName: 'EXPIRED',
      iin: IINS[0],
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const noSigning = await pki.leaf('encipher-only', {
      commonName: 'NO SIGNING',
      iin: IINS[0],
      keyUsage: x509.KeyUsageFlags.keyEncipherment,
    });
    const stranger = await pki.leaf('stranger', { commonName: 'STRANGER', iin: IINS[0], issuer: pki.strangerRoot });
    const otherBin = await pki.leaf('other-bin', { commonName: 'OTHER BIN', iin: IINS[1], bin: OTHER_BIN });
    const cases: Array<[string, string, string]> = [
      [
        'kelisim',
        pki.opensslSign(Buffer.from('{"other":"bytes"}'), certs.kelisim),
        `cms: signature does not cover revision ${hash}`,
      ],
      [
        'kelisim',
        pki.opensslSign(canonical, expired),
        `cms: certificate expired at ${expired.cert.notAfter.toISOString()}`,
      ],
      ['kelisim', pki.opensslSign(canonical, noSigning), 'cms: key usage does not allow signing'],
      [
        'kelisim',
        pki.opensslSign(canonical, stranger, pki.strangerRoot.certPath),
        'cms: certificate chain does not reach a trust anchor',
      ],
      [
        'kelisim',
        pki.opensslSign(canonical, certs.zhangyru),
        `cms: certificate IIN ${IINS[2]} is not the signatory's IIN`,
      ],
      [
        'youth-office',
        pki.opensslSign(canonical, otherBin),
        `cms: certificate BIN ${OTHER_BIN} is not the party's BIN (${BIN})`,
      ],
      ['kelisim', Buffer.from('not a CMS at all').toString('base64'), 'cms: is not a DER CMS SignedData'],
    ];
    for (const [key, cms, message] of cases) {
      const before = await footprint(t, id);
      const res = await sign(key, cms);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 422, message });
      expect(res.body.errors[0].field).toBe('cms');
      expect(await footprint(t, id)).toEqual(before);
    }
    const missing = await t
      .http()
      .post(`/memoranda/${id}/signatures`)
      .set(person(tz, 'kelisim').auth)
      .send({ method: 'digital', revisionHash: hash });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({ field: 'cms', message: 'is required for method digital' });
  });

  it('accepts openssl-made CMS from every signatory (RSA and ECDSA) and executes the memorandum', async () => {
    for (const key of SIGNATORY_KEYS) {
      const cms = pki.opensslSign(canonical, certs[key]);
      const res = await sign(key, cms);
      expect(res.status).toBe(201);
      const der = Buffer.from(cms, 'base64');
      expect(res.body).toMatchObject({
        method: 'digital',
        revisionHash: hash,
        cmsSha256: createHash('sha256').update(der).digest('hex'),
        certificate: {
          fingerprint: createHash('sha256').update(Buffer.from(certs[key].cert.rawData)).digest('hex'),
          iin: IINS[SIGNATORY_KEYS.indexOf(key)],
          bin: key === 'youth-office' ? BIN : null,
        },
      });
    }
    const m = await getMemorandum(t, id, person(tz, 'kelisim'));
    expect(m.status).toBe('executed');
    const rows = await t.db.query(
      `SELECT s.certificate_fingerprint, s.cms_sha256, encode(sha256(s.cms), 'hex') AS stored, h.data
         FROM memorandum_signatures s
         JOIN history_events h ON h.memorandum_id = s.memorandum_id AND h.action = 'sign' AND h.data->>'signatureId' = s.id::text
        WHERE s.memorandum_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(SIGNATORY_KEYS.length);
    for (const r of rows) {
      expect(r.stored).toBe(r.cms_sha256);
      expect(r.data).toMatchObject({ certificateFingerprint: r.certificate_fingerprint, cmsSha256: r.cms_sha256 });
    }
    const [{ id: signatureId, cms_sha256: cmsSha256 }] = await t.db.query(
      `SELECT id, cms_sha256 FROM memorandum_signatures WHERE memorandum_id = $1 LIMIT 1`,
      [id],
    );
    const download = await t
      .http()
      .get(`/memoranda/${id}/signatures/${signatureId}/cms`)
      .set(person(tz, 'dulaty').auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pkcs7-signature');
    expect(createHash('sha256').update(download.body).digest('hex')).toBe(cmsSha256);
    // Anyone can verify it again with openssl alone: the CMS, the canonical bytes and the root.
    const p7s = join(pki.dir, 'downloaded.p7s');
    const content = join(pki.dir, 'downloaded.json');
    writeFileSync(p7s, download.body);
    writeFileSync(content, canonical);
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        p7s,
        '-content',
        content,
        '-CAfile',
        pki.anchorsPath,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toBeDefined();
    const verified = await t.http().get(`/memoranda/${id}/history/verify`).set(person(tz, 'kelisim').auth);
    expect(verified.status).toBe(200);
    expect(verified.body.valid).toBe(true);
  });

  it('makes memoranda that require digital signatures from a template that says so', async () => {
    const coordinator = person(tz, 'kelisim');
    const texts = { kk: { title: 'Цифрлық меморандум', purpose: 'Ынтымақтастық', body: 'Мәтін.' } };
    const bad = await t
      .http()
      .post('/templates')
      .set(coordinator.auth)
      .send({ name: 'Цифрлық', language: 'kk', texts, defaults: { signatureLevel: 'qualified' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'defaults.signatureLevel', message: 'must be one of: electronic, digital' },
    ]);
    const created = await t
      .http()
      .post('/templates')
      .set(coordinator.auth)
      .send({ name: 'Цифрлық', language: 'kk', texts, defaults: { signatureLevel: 'digital' } });
    expect(created.status).toBe(201);
    expect(created.body.defaults).toMatchObject({ signatureLevel: 'digital' });
    const made = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator.auth)
      .send({ templateId: created.body.id, values: {}, coordinatingOrganisationId: tz.kelisim.id });
    expect(made.status).toBe(201);
    expect((await getMemorandum(t, made.body.id, coordinator)).signatureLevel).toBe('digital');
  });
});
