/**
 * Bilingual texts, templates and the evidence PDF end to end: the Taraz template (Russian and
 * Kazakh, equally authentic) drafted through the API, approved and signed at a ceremony; its
 * evidence PDF rendered by the worker, read back with pdftotext, and verified through the API and
 * the command line — and refused once a byte of it is changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TARAZ_TEMPLATE_ID } from '@kelisim/templates';
import { TARAZ_MEMORANDUM, TARAZ_MEMORANDUM_KK } from '../apps/cli/src/demo/taraz-memorandum';
import { createTaraz, moveClock, person, SIGNATORY_KEYS, submitAndApprove, Taraz } from './memoranda.fixture';
import { runCli } from './support/cli';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const VALUES = { place: 'Тараз', signingDate: '2021-09-28', endDate: '2024-09-28' };
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('texts in two languages, templates, evidence PDF', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let hash: string;
  let pdf: Buffer;

  beforeAll(async () => {
    t = await startTestApp({ withWorker: true });
    tz = await createTaraz(t);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');

  it('refuses values for unknown placeholders and missing ones, naming each (422)', async () => {
    const res = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator().auth)
      .send({
        templateId: TARAZ_TEMPLATE_ID,
        values: { mayor: 'X', endDate: '2024-09-28' },
        coordinatingOrganisationId: tz.kelisim.id,
      });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'values.mayor', message: 'is not a placeholder of this template' },
      { field: 'values.signingDate', message: 'is missing (a date placeholder of this template)' },
    ]);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM memoranda');
    expect(n).toBe(0);
  });

  it('drafts the Taraz memorandum from its shipped template, in Russian and Kazakh', async () => {
    const res = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator().auth)
      .send({ templateId: TARAZ_TEMPLATE_ID, values: VALUES, coordinatingOrganisationId: tz.kelisim.id });
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      title: TARAZ_MEMORANDUM.title,
      language: 'ru',
      effectiveDate: '2021-09-28',
      endDate: '2024-09-28',
      templateId: TARAZ_TEMPLATE_ID,
      templateVersion: 2,
      translations: { equallyAuthentic: true, texts: { kk: { title: TARAZ_MEMORANDUM_KK.title } } },
    });
    // The memorandum itself, in both languages, with the place and the date filled in.
    expect(res.body.body).toMatch(/^г\. Тараз +2021-09-28$/m);
    expect(res.body.body).toContain('3.3. Совместные исследования.');
    expect(res.body.body).not.toContain('{{');
    const kkBody = res.body.translations.texts.kk.body;
    expect(kkBody).toMatch(/^Тараз қ\. +2021-09-28$/m);
    expect(kkBody).toContain('3.3. Бірлескен зерттеулер.');
    expect(kkBody).not.toContain('{{');
    const [instance] = await t.db.query('SELECT * FROM template_instances WHERE memorandum_id = $1', [id]);
    expect(instance).toMatchObject({ template_id: TARAZ_TEMPLATE_ID, template_version: 2, values: VALUES });
    expect(instance.commitment_blueprints).toContainEqual({
      key: 'joint_event',
      title: 'Совместные мероприятия по укреплению единства и согласия (Тараз)',
      rrule: 'FREQ=MONTHLY;INTERVAL=3',
    });
    for (const [i, key] of [...SIGNATORY_KEYS, 'dulaty'].entries()) {
      const role = i < SIGNATORY_KEYS.length ? 'signatory' : 'witness';
      const added = await t
        .http()
        .post(`/memoranda/${id}/parties`)
        .set(coordinator().auth)
        .send({ organisationId: tz[key].id, role });
      expect(added.status).toBe(201);
    }
  });

  it('hashes both texts into the revision; approvals and signatures name that hash', async () => {
    hash = await submitAndApprove(t, tz, id);
    const revision = await t.http().get(`/memoranda/${id}/revisions/1`).set(coordinator().auth);
    expect(revision.body.hash).toBe(hash);
    expect(revision.body.translations.texts.kk.purpose).toBe(TARAZ_MEMORANDUM_KK.purpose);
    const opened = await t
      .http()
      .post(`/memoranda/${id}/open-signing`)
      .set(coordinator().auth)
      .send({ mode: 'parallel', ceremony: TARAZ_MEMORANDUM.ceremony });
    expect(opened.status).toBe(200);
    await moveClock(t, tz, '2021-09-28T11:40:00+06:00');
    for (const key of SIGNATORY_KEYS) {
      const res = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(coordinator().auth)
        .send({
          method: 'in_person',
          revisionHash: hash,
          organisationId: tz[key].id,
          signerName: person(tz, key).fullName,
          signedAt: '2021-09-28T11:30:00+06:00',
          place: TARAZ_MEMORANDUM.ceremony.place,
          evidence: { reference: `archive/2021/${key}.jpg`, sha256: createHash('sha256').update(key).digest('hex') },
        });
      expect(res.status).toBe(201);
    }
  });

  it('renders the evidence PDF in the worker (202 first), then serves it for the history head', async () => {
    const first = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator().auth);
    expect(first.status).toBe(202);
    expect(first.headers['retry-after']).toBe('2');
    await waitFor(
      'the evidence PDF',
      async () => (await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator().auth)).status !== 202,
      undefined,
      250,
    );
    const res = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator().auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    pdf = res.body as Buffer;
    const [{ last_hash }] = await t.db.query('SELECT last_hash FROM history_heads WHERE memorandum_id = $1', [id]);
    expect(res.headers['x-evidence-head']).toBe(last_hash);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
    const words = text.replace(/\s+/g, ' ');
    for (const s of [
      'Қоғамдық келісім',
      'Өңір жастары',
      'Жас Ұлан',
      'Тәуелсіздігінің',
      TARAZ_MEMORANDUM.title,
      'Айжан Алебаева',
    ])
      expect(words).toContain(s);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(hash);
    expect(flat).toContain(last_hash);
  });

  it('hides the evidence of a memorandum from an organisation that is not in it (404)', async () => {
    const res = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(person(tz, 'assembly').auth);
    expect(res.status).toBe(404);
  });

  it('verifies the file through the API without sign-in; a changed byte or a foreign file is not valid', async () => {
    const post = (body: Buffer, type = 'application/pdf') =>
      t.http().post('/evidence/verify').set('Content-Type', type).send(body);
    const good = await post(pdf);
    expect(good.status).toBe(200);
    expect(good.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(good.body).toMatchObject({ valid: true, memorandumId: id, revisionHash: hash });

    const json = Buffer.from(pdf);
    const at = json.indexOf('"title": "Меморандум', 0, 'utf8') + '"title": "'.length;
    json[at + 1] ^= 0x01; // М (D0 9C) becomes Н (D0 9D)
    const edited = await post(json);
    expect(edited.body.valid).toBe(false);
    const failed = edited.body.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name);
    expect(failed).toEqual(expect.arrayContaining(['file_integrity']));

    const other = await post(Buffer.from('%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n'));
    expect(other.status).toBe(200);
    expect(other.body.valid).toBe(false);
    expect(other.body.checks.find((c: { name: string }) => c.name === 'evidence_attachment').detail).toMatch(
      /not a Kelisim evidence PDF/,
    );
    expect((await post(Buffer.from('just text'))).body.valid).toBe(false);

    const huge = await post(Buffer.alloc(21 * 1024 * 1024, 0x20));
    expect(huge.status).toBe(413);
    expect((await post(pdf, 'text/plain')).status).toBe(415);
  });

  it('verifies offline with `kelisim verify-evidence --trust` (exit 0), and names what broke (exit 1)', async () => {
    const { fingerprint } = (await t.http().get('/evidence/seal-certificate').set('Accept', 'application/json')).body;
    const dir = mkdtempSync(join(tmpdir(), 'kelisim-evidence-'));
    const file = join(dir, 'evidence.pdf');
    writeFileSync(file, pdf);
    const ok = runCli(['verify-evidence', file, '--trust', fingerprint]);
    expect(ok.stdout).toContain(`VALID: memorandum ${id}, revision ${hash}`);
    expect(ok.status).toBe(0);
    const changed = Buffer.from(pdf);
    const text = changed.indexOf('BT', changed.indexOf('stream', 0, 'latin1'), 'latin1');
    const digit = changed.indexOf('<', text, 'latin1') + 1;
    changed[digit] = changed[digit] === 0x30 ? 0x31 : 0x30;
    writeFileSync(file, changed);
    const bad = runCli(['verify-evidence', file, '--trust', fingerprint]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL file_integrity: the file was changed after it was made/);
    expect(bad.stdout).toContain('NOT VALID: file_integrity');
  });

  it('keeps templates versioned, per organisation, with undeclared placeholders refused', async () => {
    const texts = {
      kk: { title: '{{city}} меморандумы', purpose: 'Ынтымақтастық', body: '{{city}} қаласында {{count}} іс-шара.' },
    };
    const undeclared = await t
      .http()
      .post('/templates')
      .set(coordinator().auth)
      .send({ name: 'Үлгі', language: 'kk', texts, placeholders: [{ name: 'city', kind: 'place' }] });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.errors).toEqual([{ field: 'placeholders', message: '{{count}} is used but not declared' }]);
    const placeholders = [
      { name: 'city', kind: 'place' },
      { name: 'count', kind: 'number' },
    ];
    const created = await t
      .http()
      .post('/templates')
      .set(coordinator().auth)
      .send({
        name: 'Үлгі',
        language: 'kk',
        texts,
        placeholders,
        commitmentBlueprints: [{ key: 'report', title: 'Жылдық есеп', rrule: 'FREQ=YEARLY' }],
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, organisationId: tz.kelisim.id, shared: false, languages: ['kk'] });
    const tid = created.body.id;
    const patched = await t.http().patch(`/templates/${tid}`).set(coordinator().auth).send({ name: 'Үлгі 2' });
    expect(patched.body).toMatchObject({ version: 2, currentVersion: 2, name: 'Үлгі 2' });
    expect((await t.http().get(`/templates/${tid}?version=1`).set(coordinator().auth)).body.name).toBe('Үлгі');
    expect((await t.http().get(`/templates/${tid}`).set(person(tz, 'jas-otan').auth)).status).toBe(404);
    const list = await t.http().get('/templates').set(person(tz, 'jas-otan').auth);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([TARAZ_TEMPLATE_ID]);
    const made = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator().auth)
      .send({ templateId: tid, values: { city: 'Тараз', count: 4 }, coordinatingOrganisationId: tz.kelisim.id });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      title: 'Тараз меморандумы',
      body: 'Тараз қаласында 4 іс-шара.',
      templateVersion: 2,
    });
  });

  it('diffs each language on its own', async () => {
    const m = await t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator().auth)
      .send({ templateId: TARAZ_TEMPLATE_ID, values: VALUES, coordinatingOrganisationId: tz.kelisim.id });
    const mid = m.body.id;
    await t
      .http()
      .post(`/memoranda/${mid}/parties`)
      .set(coordinator().auth)
      .send({ organisationId: tz['jas-otan'].id, role: 'signatory' });
    await t
      .http()
      .post(`/memoranda/${mid}/parties`)
      .set(coordinator().auth)
      .send({ organisationId: tz.kelisim.id, role: 'signatory' });
    const submitted = await t.http().post(`/memoranda/${mid}/submit`).set(coordinator().auth).send({});
    expect(submitted.body).toMatchObject({ status: 'in_review' });
    const h1 = submitted.body.currentRevision.hash;
    await t
      .http()
      .post(`/memoranda/${mid}/approvals`)
      .set(person(tz, 'jas-otan').auth)
      .send({ decision: 'request_changes', revisionHash: h1, comment: 'Қазақша мәтінді түзетіңіз' });
    const current = await t.http().get(`/memoranda/${mid}`).set(coordinator().auth);
    const kk = current.body.translations.texts.kk;
    const edited = await t
      .http()
      .patch(`/memoranda/${mid}`)
      .set(coordinator().auth)
      .send({
        version: current.body.version,
        translations: { equallyAuthentic: true, texts: { kk: { ...kk, body: `${kk.body}\nҚосымша тармақ.` } } },
      });
    expect(edited.status).toBe(200);
    const again = await t.http().post(`/memoranda/${mid}/submit`).set(coordinator().auth).send({});
    expect(again.body.currentRevision.hash).not.toBe(h1);
    const kkDiff = await t.http().get(`/memoranda/${mid}/revisions/1/diff/2?language=kk`).set(coordinator().auth);
    expect(kkDiff.body).toMatchObject({ identical: false, added: 1 });
    expect(kkDiff.body.patch).toContain('+Қосымша тармақ.');
    const ruDiff = await t.http().get(`/memoranda/${mid}/revisions/1/diff/2?language=ru`).set(coordinator().auth);
    expect(ruDiff.body).toMatchObject({ added: 0, removed: 0 });
    const none = await t.http().get(`/memoranda/${mid}/revisions/1/diff/2?language=en`).set(coordinator().auth);
    expect(none.status).toBe(422);
    expect(none.body.errors[0].field).toBe('language');
  });
});
