/**
 * POST /evidence/verify compares the uploaded file with the server's records of the evidence files it
 * issued (issue 23): a file served here is "issued here" (when, from which head) to anyone who holds
 * it, with its issues and the memorandum's current head only for a caller who may see the
 * memorandum; a file sealed elsewhere, or edited, is "not issued here" and nothing more; a
 * countersigned copy is still the file issued here; when the history moves on, the head still holds,
 * and when the history is altered before the file's head, the server says its history no longer holds it.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { countersign, editTextWithQpdf, resealRestated, throwawaySealKey } from './support/evidence-forgeries';
import { TARAZ_MEMORANDUM, tarazMemorandumText } from '../apps/cli/src/demo/taraz-memorandum';
import { createTaraz, person, Taraz } from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** The PDF as bytes; a JSON answer (202) as JSON. */
const binary = (res: request.Response, done: (err: Error | null, body: unknown) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
  });
};

const TITLE = 'Тараз жастар саясаты туралы меморандум — records';

describe('evidence: the server’s records of the files it issued', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let pdf: Buffer;

  const verify = (file: Buffer, auth: Record<string, string> = {}) =>
    t.http().post('/evidence/verify').set(auth).set('Content-Type', 'application/pdf').send(file);

  /** The evidence PDF, asked for until the worker has made it (each 200 is one issue). */
  async function evidence(who: { auth: Record<string, string> }): Promise<Buffer> {
    const res = await waitFor(
      'the evidence PDF',
      async () => {
        const r = await t.http().get(`/memoranda/${id}/evidence.pdf`).set(who.auth).buffer(true).parse(binary);
        return r.status === 202 ? undefined : r;
      },
      undefined,
      250,
    );
    expect(res.status).toBe(200);
    return res.body as Buffer;
  }

  beforeAll(async () => {
    t = await startTestApp({ withWorker: true });
    tz = await createTaraz(t);
    // A memorandum only its coordinator (Kelisim) may see: no parties added.
    const made = await t.http().post('/memoranda').set(person(tz, 'kelisim').auth).send({
      title: TITLE,
      purpose: TARAZ_MEMORANDUM.purpose,
      body: tarazMemorandumText(),
      language: TARAZ_MEMORANDUM.language,
      timeZone: TARAZ_MEMORANDUM.timeZone,
      effectiveDate: TARAZ_MEMORANDUM.effectiveDate,
      endDate: TARAZ_MEMORANDUM.endDate,
      coordinatingOrganisationId: tz.kelisim.id,
    });
    expect(made.status).toBe(201);
    id = made.body.id;
    pdf = await evidence(person(tz, 'kelisim'));
  });
  afterAll(() => t?.close());

  it('keeps the SHA-256, revision, head, time and user of every file it serves', async () => {
    const rows = await t.db.query(
      `SELECT d.sha256, d.revision_number, d.head_seq, i.user_id, i.issued_to
         FROM evidence_documents d JOIN evidence_issues i ON i.document_id = d.id WHERE d.memorandum_id = $1`,
      [id],
    );
    expect(rows).toEqual([
      {
        sha256: createHash('sha256').update(pdf).digest('hex'),
        revision_number: 1,
        head_seq: 1,
        user_id: person(tz, 'kelisim').id,
        issued_to: person(tz, 'kelisim').fullName,
      },
    ]);
  });

  it('issued here: anyone who holds the file learns when and from which head; only who may see it learns more', async () => {
    const anonymous = await verify(pdf);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ valid: true, status: 'valid', memorandumId: id, title: TITLE });
    const [{ issued_at }] = await t.db.query(
      `SELECT i.issued_at FROM evidence_issues i JOIN evidence_documents d ON d.id = i.document_id WHERE d.memorandum_id = $1`,
      [id],
    );
    expect(anonymous.body.record).toEqual({
      issued: true,
      issuedAt: new Date(issued_at).toISOString(),
      memorandumId: id,
      revisionNumber: 1,
      headSeq: 1,
      headHash: anonymous.body.headHash,
      laterUpdates: false,
      historyHoldsHead: true,
    });
    // Signed in, but of an organisation that may not see the memorandum: the same as anonymous.
    const outsider = await verify(pdf, person(tz, 'dulaty').auth);
    expect(outsider.body.record).toEqual(anonymous.body.record);
    const coordinator = await verify(pdf, person(tz, 'kelisim').auth);
    expect(coordinator.body.record).toEqual({
      ...anonymous.body.record,
      memorandum: {
        currentHeadSeq: 1,
        currentHeadHash: anonymous.body.headHash,
        eventsSince: 0,
        historyValid: true,
        historyProblem: null,
        issueCount: 1,
        issues: [{ issuedAt: anonymous.body.record.issuedAt, issuedTo: person(tz, 'kelisim').fullName }],
      },
    });
  });

  it('not issued here: a file sealed by another server, or edited, gets that and nothing else', async () => {
    const elsewhere = await resealRestated(pdf, await throwawaySealKey('Другой сервер'), new Date());
    const other = await verify(elsewhere, person(tz, 'kelisim').auth);
    expect(other.status).toBe(200);
    expect(other.body.valid).toBe(false);
    expect(other.body.memorandumId).toBe(id);
    expect(other.body.record).toEqual({ issued: false });
    const edited = await verify(editTextWithQpdf(pdf), person(tz, 'kelisim').auth);
    expect(edited.body.status).toBe('invalid');
    expect(edited.body.record).toEqual({ issued: false });
    const foreign = await verify(Buffer.from('%PDF-1.7\nnot evidence\n%%EOF\n'));
    expect(foreign.body.record).toEqual({ issued: false });
  });

  it('a countersigned copy is the file issued here with a later signature', async () => {
    const signed = await countersign(pdf, await throwawaySealKey('Жастар ісі басқармасы'), new Date());
    const res = await verify(signed);
    expect(res.body.status).toBe('valid');
    expect(res.body.updates).toHaveLength(1);
    expect(res.body.record).toMatchObject({
      issued: true,
      memorandumId: id,
      laterUpdates: true,
      historyHoldsHead: true,
    });
  });

  it('issued here, history moved on: the head still holds; only who may see it learns how far it moved', async () => {
    const coordinator = person(tz, 'kelisim');
    const current = await t.http().get(`/memoranda/${id}`).set(coordinator.auth);
    const patched = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .send({ version: current.body.version, purpose: `${current.body.purpose} (edited)` });
    expect(patched.status).toBe(200);
    const anonymous = await verify(pdf);
    expect(anonymous.body.record).toMatchObject({ issued: true, headSeq: 1, historyHoldsHead: true });
    expect(anonymous.body.record).not.toHaveProperty('memorandum');
    const seen = await verify(pdf, coordinator.auth);
    expect(seen.body.record.memorandum).toMatchObject({ currentHeadSeq: 2, eventsSince: 1, historyValid: true });
    expect(seen.body.record.memorandum.currentHeadHash).not.toBe(seen.body.headHash);
  });

  it('issued here, history altered since: the server says its history no longer holds the file’s head', async () => {
    await t.db.query(`UPDATE history_events SET actor_name = 'Someone Else' WHERE memorandum_id = $1 AND seq = 1`, [
      id,
    ]);
    const anonymous = await verify(pdf);
    expect(anonymous.body.valid).toBe(true);
    expect(anonymous.body.record).toMatchObject({ issued: true, headSeq: 1, historyHoldsHead: false });
    const seen = await verify(pdf, person(tz, 'kelisim').auth);
    expect(seen.body.record.memorandum).toMatchObject({ historyValid: false });
    expect(seen.body.record.memorandum.historyProblem).toMatch(/^event 1: /);
  });
});
