import { execFileSync } from 'node:child_process';
/**
 * The seed memorandum's real follow-up end to end, with the worker (BullMQ on Redis) and a
 * ManualClock: quarterly joint events for unity and accord, a half-yearly exchange of experience
 * and a joint study with the university; reports with evidence from two parties; the study goes
 * overdue (not at 23:30 on its due day in Almaty, at midnight); due reminders 7 days and 1 day
 * before, weekly overdue reminders, the escalation to the supervisor whose scope covers it only.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { evidenceWords } from '@kelisim/evidence';
import { Role } from '@kelisim/identity';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { createAdmin, createOrganisation, createUser, login, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { fastTimers, settle } from './faults/harness';
import { waitFor } from './support/wait';

const PDF = Buffer.from('%PDF-1.4\n% attendance list\n%%EOF\n');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(128, 1)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      (row.push(field), rows.push(row), (row = []), (field = ''));
    } else field += ch;
  }
  if (field || row.length) (row.push(field), rows.push(row));
  return rows;
}

/** VEVENTs of an iCalendar text (lines unfolded), each as its properties and alarm count. */
function parseIcs(text: string): { props: Record<string, string>; alarms: number }[] {
  const lines = text.replace(/\r\n[ \t]/g, '').split(/\r\n/);
  const events: { props: Record<string, string>; alarms: number }[] = [];
  let current: { props: Record<string, string>; alarms: number } | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = { props: {}, alarms: 0 };
    else if (line === 'END:VEVENT' && current) (events.push(current), (current = null));
    else if (line === 'BEGIN:VALARM' && current) current.alarms++;
    else if (current) {
      const at = line.indexOf(':');
      const name = line.slice(0, at).split(';')[0];
      if (!(name in current.props)) current.props[name] = line.slice(at + 1).replace(/\\([,;\\])/g, '$1');
    }
  }
  return events;
}

const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('follow-up of the Taraz memorandum: reports, overdue, reminders and the scoped escalation (worker on Redis)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let ids: string[];
  let admin: TestUser;
  let elsewhere: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ withWorker: true, env: fastTimers() });
    tz = await createTaraz(t);
    admin = await createAdmin(t);
    const other = await createOrganisation(t, 'Управление внутренней политики Туркестанской области');
    elsewhere = await createUser(t, {
      fullName: 'Серік Жандосов',
      email: 'serik@turkestan.example.kz',
      organisationId: other.id,
      roles: [Role.Supervisor],
    });
    id = await draftTarazMemorandum(t, tz);
    ids = await addTarazCommitments(t, tz, id);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const supervisor = () => person(tz, 'internal-policy');
  /** In-app messages of a topic by recipient, with their titles. */
  const inApp = async (topic: string) =>
    (await t.db.query(
      `SELECT n.user_id AS "userId", n.title FROM notification_deliveries d JOIN notifications n ON n.id = d.id
        WHERE d.channel = 'in_app' AND d.topic = $1 AND d.memorandum_id = $2 ORDER BY d.created_at, d.id`,
      [topic, id],
    )) as { userId: string; title: string }[];
  const study = () => ids[2];

  it('admins scope the supervisors: the region’s office to the coordinator, another office elsewhere', async () => {
    // The region's office starts national (the fixture's global scope); the admin narrows it.
    const own = await t.http().get(`/supervision-scopes?supervisorUserId=${supervisor().id}`).set(admin.auth);
    expect(own.body.items.map((s: { kind: string }) => s.kind)).toEqual(['global']);
    await t.http().delete(`/supervision-scopes/${own.body.items[0].id}`).set(admin.auth).expect(204);
    const res = await t
      .http()
      .post('/supervision-scopes')
      .set(admin.auth)
      .send({ supervisorUserId: supervisor().id, organisationId: tz.kelisim.id });
    expect(res.status).toBe(201);
    const other = await t
      .http()
      .post('/supervision-scopes')
      .set(admin.auth)
      .send({ supervisorUserId: elsewhere.id, organisationId: elsewhere.organisationId });
    expect(other.status).toBe(201);
    const dup = await t
      .http()
      .post('/supervision-scopes')
      .set(admin.auth)
      .send({ supervisorUserId: elsewhere.id, organisationId: elsewhere.organisationId });
    expect(dup.status).toBe(409);
    expect((await t.http().post('/supervision-scopes').set(coordinator().auth).send({})).status).toBe(403);
    // Outside the scope: 404, as for another organisation's user.
    const auth = { Authorization: `Bearer ${await login(t, elsewhere.email)}` };
    expect((await t.http().get(`/memoranda/${id}`).set(auth)).status).toBe(404);
    expect((await t.http().get(`/commitments/${ids[0]}`).set(auth)).status).toBe(404);
    expect((await t.http().get('/memoranda').set(auth)).body.total).toBe(0);
    expect((await t.http().get(`/memoranda/${id}`).set(supervisor().auth)).status).toBe(200);
    // The list: the scoped supervisor sees it; a search in another case finds it, a wrong word does not.
    const ofSupervisor = await t.http().get('/memoranda').set(supervisor().auth);
    expect((ofSupervisor.body.items as { id: string }[]).map((m) => m.id)).toContain(id);
    const found = await t
      .http()
      .get(`/memoranda?q=${encodeURIComponent('МНОГОСТОРОННЕМ партнерстве')}`)
      .set(supervisor().auth);
    expect((found.body.items as { id: string }[]).map((m) => m.id)).toEqual([id]);
    const none = await t
      .http()
      .get(`/memoranda?q=${encodeURIComponent('двустороннем')}`)
      .set(supervisor().auth);
    expect(none.body.total).toBe(0);
    expect(
      (
        await t
          .http()
          .get(`/memoranda?q=${encodeURIComponent('партнерстве')}`)
          .set(auth)
      ).body.total,
    ).toBe(0);
  });

  it('signs, activates and schedules the follow-up; two parties report on the first joint event with evidence', async () => {
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    await settle(t);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM scheduled_items WHERE memorandum_id = $1 AND kind = 'commitment_overdue'`,
      [id],
    );
    expect(n).toBe(13 + 7 + 1);

    const youth = await t
      .http()
      .post(`/commitments/${ids[0]}/reports`)
      .set(person(tz, 'youth-office').auth)
      .field(
        'report',
        JSON.stringify({
          date: '2021-09-28',
          summary: 'Круглый стол «Бірлік – біздің күшіміз»',
          participants: 85,
          occurrenceDate: '2021-09-28',
          sha256: [sha(PDF)],
        }),
      )
      .attach('files', PDF, { filename: 'қатысушылар тізімі.pdf', contentType: 'application/pdf' });
    expect(youth.status).toBe(201);
    const jasOtan = await t
      .http()
      .post(`/commitments/${ids[0]}/reports`)
      .set(person(tz, 'jas-otan').auth)
      .field('report', JSON.stringify({ date: '2021-09-28', summary: 'Волонтёры', occurrenceDate: '2021-09-28' }))
      .attach('files', JPEG, { filename: 'фото.jpg', contentType: 'image/jpeg' });
    expect(jasOtan.status).toBe(201);
    const done = await t
      .http()
      .post(`/commitments/${ids[0]}/complete`)
      .set(person(tz, 'youth-office').auth)
      .send({ occurrenceDate: '2021-09-28' });
    expect(done.status).toBe(200);
    await settle(t);
    const [items] = await t.db.query(
      `SELECT count(*)::int AS n FROM scheduled_items WHERE memorandum_id = $1 AND status IN ('pending', 'enqueued')
          AND data->>'date' = '2021-09-28' AND data->>'commitmentId' = $2`,
      [id, ids[0]],
    );
    expect(items.n).toBe(0);
  });

  it('reminds the responsible parties 7 days and 1 day before the study is due, with correct plurals', async () => {
    await moveClock(t, tz, '2022-09-21T09:00:00+06:00');
    await settle(t);
    const kelisim = coordinator();
    let due = (await inApp('commitment_due')).filter((d) => d.title.includes('Совместные исследования'));
    expect(due.find((d) => d.userId === kelisim.id)?.title).toBe(
      'Напоминание: срок обязательства «Совместные исследования, анализы, научные работы» через 7 дней',
    );
    await moveClock(t, tz, '2022-09-27T09:00:00+06:00');
    await settle(t);
    due = (await inApp('commitment_due')).filter((d) => d.title.includes('Совместные исследования'));
    expect(due.filter((d) => d.userId === kelisim.id).map((d) => d.title)).toEqual([
      'Напоминание: срок обязательства «Совместные исследования, анализы, научные работы» через 7 дней',
      'Напоминание: срок обязательства «Совместные исследования, анализы, научные работы» через 1 день',
    ]);
    // The university (responsible) is reminded too; a party not responsible is not.
    const dulaty = person(tz, 'dulaty');
    expect(due.some((d) => d.userId === dulaty.id)).toBe(true);
    expect(due.some((d) => d.userId === person(tz, 'zhangyru').id)).toBe(false);
  });

  it('is not overdue at 23:30 on the due day in Almaty; overdue from midnight; reminded weekly; escalated to the scoped supervisor only', async () => {
    await moveClock(t, tz, '2022-09-28T23:30:00+06:00');
    await settle(t);
    expect((await t.http().get(`/commitments/${study()}`).set(coordinator().auth)).body.status).toBe('planned');

    await moveClock(t, tz, '2022-09-29T00:00:01+06:00');
    await settle(t);
    const c = (await t.http().get(`/commitments/${study()}`).set(supervisor().auth)).body;
    expect(c).toMatchObject({ status: 'overdue', occurrences: [{ date: '2022-09-28', status: 'overdue' }] });
    const overdue = () =>
      inApp('commitment_overdue').then((l) => l.filter((d) => d.title.includes('Совместные исследования')));
    expect((await overdue()).filter((d) => d.userId === coordinator().id)).toHaveLength(1);

    await moveClock(t, tz, '2022-10-06T00:00:02+06:00');
    await settle(t);
    expect((await overdue()).filter((d) => d.userId === coordinator().id)).toHaveLength(2);
    const escalationsOfStudy = () =>
      inApp('commitment_escalation').then((l) => l.filter((d) => d.title.includes('Совместные исследования')));
    expect(await escalationsOfStudy()).toEqual([]);
    // Earlier occurrences of the joint events went overdue too: their escalations reached the scoped supervisor only.
    const all = await inApp('commitment_escalation');
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((d) => d.userId))).toEqual(new Set([supervisor().id]));

    await moveClock(t, tz, '2022-10-13T00:00:03+06:00');
    await settle(t);
    const escalations = await escalationsOfStudy();
    expect(escalations.map((d) => d.userId)).toEqual([supervisor().id]);
    expect(escalations.some((d) => d.userId === elsewhere.id)).toBe(false);

    // Completion cancels what is left of its reminders; history verifies.
    const late = await t
      .http()
      .post(`/commitments/${study()}/complete`)
      .set(coordinator().auth)
      .send({ reason: 'Исследование опубликовано' });
    expect(late.body).toMatchObject({ status: 'completed', occurrences: [{ late: true }] });
    await settle(t);
    const [open] = await t.db.query(
      `SELECT count(*)::int AS n FROM scheduled_items WHERE status IN ('pending', 'enqueued') AND data->>'commitmentId' = $1`,
      [study()],
    );
    expect(open.n).toBe(0);
    expect((await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth)).body.valid).toBe(true);
  });

  it('shows every dashboard view within the scope: overview, urgent commitments, scorecards, the timeline', async () => {
    const sup = supervisor();
    const overview = await t.http().get('/dashboard/overview').set(sup.auth).query({ withinDays: 90 });
    expect(overview.status).toBe(200);
    expect(overview.body.memorandaByState).toEqual([{ state: 'active', count: 1 }]);
    expect(overview.body.commitments.overdue).toBeGreaterThan(0);
    expect(overview.body.commitments.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'completed', count: 1 },
        { status: 'overdue', count: 2 },
      ]),
    );
    const youthRow = overview.body.commitments.byParty.find(
      (r: { organisationId: string }) => r.organisationId === tz['youth-office'].id,
    );
    expect(youthRow).toMatchObject({ completed: 1 });
    expect(overview.body.commitments.byParty[0].overdue).toBeGreaterThanOrEqual(youthRow.overdue);

    const outside = { Authorization: `Bearer ${await login(t, elsewhere.email)}` };
    const theirs = await t.http().get('/dashboard/overview').set(outside);
    expect(theirs.body.memorandaByState).toEqual([]);
    expect((await t.http().get('/dashboard/commitments').set(outside)).body.total).toBe(0);
    expect((await t.http().get(`/dashboard/organisations/${tz.kelisim.id}`).set(outside)).status).toBe(404);
    expect((await t.http().get(`/dashboard/memoranda/${id}/timeline`).set(outside)).status).toBe(404);

    // Most urgent first: the overdue occurrences, oldest first.
    const urgent = await t.http().get('/dashboard/commitments').set(sup.auth).query({ pageSize: 5 });
    expect(urgent.status).toBe(200);
    expect(urgent.body.items[0]).toMatchObject({ status: 'overdue', date: '2021-09-28', commitmentId: ids[1] });
    const dates = urgent.body.items.map((i: { date: string }) => i.date);
    expect([...dates].sort()).toEqual(dates);
    const completed = await t
      .http()
      .get('/dashboard/commitments')
      .set(person(tz, 'zhangyru').auth)
      .query({ status: 'completed' });
    expect(completed.body.items.map((i: { date: string }) => i.date).sort()).toEqual(['2021-09-28', '2022-09-28']);
    const byOrg = await t
      .http()
      .get('/dashboard/commitments')
      .set(sup.auth)
      .query({ organisationId: tz.dulaty.id, status: 'completed' });
    expect(byOrg.body.items.map((i: { commitmentId: string }) => i.commitmentId)).toEqual([study()]);

    const kelisim = await t.http().get(`/dashboard/organisations/${tz.kelisim.id}`).set(sup.auth);
    expect(kelisim.body).toMatchObject({
      commitmentsLed: 1,
      completedOnTime: 0,
      completedLate: 1,
      openOverdue: 0,
      reportsFiled: 0,
      onTimeRate: 0,
    });
    const youth = await t
      .http()
      .get(`/dashboard/organisations/${tz['youth-office'].id}`)
      .set(person(tz, 'youth-office').auth);
    expect(youth.body).toMatchObject({ commitmentsLed: 1, completedOnTime: 1, reportsFiled: 1 });
    expect(youth.body.openOverdue).toBeGreaterThan(0);
    expect(youth.body.onTimeRate).toBeCloseTo(1 / (1 + youth.body.openOverdue), 3);
    const notMine = await t.http().get(`/dashboard/organisations/${tz.kelisim.id}`).set(person(tz, 'zhangyru').auth);
    expect(notMine.status).toBe(404);

    const timeline = await t
      .http()
      .get(`/dashboard/memoranda/${id}/timeline`)
      .set(person(tz, 'assembly').auth)
      .query({ from: '2021-09-28', to: '2022-10-31', pageSize: 100 });
    expect(timeline.status).toBe(200);
    const kinds = new Set(timeline.body.items.map((i: { kind: string }) => i.kind));
    expect(kinds).toEqual(new Set(['history', 'report', 'due', 'done']));
    const at = timeline.body.items.map((i: { at: string }) => new Date(i.at).getTime());
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(timeline.body.items.filter((i: { kind: string; reportId: string }) => i.kind === 'report').length).toBe(2);
  });

  it('exports CSV (BOM, Kazakh and Russian letters) and XLSX, read back and parsed; serves calendars, the feed by a revocable token', async () => {
    const csv = await t
      .http()
      .get(`/memoranda/${id}/commitments.csv`)
      .set(supervisor().auth)
      .buffer(true)
      .parse(binary);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    const [header, ...data] = rows;
    expect(header).toEqual([
      'commitmentId',
      'title',
      'clauseRef',
      'origin',
      'leadParty',
      'otherParties',
      'target',
      'commitmentStatus',
      'date',
      'status',
      'completedAt',
      'late',
      'reports',
    ]);
    expect(data).toHaveLength(13 + 7 + 1);
    const col = (name: string) => header.indexOf(name);
    const studyRow = data.find((r) => r[col('commitmentId')] === study())!;
    expect(studyRow[col('title')]).toBe('Совместные исследования, анализы, научные работы');
    expect(studyRow[col('leadParty')]).toContain('«Қоғамдық келісім»');
    expect(studyRow.slice(col('date'), col('late') + 1)).toEqual([
      '2022-09-28',
      'completed',
      studyRow[col('completedAt')],
      'yes',
    ]);
    const first = data.find((r) => r[col('commitmentId')] === ids[0] && r[col('date')] === '2021-09-28')!;
    expect(first[col('reports')]).toBe('2');
    expect(first[col('target')]).toBe('4 совместных мероприятия в год');

    const xlsx = await t
      .http()
      .get(`/memoranda/${id}/commitments.xlsx`)
      .set(coordinator().auth)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('Commitments')!;
    expect(sheet.getRow(2).values).toEqual([undefined, ...header]);
    expect(sheet.rowCount).toBe(2 + 21);
    const titles = new Set<string>();
    sheet.eachRow((row, n) => n > 2 && titles.add(String(row.getCell(2).value)));
    expect(titles).toEqual(
      new Set([
        'Совместные мероприятия по укреплению единства и согласия',
        'Обмен накопленным опытом',
        'Совместные исследования, анализы, научные работы',
      ]),
    );

    const ics = await t.http().get(`/memoranda/${id}/calendar.ics`).set(person(tz, 'dulaty').auth);
    expect(ics.status).toBe(200);
    const events = parseIcs(ics.text);
    expect(events).toHaveLength(21);
    const studyEvent = events.find((e) => e.props.SUMMARY.startsWith('Совместные исследования'))!;
    expect(studyEvent.props.DTSTART).toBe('20220928');
    const open = events.find(
      (e) => e.props.DTSTART === '20240928' && e.props.SUMMARY.startsWith('Совместные мероприятия'),
    )!;
    expect(open.alarms).toBe(2);

    // The organisation's feed, opened by a token in the URL; revoked, it is refused.
    const made = await t.http().post('/me/feed-tokens').set(person(tz, 'dulaty').auth).send({ name: 'Outlook' });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^klf_/);
    const [stored] = await t.db.query('SELECT token_hash FROM feed_tokens WHERE id = $1', [made.body.id]);
    expect(stored.token_hash).toBe(sha(Buffer.from(made.body.token)));
    const feed = await t.http().get(`/organisations/${tz.dulaty.id}/calendar.ics`).query({ token: made.body.token });
    expect(feed.status).toBe(200);
    const feedEvents = parseIcs(feed.text);
    expect(feedEvents.map((e) => e.props.SUMMARY)).toEqual([
      'Совместные исследования, анализы, научные работы (completed)',
    ]);
    const foreign = await t
      .http()
      .get(`/organisations/${tz.kelisim.id}/calendar.ics`)
      .query({ token: made.body.token });
    expect(foreign.status).toBe(404);
    expect((await t.http().delete(`/me/feed-tokens/${made.body.id}`).set(person(tz, 'dulaty').auth)).status).toBe(204);
    const revoked = await t.http().get(`/organisations/${tz.dulaty.id}/calendar.ics`).query({ token: made.body.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('invalid_feed_token');
  });

  it("lists the commitments with their status in the memorandum's evidence PDF, which verifies", async () => {
    const get = () => t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator().auth);
    await waitFor('the evidence PDF', async () => (await get()).status !== 202, undefined, 250);
    const res = await get().buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: res.body as Buffer })
      .toString('utf8')
      .replace(/\s+/g, ' ');
    const commitments: Array<{ title: string; status: string }> = await t.db.query(
      'SELECT title, status FROM commitments WHERE memorandum_id = $1',
      [id],
    );
    expect(commitments.length).toBeGreaterThanOrEqual(3);
    // Statuses are shown as words in the memorandum's language (Russian here), not as codes.
    const words = evidenceWords('ru', 'Asia/Almaty');
    for (const c of commitments) {
      expect(text).toContain(c.title.replace(/\s+/g, ' '));
      expect(words.label('commitment', c.status)).not.toBe(c.status);
      expect(text).toContain(`${c.title.replace(/\s+/g, ' ')} — ${words.label('commitment', c.status)}`);
    }
    // The commitments frozen into the signed revision are part of its hash: the attached terms must carry them.
    const verdict = await t
      .http()
      .post('/evidence/verify')
      .set('Content-Type', 'application/pdf')
      .send(res.body as Buffer);
    expect(verdict.status).toBe(200);
    expect(verdict.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(verdict.body.valid).toBe(true);
  });
});
