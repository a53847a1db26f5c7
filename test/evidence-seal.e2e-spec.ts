/**
 * The evidence PDF sealed with the operator's PKCS#12 key (EVIDENCE_SEAL_P12): rendered and sealed
 * by the worker, verified through the API with the seal named. The key is made for this test only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import request from 'supertest';
import { TARAZ_TEMPLATE_ID } from '@kelisim/templates';
import { createTaraz, person, Taraz } from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

function throwawayP12(file: string, passphrase: string): void {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date('2021-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2031-01-01T00:00:00Z');
  // A UTF-8 name, as openssl writes one: the Kazakh letters must come back in the verdict.
  const name = [
    { name: 'commonName', value: 'Қоғамдық келісім test seal', valueTagClass: forge.asn1.Type.UTF8 },
  ] as unknown as forge.pki.CertificateField[];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: '3des' });
  writeFileSync(file, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
}

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('evidence PDF sealed with the operator key', () => {
  let t: TestApp;
  let tz: Taraz;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kelisim-p12-')), 'seal.p12');
    throwawayP12(file, 'test-seal-passphrase');
    t = await startTestApp({
      withWorker: true,
      env: { EVIDENCE_SEAL_P12: file, EVIDENCE_SEAL_PASSPHRASE: 'test-seal-passphrase' },
    });
    tz = await createTaraz(t);
  });
  afterAll(() => t?.close());

  it('seals a draft memorandum’s evidence with the operator key; the server trusts it and serves its certificate', async () => {
    const coordinator = person(tz, 'kelisim');
    const made = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator.auth)
      .send({
        templateId: TARAZ_TEMPLATE_ID,
        values: { signingDate: '2021-09-28', endDate: '2024-09-28' },
        coordinatingOrganisationId: tz.kelisim.id,
      });
    expect(made.status).toBe(201);
    const id = made.body.id;
    await waitFor(
      'the evidence PDF',
      async () => (await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth)).status !== 202,
      undefined,
      250,
    );
    const res = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator.auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const [{ sealed }] = await t.db.query('SELECT sealed FROM evidence_documents WHERE memorandum_id = $1', [id]);
    expect(sealed).toBe(true);
    const verdict = await t.http().post('/evidence/verify').set('Content-Type', 'application/pdf').send(res.body);
    expect(verdict.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(verdict.body.valid).toBe(true);
    const seal = verdict.body.checks.find((c: { name: string }) => c.name === 'seal');
    expect(seal.detail).toMatch(
      /^sealed by "Қоғамдық келісім test seal" \(certificate SHA-256 [0-9a-f]{64}, trusted\)/,
    );
    const certificate = await t.http().get('/evidence/seal-certificate').set('Accept', 'application/json');
    expect(certificate.body).toMatchObject({ source: 'operator', subject: 'Қоғамдық келісім test seal' });
    expect(verdict.body.seal).toMatchObject({ fingerprint: certificate.body.fingerprint, trusted: true });
    expect(verdict.body.checks.find((c: { name: string }) => c.name === 'revision_hash').detail).toMatch(
      /working draft/,
    );
  });
});
