/**
 * The evidence seal against an attacker (issue 23): every evidence PDF is sealed by default with
 * the installation's own key, made once on first start; the certificate is public; each forgery
 * of a genuine 7-party evidence PDF (text edited with qpdf and the digest recomputed, the seal
 * stripped, sealed again with another key bearing the operator's name, an overlay after the seal,
 * the file cut short) is refused offline (`kelisim verify-evidence --trust`) and online
 * (`POST /evidence/verify`, which trusts the server's own seal); a memorandum whose text holds
 * `%%EOF` and the digest marker verifies, and so does a party's countersignature, reported by name.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import request from 'supertest';
import { EvidenceSeal, EvidenceSealKey } from '@kelisim/evidence';
import { Environment, SecretBox } from '@kelisim/platform';
import {
  countersign,
  editTextWithQpdf,
  overlayAnnotation,
  overlayContent,
  resealRestated,
  stripSeal,
  throwawaySealKey,
} from './support/evidence-forgeries';
import {
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { runCli } from './support/cli';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const MARKERS =
  '\n\n%%EOF\nstartxref\n0\n%%EOF\n\n(KELISIM-SHA256:' +
  'a'.repeat(64) +
  ') /F (kelisim-evidence.json) /ByteRange [0 1 2 3]';

describe('hostile input: the evidence seal', () => {
  let t: TestApp;
  let tz: Taraz;
  let pdf: Buffer;
  let fingerprint: string;
  let pem: string;
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-seal-e2e-'));

  beforeAll(async () => {
    t = await startTestApp({ withWorker: true, env: { EVIDENCE_SEAL_NAME: 'Қоғамдық келісім' } });
    tz = await createTaraz(t);
    const id = await draftTarazMemorandum(t, tz);
    const coordinator = person(tz, 'kelisim');
    const current = await t.http().get(`/memoranda/${id}`).set(coordinator.auth);
    const patched = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .send({ version: current.body.version, body: `${current.body.body}${MARKERS}` });
    expect(patched.status).toBe(200);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    await waitFor(
      'the evidence PDF',
      async () => (await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth)).status !== 202,
      undefined,
      250,
    );
    const res = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    pdf = res.body as Buffer;
    writeFileSync(join(dir, 'genuine.pdf'), pdf);
  });
  afterAll(() => t?.close());

  const verifyOnline = (body: Buffer) =>
    t.http().post('/evidence/verify').set('Content-Type', 'application/pdf').send(body);
  const verifyOffline = (body: Buffer, ...args: string[]) => {
    const file = join(dir, `${createHash('sha256').update(body).digest('hex').slice(0, 16)}.pdf`);
    writeFileSync(file, body);
    return runCli(['verify-evidence', file, ...args]);
  };

  it('serves the seal certificate without sign-in, as PEM and as its fingerprint; made once', async () => {
    const asPem = await t.http().get('/evidence/seal-certificate');
    expect(asPem.status).toBe(200);
    expect(asPem.headers['content-type']).toMatch(/^application\/x-pem-file/);
    pem = asPem.text;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64');
    fingerprint = createHash('sha256').update(der).digest('hex');
    const asJson = await t.http().get('/evidence/seal-certificate').set('Accept', 'application/json');
    expect(asJson.body).toMatchObject({ fingerprint, subject: 'Қоғамдық келісім', source: 'installation', pem });
    writeFileSync(join(dir, 'seal.pem'), pem);
    // openssl reads the name as it was meant (UTF-8 once, not twice).
    expect(
      execFileSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'utf8'], { input: pem }).toString(),
    ).toContain('Қоғамдық келісім');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM evidence_seal_keys');
    expect(n).toBe(1);
  });

  it('makes exactly one seal when several processes start at once', async () => {
    const [kept] = await t.db.query('SELECT * FROM evidence_seal_keys');
    await t.db.query('DELETE FROM evidence_seal_keys');
    try {
      const config = t.app.get(ConfigService) as ConfigService<Environment, true>;
      const box = t.app.get(SecretBox);
      const seals = Array.from({ length: 6 }, () => new EvidenceSeal(t.db, config, box));
      const made = await Promise.all(seals.map((s) => s.certificate()));
      expect(new Set(made.map((m) => m.fingerprint)).size).toBe(1);
      expect(await t.db.getRepository(EvidenceSealKey).count()).toBe(1);
    } finally {
      // The application's seal goes back: the files below were sealed with it.
      await t.db.query('DELETE FROM evidence_seal_keys');
      await t.db.query(
        'INSERT INTO evidence_seal_keys (id, subject, certificate, fingerprint, private_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [kept.id, kept.subject, kept.certificate, kept.fingerprint, kept.private_key, kept.created_at],
      );
    }
  });

  it('verifies the genuine file (its text holds %%EOF and the markers): online, and offline with --trust', async () => {
    const online = await verifyOnline(pdf);
    expect(online.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(online.body).toMatchObject({ valid: true, status: 'valid', seal: { fingerprint, trusted: true } });
    expect(online.body.seal.signer).toBe('Қоғамдық келісім');
    const byFingerprint = verifyOffline(pdf, '--trust', fingerprint);
    expect(byFingerprint.stdout).toContain('VALID: memorandum');
    expect(byFingerprint.status).toBe(0);
    expect(verifyOffline(pdf, '--trust', join(dir, 'seal.pem')).status).toBe(0);
    const alone = verifyOffline(pdf);
    expect(alone.stdout).toContain(`INTACT, ORIGIN NOT PROVEN`);
    expect(alone.stdout).toContain(fingerprint);
    expect(alone.status).toBe(3);
    const out = execFileSync('pdfsig', [join(dir, 'genuine.pdf')]).toString();
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
  });

  it('refuses each forgery, offline and online', async () => {
    const attacker = await throwawaySealKey('Қоғамдық келісім');
    const at = new Date('2021-09-28T06:00:00Z');
    const forgeries: Record<string, Buffer> = {
      'text edited with qpdf, digest recomputed': editTextWithQpdf(pdf),
      'seal stripped': stripSeal(pdf),
      "sealed again with another key bearing the operator's name": await resealRestated(pdf, attacker, at),
      'overlay annotation after the seal': overlayAnnotation(pdf),
      'overlay content after the seal': overlayContent(pdf),
      'cut short': pdf.subarray(0, pdf.length - 1000),
    };
    const refused: string[] = [];
    for (const [what, forged] of Object.entries(forgeries)) {
      const online = await verifyOnline(forged);
      const offline = verifyOffline(forged, '--trust', fingerprint);
      expect({ what, online: online.body.status, offline: offline.status }).toEqual({
        what,
        online: 'invalid',
        offline: 1,
      });
      expect(online.body.valid).toBe(false);
      expect(offline.stdout).toContain('NOT VALID');
      refused.push(what);
    }
    expect(refused).toHaveLength(6);
  });

  it("verifies a party's countersignature after the seal and names the signer", async () => {
    const party = await throwawaySealKey('Жас Отан — Айгерим Серикова');
    const signed = await countersign(pdf, party, new Date('2021-09-29T06:00:00Z'));
    const online = await verifyOnline(signed);
    expect(online.body).toMatchObject({ valid: true, status: 'valid' });
    expect(online.body.updates).toEqual([
      {
        kind: 'signature',
        signer: 'Жас Отан — Айгерим Серикова',
        fingerprint: party.fingerprint,
        signedAt: '2021-09-29T06:00:00.000Z',
      },
    ]);
    const offline = verifyOffline(signed, '--trust', fingerprint);
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain('signed by "Жас Отан — Айгерим Серикова"');
  });
});
