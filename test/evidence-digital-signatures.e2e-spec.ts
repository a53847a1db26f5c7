/**
 * Digital signatures inside the evidence PDF (issue 23, docs/evidence.md): the 7-party Taraz
 * memorandum signed by its five signatory parties with CMS made by the openssl CLI (a PKI made by
 * this test, never committed keys); its evidence PDF embeds each CMS with the canonical bytes it
 * signs, and verifies VALID offline and online, naming each signer, IIN and BIN as the certificate
 * says. Each forgery of the signatures — a row dropped, fields changed in the JSON, a CMS swapped
 * for another signer's, the canonical bytes edited, a CMS from another memorandum — even when the
 * file is rebuilt and sealed again with the operator's own key, is refused offline
 * (`kelisim verify-evidence`) and online (`POST /evidence/verify`), as are the seal forgeries.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EvidenceData, EvidenceFile, EvidenceSeal } from '@kelisim/evidence';
import { ManualClock } from '@kelisim/platform';
import {
  editTextWithQpdf,
  overlayAnnotation,
  rebuildWith,
  resealRestated,
  stripSeal,
  throwawaySealKey,
} from './support/evidence-forgeries';
import {
  createTaraz,
  draftTarazMemorandum,
  person,
  SIGNATORY_KEYS,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { runCli } from './support/cli';
import { createAdmin } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { Issued, TestPki } from './support/test-pki';

const DAY = 86_400_000;
/** Valid IINs (control digit checked), one per signatory party, and a valid BIN. */
const IINS = ['850101300015', '900101400013', '770401456784', '960112300008', '880202300013'];
const BIN = '000740000728';
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

describe('evidence PDF: digital signatures embedded and checked offline', () => {
  let t: TestApp;
  let tz: Taraz;
  let pki: TestPki;
  let id: string;
  let pdf: Buffer;
  let canonical: Buffer;
  let fingerprint: string;
  const certs: Record<string, Issued> = {};
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-embed-e2e-'));

  beforeAll(async () => {
    pki = await TestPki.create();
    t = await startTestApp({
      withWorker: true,
      clock: new ManualClock(new Date()),
      env: { SIGNATURE_TRUST_ANCHORS: pki.anchorsPath },
    });
    tz = await createTaraz(t);
    const admin = await createAdmin(t);
    for (const [i, key] of SIGNATORY_KEYS.entries()) {
      const res = await t
        .http()
        .patch(`/users/${person(tz, key).id}`)
        .set(admin.auth)
        .send({ iin: IINS[i] });
      expect(res.status).toBe(200);
    }
    expect(
      (await t.http().patch(`/organisations/${tz['youth-office'].id}`).set(admin.auth).send({ bin: BIN })).status,
    ).toBe(200);
    for (const [i, key] of SIGNATORY_KEYS.entries())
      certs[key] = await pki.leaf(key, {
        // As NCA RK writes it: SURNAME NAME, upper case.
        commonName: person(tz, key).fullName.toUpperCase(),
        iin: IINS[i],
        ...(key === 'youth-office' ? { bin: BIN } : {}),
        kind: i % 2 ? 'rsa' : 'ecdsa',
      });
    id = await draftTarazMemorandum(t, tz, {
      effectiveDate: isoDate(Date.now() + 30 * DAY),
      endDate: isoDate(Date.now() + 3 * 365 * DAY),
    });
    const hash = await submitAndApprove(t, tz, id);
    const coordinator = person(tz, 'kelisim');
    const opened = await t
      .http()
      .post(`/memoranda/${id}/open-signing`)
      .set(coordinator.auth)
      .send({ mode: 'parallel' });
    expect(opened.status).toBe(200);
    const res = await t.http().get(`/memoranda/${id}/revisions/1/canonical`).set(coordinator.auth);
    canonical = Buffer.from(res.text, 'utf8');
    for (const key of SIGNATORY_KEYS) {
      const signed = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(person(tz, key).auth)
        .send({ method: 'digital', revisionHash: hash, cms: pki.opensslSign(canonical, certs[key]) });
      expect({ key, status: signed.status }).toEqual({ key, status: 201 });
    }
    let status = 202;
    for (let i = 0; i < 160 && status === 202; i++) {
      status = (await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth)).status;
      if (status === 202) await new Promise((r) => setTimeout(r, 250));
    }
    const got = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth).buffer(true).parse(binary);
    expect(got.status).toBe(200);
    pdf = got.body as Buffer;
    writeFileSync(join(dir, 'genuine.pdf'), pdf);
    fingerprint = (await t.app.get(EvidenceSeal).key()).fingerprint;
  });

  afterAll(async () => {
    await t?.close();
    pki?.dispose();
  });

  const verifyOnline = (body: Buffer) =>
    t.http().post('/evidence/verify').set('Content-Type', 'application/pdf').send(body);
  const verifyOffline = (body: Buffer, ...args: string[]) => {
    const file = join(dir, `${createHash('sha256').update(body).digest('hex').slice(0, 16)}.pdf`);
    writeFileSync(file, body);
    return runCli(['verify-evidence', file, ...args]);
  };

  it('verifies the genuine file VALID, naming each signer, IIN and BIN from the certificates', async () => {
    const online = await verifyOnline(pdf);
    expect(online.body.checks.filter((c: Check) => !c.ok)).toEqual([]);
    expect(online.body).toMatchObject({ valid: true, status: 'valid' });
    expect(online.body.signatures).toHaveLength(SIGNATORY_KEYS.length);
    for (const [i, key] of SIGNATORY_KEYS.entries())
      expect(online.body.signatures).toContainEqual(
        expect.objectContaining({
          ok: true,
          signer: person(tz, key).fullName.toUpperCase(),
          iin: IINS[i],
          bin: key === 'youth-office' ? BIN : null,
          organisationId: tz[key].id,
          fingerprint: createHash('sha256').update(Buffer.from(certs[key].cert.rawData)).digest('hex'),
          chain: 'trusted',
          problems: [],
        }),
      );
    const check = online.body.checks.find((c: Check) => c.name === 'digital_signatures');
    expect(check.detail).toMatch(/^5 sign exactly the canonical bytes revision-1-canonical\.json/);
    expect(check.detail).toContain('each certificate chains to an anchor given');

    const anchored = verifyOffline(pdf, '--trust', fingerprint, '--anchors', pki.anchorsPath);
    expect(anchored.status).toBe(0);
    expect(anchored.stdout).toContain('VALID: memorandum');
    for (const [i, key] of SIGNATORY_KEYS.entries())
      expect(anchored.stdout).toMatch(
        new RegExp(
          `ok   signature signature-\\d\\.p7s: "${person(tz, key).fullName.toUpperCase()}", IIN ${IINS[i]}, BIN ${key === 'youth-office' ? BIN : '—'}`,
        ),
      );
    expect(anchored.stdout).toMatch(new RegExp(`IIN ${IINS[1]}, BIN ${BIN}, for [^;]+; certificate SHA-256`));
    expect(anchored.stdout).toContain('chains to an anchor given');
    // No anchors: still VALID (the seal vouches for what the server checked), but it says so plainly.
    const unanchored = verifyOffline(pdf, '--trust', fingerprint);
    expect(unanchored.status).toBe(0);
    expect(unanchored.stdout).toContain("the signers' certificate chains were NOT checked against any anchor");
    expect(unanchored.stdout).toContain('chain NOT checked against any anchor (give --anchors)');
    // Another CA's anchors: the signers' chains do not reach them.
    const stranger = join(dir, 'stranger.pem');
    writeFileSync(stranger, pki.strangerRoot.pem);
    const foreign = verifyOffline(pdf, '--trust', fingerprint, '--anchors', stranger);
    expect(foreign.status).toBe(1);
    expect(foreign.stdout).toContain('FAIL digital_signatures');
    expect(foreign.stdout).toContain('does not chain to any of the anchors given');
  });

  it('embeds files that any PDF tool extracts and openssl verifies; the pages show the certificates', () => {
    const out = join(dir, 'extracted');
    execFileSync('mkdir', ['-p', out]);
    const list = execFileSync('pdfdetach', ['-list', join(dir, 'genuine.pdf')]).toString();
    for (const name of ['kelisim-evidence.json', 'revision-1-canonical.json', 'signature-1.p7s', 'signature-5.p7s'])
      expect(list).toContain(name);
    execFileSync('pdfdetach', ['-saveall', '-o', out, join(dir, 'genuine.pdf')]);
    expect(readFileSync(join(out, 'revision-1-canonical.json')).equals(canonical)).toBe(true);
    for (let n = 1; n <= 5; n++)
      execFileSync('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(out, `signature-${n}.p7s`),
        '-content',
        join(out, 'revision-1-canonical.json'),
        '-CAfile',
        pki.anchorsPath,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'genuine.pdf'), '-']).toString();
    expect(text).toContain(`certificate: ${person(tz, 'youth-office').fullName.toUpperCase()}, IIN ${IINS[1]}`);
    expect(text).toContain("server's user list when this file was made");
  });

  it('refuses each forgery of the signatures and of the seal, offline and online', async () => {
    const seal = await t.app.get(EvidenceSeal).key();
    // An insider with the operator's own key: only the embedded signatures and the history can tell.
    const insider = { ...seal, fingerprint: seal.fingerprint };
    const at = new Date();
    const other = pki.opensslSign(
      Buffer.from(canonical.toString('utf8').replace(id, '00000000-0000-4000-8000-000000000000')),
      certs.kelisim,
    );
    const digitalRows = (d: EvidenceData) => d.signatures.filter((s) => s.digital);
    const file = (files: EvidenceFile[], name: string) => files.find((f) => f.name === name)!;
    const attacker = await throwawaySealKey('Қоғамдық келісім');
    const forgeries: Record<string, { pdf: Buffer; check: string }> = {
      'a digital signature row dropped': {
        pdf: await rebuildWith(pdf, insider, at, (d) => {
          d.signatures = d.signatures.filter((s) => s !== digitalRows(d)[2]);
        }),
        check: 'signatures',
      },
      "the signer's name changed in the JSON": {
        pdf: await rebuildWith(pdf, insider, at, (d) => {
          digitalRows(d)[0].signerName = 'Someone Else';
        }),
        check: 'signatures',
      },
      "the certificate's IIN changed in the JSON": {
        pdf: await rebuildWith(pdf, insider, at, (d) => {
          // Another signatory's IIN (the rows come in the order they were signed).
          const certificate = digitalRows(d)[0].digital!.certificate;
          certificate.iin = IINS.find((iin) => iin !== certificate.iin)!;
        }),
        check: 'digital_signatures',
      },
      "the embedded CMS swapped for another signer's": {
        pdf: await rebuildWith(pdf, insider, at, (_d, files) => {
          const [a, b] = [file(files, 'signature-1.p7s'), file(files, 'signature-2.p7s')];
          [a.bytes, b.bytes] = [b.bytes, a.bytes];
        }),
        check: 'digital_signatures',
      },
      'the canonical bytes edited': {
        pdf: await rebuildWith(pdf, insider, at, (_d, files) => {
          const f = file(files, 'revision-1-canonical.json');
          f.bytes = Buffer.from(f.bytes.toString('utf8').replace('"title":"', '"title":"X'));
        }),
        check: 'digital_signatures',
      },
      'a CMS from another memorandum': {
        pdf: await rebuildWith(pdf, insider, at, (_d, files) => {
          file(files, 'signature-1.p7s').bytes = Buffer.from(other, 'base64');
        }),
        check: 'digital_signatures',
      },
      'a CMS from another memorandum, its hash restated in the JSON': {
        pdf: await rebuildWith(pdf, attacker, at, (d, files) => {
          const bytes = Buffer.from(other, 'base64');
          file(files, 'signature-1.p7s').bytes = bytes;
          digitalRows(d)[0].digital!.cmsSha256 = createHash('sha256').update(bytes).digest('hex');
        }),
        check: 'digital_signatures',
      },
      // qpdf rewrites the whole file: the seal no longer covers it.
      'text edited with qpdf, digest recomputed': { pdf: editTextWithQpdf(pdf), check: 'seal' },
      'seal stripped': { pdf: stripSeal(pdf), check: 'seal' },
      "sealed again with another key bearing the operator's name": {
        pdf: await resealRestated(pdf, attacker, at),
        check: 'seal',
      },
      'overlay annotation after the seal': { pdf: overlayAnnotation(pdf), check: 'later_updates' },
    };
    const refused: string[] = [];
    for (const [what, { pdf: forged, check }] of Object.entries(forgeries)) {
      const online = await verifyOnline(forged);
      const offline = verifyOffline(forged, '--trust', fingerprint, '--anchors', pki.anchorsPath);
      // Without --trust a forgery never gets as far as "intact": the failing check names it.
      const alone = check === 'seal' ? null : verifyOffline(forged);
      expect({ what, online: online.body.status, offline: offline.status, alone: alone?.status }).toEqual({
        what,
        online: 'invalid',
        offline: 1,
        alone: check === 'seal' ? undefined : 1,
      });
      expect({ what, failed: online.body.checks.filter((c: Check) => !c.ok).map((c: Check) => c.name) }).toEqual({
        what,
        failed: expect.arrayContaining([check]),
      });
      expect(offline.stdout).toContain(`FAIL ${check}`);
      refused.push(what);
    }
    expect(refused).toHaveLength(Object.keys(forgeries).length);
    // Three verifications of eleven files, two of them a new process each: minutes on a loaded machine.
  }, 900_000);
});
