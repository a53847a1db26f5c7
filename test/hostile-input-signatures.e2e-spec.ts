/**
 * Hostile input for digital signatures (docs/signatures.md): malformed and crafted CMS, CMS replayed
 * by someone else or onto another memorandum, a chain through a non-CA, bad IINs and levels. Each
 * must be a 4xx naming the field and write nothing; never a 500.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
const IINS = ['850101300015', '900101400013', '770401456784', '960112300008', '880202300013'];
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('hostile input: digital signatures', () => {
  let t: TestApp;
  let tz: Taraz;
  let pki: TestPki;
  let admin: TestUser;
  const memo = {} as Record<'a' | 'b', { id: string; hash: string; canonical: Buffer }>;
  const certs: Record<string, Issued> = {};

  async function prepare(title: string) {
    const id = await draftTarazMemorandum(t, tz, {
      title,
      effectiveDate: isoDate(Date.now() + 30 * DAY),
      endDate: isoDate(Date.now() + 3 * 365 * DAY),
    });
    const hash = await submitAndApprove(t, tz, id);
    await t.http().post(`/memoranda/${id}/open-signing`).set(person(tz, 'kelisim').auth).send({ mode: 'parallel' });
    const res = await t.http().get(`/memoranda/${id}/revisions/1/canonical`).set(person(tz, 'kelisim').auth);
    return { id, hash, canonical: Buffer.from(res.text, 'utf8') };
  }

  /** openssl with extra arguments (two signers, an attached content). */
  function openssl(content: Buffer, args: string[]): string {
    const input = join(pki.dir, `hostile-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(input, content);
    return execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-md',
      'sha256',
      ...args,
      '-in',
      input,
    ]).toString('base64');
  }

  /** Sends, expects `status` with `field` named, and checks both memoranda are unchanged. */
  async function refused(key: string, body: Record<string, unknown>, status: number, field: string, on = memo.a) {
    const before = [await footprint(t, memo.a.id), await footprint(t, memo.b.id)];
    const res = await t.http().post(`/memoranda/${on.id}/signatures`).set(person(tz, key).auth).send(body);
    expect({ status: res.status, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) }).toEqual({
      status,
      fields: expect.arrayContaining([field]),
    });
    expect([await footprint(t, memo.a.id), await footprint(t, memo.b.id)]).toEqual(before);
    return res.body;
  }

  beforeAll(async () => {
    pki = await TestPki.create();
    t = await startTestApp({ clock: new ManualClock(new Date()), env: { SIGNATURE_TRUST_ANCHORS: pki.anchorsPath } });
    tz = await createTaraz(t);
    admin = await createAdmin(t);
    for (const [i, key] of SIGNATORY_KEYS.entries()) {
      await t
        .http()
        .patch(`/users/${person(tz, key).id}`)
        .set(admin.auth)
        .send({ iin: IINS[i] })
        .expect(200);
      certs[key] = await pki.leaf(`h-${key}`, { commonName: person(tz, key).fullName, iin: IINS[i] });
    }
    memo.a = await prepare('Hostile A');
    memo.b = await prepare('Hostile B');
  });

  afterAll(async () => {
    await t?.close();
    pki?.dispose();
  });

  it('refuses IINs that are not 12 digits with a valid control digit, and unknown signature levels', async () => {
    const user = person(tz, 'kelisim').id;
    for (const iin of ['850101300017', '８５０１０１３０００１５', '85010130001', ' 850101300015', 850101300015]) {
      const res = await t.http().patch(`/users/${user}`).set(admin.auth).send({ iin });
      expect({ status: res.status, field: res.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'iin' });
    }
    const m = await getMemorandum(t, memo.a.id, person(tz, 'kelisim'));
    const res = await t
      .http()
      .patch(`/memoranda/${memo.a.id}`)
      .set(person(tz, 'kelisim').auth)
      .send({ signatureLevel: 'DIGITAL', version: m.version });
    expect({ status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
      status: 400,
      field: 'signatureLevel',
    });
  });

  it('refuses malformed CMS: trailing bytes, deep nesting, attached content, two signers', async () => {
    const good = Buffer.from(pki.opensslSign(memo.a.canonical, certs.kelisim), 'base64');
    const base = { method: 'digital', revisionHash: memo.a.hash };
    const trailing = Buffer.concat([good, Buffer.from([0, 0])]).toString('base64');
    expect((await refused('kelisim', { ...base, cms: trailing }, 422, 'cms')).message).toBe(
      'cms: is not a DER CMS SignedData',
    );
    // 10,000 nested constructed SEQUENCEs (indefinite length): a parser must not blow its stack into a 500.
    const deep = Buffer.concat([Buffer.alloc(20_000, 0).map((_, i) => (i % 2 ? 0x80 : 0x30))]).toString('base64');
    expect((await refused('kelisim', { ...base, cms: deep }, 422, 'cms')).message).toBe(
      'cms: is not a DER CMS SignedData',
    );
    const attached = openssl(memo.a.canonical, [
      '-nodetach',
      '-signer',
      certs.kelisim.certPath,
      '-inkey',
      certs.kelisim.keyPath,
      '-certfile',
      pki.chainPath,
    ]);
    expect((await refused('kelisim', { ...base, cms: attached }, 422, 'cms')).message).toBe(
      'cms: must be detached: the signed bytes are the canonical revision',
    );
    const two = openssl(memo.a.canonical, [
      '-signer',
      certs.kelisim.certPath,
      '-inkey',
      certs.kelisim.keyPath,
      '-signer',
      certs.zhangyru.certPath,
      '-inkey',
      certs.zhangyru.keyPath,
      '-certfile',
      pki.chainPath,
    ]);
    expect((await refused('kelisim', { ...base, cms: two }, 422, 'cms')).message).toBe(
      'cms: must have exactly one signer, has 2',
    );
  });

  it('refuses a chain through a certificate that is not a CA', async () => {
    const impostor = await pki.leaf('impostor', { commonName: 'IMPOSTOR', iin: IINS[0], issuer: certs.zhangyru });
    const chain = join(pki.dir, 'impostor-chain.pem');
    writeFileSync(chain, `${certs.zhangyru.pem}\n${pki.intermediate.pem}\n`);
    const cms = pki.opensslSign(memo.a.canonical, impostor, chain);
    const body = await refused('kelisim', { method: 'digital', revisionHash: memo.a.hash, cms }, 422, 'cms');
    expect(body.message).toMatch(/^cms: certificate chain does not reach a trust anchor/);
  });

  it("refuses another signatory's CMS replayed by someone else, and a CMS over another memorandum", async () => {
    const theirs = pki.opensslSign(memo.a.canonical, certs.zhangyru);
    const body = await refused('kelisim', { method: 'digital', revisionHash: memo.a.hash, cms: theirs }, 422, 'cms');
    expect(body.message).toBe(`cms: certificate IIN ${IINS[2]} is not the signatory's IIN`);
    // Signed over memorandum B's revision, posted to A with B's hash: A's revision is not B's.
    const overB = pki.opensslSign(memo.b.canonical, certs.kelisim);
    const res = await t
      .http()
      .post(`/memoranda/${memo.a.id}/signatures`)
      .set(person(tz, 'kelisim').auth)
      .send({ method: 'digital', revisionHash: memo.b.hash, cms: overB });
    expect([409, 422]).toContain(res.status);
    // Posted to A with A's hash: the bytes signed are not A's.
    const wrong = await refused('kelisim', { method: 'digital', revisionHash: memo.a.hash, cms: overB }, 422, 'cms');
    expect(wrong.message).toBe(`cms: signature does not cover revision ${memo.a.hash}`);
  });

  it('refuses typed-name fields on a digital signature and a CMS on an electronic one', async () => {
    const cms = pki.opensslSign(memo.a.canonical, certs.kelisim);
    await refused(
      'kelisim',
      { method: 'digital', revisionHash: memo.a.hash, cms, typedName: 'x', consent: true },
      400,
      'typedName',
    );
    await refused(
      'kelisim',
      { method: 'electronic', revisionHash: memo.a.hash, typedName: 'x', consent: true, cms },
      400,
      'cms',
    );
  });
});
