/**
 * Activity reports with evidence files, and every refusal of follow-up input: each answers a clear
 * 4xx naming the field, and leaves nothing written (counts of commitments, reports, files, history).
 */
import { createHash } from 'node:crypto';
import { Role } from '@kelisim/identity';
import {
  addPerson,
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

const PDF = Buffer.from('%PDF-1.4\n% Kelisim evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const LIMIT = 64 * 1024;

describe('activity reports, evidence files and refusals of follow-up input (real PostgreSQL)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp({ env: { EVIDENCE_MAX_FILE_BYTES: String(LIMIT) } });
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    ids = await addTarazCommitments(t, tz, id);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    await moveClock(t, tz, '2021-10-05T10:00:00+06:00');
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const footprint = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*)::int FROM commitments WHERE memorandum_id = $1) AS commitments,
                (SELECT count(*)::int FROM commitment_occurrences WHERE memorandum_id = $1) AS occurrences,
                (SELECT count(*)::int FROM activity_reports WHERE memorandum_id = $1) AS reports,
                (SELECT count(*)::int FROM evidence_files) AS files,
                (SELECT count(*)::int FROM evidence_blobs) AS blobs,
                (SELECT count(*)::int FROM history_events WHERE memorandum_id = $1) AS history,
                (SELECT string_agg(status, ',' ORDER BY id) FROM commitments WHERE memorandum_id = $1) AS statuses,
                (SELECT version FROM memoranda WHERE id = $1) AS version`,
        [id],
      )
    )[0];
  const report = (who: { auth: Record<string, string> }, commitmentId: string, body: Record<string, unknown>) =>
    t.http().post(`/commitments/${commitmentId}/reports`).set(who.auth).field('report', JSON.stringify(body));

  it('files a report with evidence from two parties; the files come back with their type, name and hash', async () => {
    const youth = person(tz, 'youth-office');
    const res = await report(youth, ids[0], {
      date: '2021-09-28',
      summary: 'Торжественное подписание и круглый стол «Бірлік пен келісім»',
      participants: 120,
      outcome: 'Принят план совместных мероприятий',
      links: ['https://kelisim.example.kz/news/2021-09-28'],
      occurrenceDate: '2021-09-28',
      sha256: [sha(PDF), sha(PNG)],
    })
      .attach('files', PDF, { filename: 'Тізім қатысушылар.pdf', contentType: 'application/pdf' })
      .attach('files', PNG, { filename: 'фото.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/reports/${res.body.id}`);
    expect(res.body).toMatchObject({
      organisationId: tz['youth-office'].id,
      occurrenceDate: '2021-09-28',
      participants: 120,
      files: [
        { name: 'Тізім қатысушылар.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha(PDF) },
        { name: 'фото.png', contentType: 'image/png', size: PNG.length, sha256: sha(PNG) },
      ],
    });
    // Another party, the same photo: stored once (content-addressed).
    const second = await report(person(tz, 'jas-otan'), ids[0], {
      date: '2021-09-28',
      summary: 'Участие волонтёров «Жас Отан»',
      occurrenceDate: '2021-09-28',
    }).attach('files', PNG, { filename: 'photo.png', contentType: 'image/png' });
    expect(second.status).toBe(201);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM evidence_blobs WHERE sha256 = $1', [sha(PNG)]);
    expect(n).toBe(1);

    // Supervisors and the other parties read; the bytes come back as uploaded.
    const file = await t
      .http()
      .get(`/files/${res.body.files[0].id}`)
      .set(person(tz, 'internal-policy').auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="_____ ___________.pdf"; filename*=UTF-8''${encodeURIComponent('Тізім қатысушылар.pdf')}`,
    );
    expect(sha(file.body as Buffer)).toBe(sha(PDF));

    const occ = await t.http().get(`/commitments/${ids[0]}/occurrences`).set(person(tz, 'assembly').auth);
    expect(occ.body.items[0].reportIds.sort()).toEqual([res.body.id, second.body.id].sort());
    const list = await t.http().get(`/commitments/${ids[0]}/reports`).set(person(tz, 'zhangyru').auth);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);

    // The coordinator corrects one; the history keeps both texts.
    const corrected = await t
      .http()
      .patch(`/reports/${res.body.id}`)
      .set(coordinator().auth)
      .send({ version: 1, participants: 125, reason: 'Уточнён список участников' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ participants: 125, version: 2 });
    const notCoordinator = await t
      .http()
      .patch(`/reports/${res.body.id}`)
      .set(person(tz, 'youth-office').auth)
      .send({ version: 2, participants: 1, reason: 'x' });
    expect(notCoordinator.status).toBe(403);
    const events = (await t.http().get(`/memoranda/${id}/history`).set(coordinator().auth)).body.items;
    const correction = events.find((e: { action: string }) => e.action === 'report.corrected');
    expect(correction).toMatchObject({
      reason: 'Уточнён список участников',
      data: { reportId: res.body.id, before: { participants: 120 }, after: { participants: 125 } },
    });
    expect(events.filter((e: { action: string }) => e.action === 'report.filed')).toHaveLength(2);
    expect((await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth)).body.valid).toBe(true);
  });

  const refusals: Array<
    [string, () => Promise<{ status: number; body: { errors?: { field: string }[] } }>, number, string | null]
  > = [
    [
      'a due date outside the term',
      () =>
        t
          .http()
          .post(`/memoranda/${id}/commitments`)
          .set(coordinator().auth)
          .send({ title: 'Поздно', leadOrganisationId: tz.kelisim.id, dueDate: '2024-10-01' }),
      422,
      'dueDate',
    ],
    [
      'a malformed RRULE',
      () =>
        t
          .http()
          .post(`/memoranda/${id}/commitments`)
          .set(coordinator().auth)
          .send({ title: 'Ошибка', leadOrganisationId: tz.kelisim.id, rrule: 'FREQ=SOMETIMES;BYDAY=XX' }),
      422,
      'rrule',
    ],
    [
      'an RRULE with more than 500 occurrences in the term',
      () =>
        t
          .http()
          .post(`/memoranda/${id}/commitments`)
          .set(coordinator().auth)
          .send({ title: 'Каждый день', leadOrganisationId: tz.kelisim.id, rrule: 'FREQ=DAILY' }),
      422,
      'rrule',
    ],
    [
      'a lead party that is not a party',
      () =>
        t
          .http()
          .post(`/memoranda/${id}/commitments`)
          .set(coordinator().auth)
          .send({ title: 'Чужой', leadOrganisationId: tz['internal-policy'].id, dueDate: '2022-01-10' }),
      422,
      'leadOrganisationId',
    ],
    [
      'a report by an organisation not responsible',
      () => report(person(tz, 'zhangyru'), ids[0], { date: '2021-10-01', summary: 'Не наше' }),
      403,
      null,
    ],
    [
      'a file over the limit',
      () =>
        report(person(tz, 'jas-otan'), ids[1], { date: '2021-10-01', summary: 'Большой файл' }).attach(
          'files',
          Buffer.concat([PDF, Buffer.alloc(LIMIT)]),
          { filename: 'big.pdf', contentType: 'application/pdf' },
        ),
      413,
      'files',
    ],
    [
      'a file of a type not allowed',
      () =>
        report(person(tz, 'jas-otan'), ids[1], { date: '2021-10-01', summary: 'Скрипт' }).attach(
          'files',
          Buffer.from('#!/bin/sh\n'),
          {
            filename: 'run.sh',
            contentType: 'application/x-sh',
          },
        ),
      415,
      'files[0]',
    ],
    [
      'a file whose bytes are not the declared SHA-256',
      () =>
        report(person(tz, 'jas-otan'), ids[1], {
          date: '2021-10-01',
          summary: 'Подмена',
          sha256: ['0'.repeat(64)],
        }).attach('files', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }),
      422,
      'files[0]',
    ],
    [
      'a report without its JSON part',
      () => t.http().post(`/commitments/${ids[1]}/reports`).set(person(tz, 'jas-otan').auth).field('note', 'x'),
      400,
      null,
    ],
    [
      'a report whose JSON names a date that is not a date',
      () => report(person(tz, 'jas-otan'), ids[1], { date: '2021-02-30', summary: 'x' }),
      400,
      'report.date',
    ],
  ];

  it.each(refusals)('refuses %s, and writes nothing', async (_name, send, status, field) => {
    const before = await footprint();
    const res = await send();
    expect(res.status).toBe(status);
    if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
    expect(await footprint()).toEqual(before);
  });

  it('refuses to complete a cancelled commitment (409 with the allowed actions), and a supervisor gets 404 on nothing they may see', async () => {
    const cancelled = await t
      .http()
      .post(`/commitments/${ids[1]}/cancel`)
      .set(coordinator().auth)
      .send({ reason: 'Отменено' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const before = await footprint();
    const res = await t.http().post(`/commitments/${ids[1]}/complete`).set(person(tz, 'jas-otan').auth).send({});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'invalid_transition',
      details: { status: 'cancelled', allowedActions: [] },
    });
    expect(await footprint()).toEqual(before);

    const outsider = await addPerson(t, tz, 'internal-policy', 'Outside Observer', [Role.PartyRepresentative]);
    expect((await t.http().get(`/commitments/${ids[0]}`).set(outsider.auth)).status).toBe(404);
  });
});
