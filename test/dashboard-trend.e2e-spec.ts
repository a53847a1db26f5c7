/**
 * The dashboard's trend (GET /dashboard/trend): occurrences completed on time, completed late and
 * overdue by the quarter of their due date, from the occurrences themselves, over the memoranda
 * the reader sees (libs/memoranda/src/memorandum-visibility.ts) — and GET /me/feed-organisations,
 * the organisations whose calendar feed each reader may open, every one of which opens.
 */
import { CommitmentTimersService } from '@kelisim/commitments';
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
import { createOrganisation, createUser, login } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('dashboard trend by quarter and the feed organisations (real PostgreSQL)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let ids: string[];
  let studyQuarter: string;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    // The observer leaves before submission: its people no longer see the memorandum.
    const removed = await t.http().delete(`/memoranda/${id}/parties/${tz.assembly.id}`).set(person(tz, 'kelisim').auth);
    expect(removed.status).toBe(204);
    ids = await addTarazCommitments(t, tz, id);
    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    const [study] = await t.db.query(`SELECT date::text AS date FROM commitment_occurrences WHERE commitment_id = $1`, [
      ids[2],
    ]);
    const [y, m] = study.date.split('-').map(Number);
    studyQuarter = `${y}-Q${Math.ceil(m / 3)}`;
  });
  afterAll(() => t?.close());

  const trend = async (key: string, query: Record<string, string> = {}) => {
    const res = await t.http().get('/dashboard/trend').query(query).set(person(tz, key).auth);
    expect(res.status).toBe(200);
    return res.body.quarters;
  };
  const post = (path: string, key: string, body: object = {}) =>
    t.http().post(path).set(person(tz, key).auth).send(body);

  it('counts an occurrence completed on its date as on time, in its quarter', async () => {
    expect(await trend('kelisim')).toEqual([]);
    expect((await post(`/commitments/${ids[0]}/start`, 'youth-office')).status).toBe(200);
    const done = await post(`/commitments/${ids[0]}/complete`, 'youth-office', { occurrenceDate: '2021-09-28' });
    expect(done.status).toBe(200);
    expect(await trend('kelisim')).toEqual([{ quarter: '2021-Q3', onTime: 1, late: 0, overdue: 0 }]);
  });

  it('counts an overdue occurrence, then the same one completed late', async () => {
    const [study] = await t.db.query(`SELECT id FROM commitment_occurrences WHERE commitment_id = $1`, [ids[2]]);
    await moveClock(t, tz, '2022-09-29T00:00:00+06:00');
    expect(await t.app.get(CommitmentTimersService).markOverdue(study.id)).toBe('applied');
    const overdue = [
      { quarter: '2021-Q3', onTime: 1, late: 0, overdue: 0 },
      { quarter: studyQuarter, onTime: 0, late: 0, overdue: 1 },
    ];
    expect(await trend('kelisim')).toEqual(overdue);
    // Every party of the memorandum reads the same figures; dates bound the quarters.
    expect(await trend('dulaty')).toEqual(overdue);
    expect(await trend('kelisim', { to: '2021-12-31' })).toEqual([overdue[0]]);
    expect(await trend('kelisim', { from: '2022-01-01' })).toEqual([overdue[1]]);
    // The overview's filters: the memorandum's state, an organisation involved.
    expect(await trend('kelisim', { status: 'draft' })).toEqual([]);
    expect(await trend('kelisim', { organisationId: tz.dulaty.id })).toEqual(overdue);

    expect((await post(`/commitments/${ids[2]}/complete`, 'kelisim')).status).toBe(200);
    expect(await trend('kelisim')).toEqual([
      { quarter: '2021-Q3', onTime: 1, late: 0, overdue: 0 },
      { quarter: studyQuarter, onTime: 0, late: 1, overdue: 0 },
    ]);
  });

  it('shows nothing of memoranda the reader does not see, and refuses bad filters by name', async () => {
    // The observer removed from the draft, and a supervisor scoped elsewhere.
    expect(await trend('assembly')).toEqual([]);
    const other = await createOrganisation(t, 'Управление внутренней политики Туркестанской области');
    const elsewhere = await createUser(t, {
      fullName: 'Серік Жандосов',
      email: 'serik.trend@turkestan.example.kz',
      organisationId: other.id,
      roles: [Role.Supervisor],
    });
    const auth = { Authorization: `Bearer ${await login(t, elsewhere.email)}` };
    const res = await t.http().get('/dashboard/trend').set(auth);
    expect(res.status).toBe(200);
    expect(res.body.quarters).toEqual([]);

    const bad = await t.http().get('/dashboard/trend').query({ from: '2021-13-01' }).set(person(tz, 'kelisim').auth);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await t.http().get('/dashboard/trend')).status).toBe(401);
  });

  it('lists the organisations whose feed a reader may open, and each of them opens', async () => {
    for (const key of ['youth-office', 'internal-policy']) {
      const who = person(tz, key);
      const res = await t.http().get('/me/feed-organisations').set(who.auth);
      expect(res.status).toBe(200);
      const listed = res.body.items.map((o: { id: string }) => o.id);
      // A party's representative: their own organisation only; the (national) supervisor: every one.
      if (key === 'youth-office') expect(listed).toEqual([tz['youth-office'].id]);
      else expect(listed).toEqual(expect.arrayContaining(Object.values(tz).map((o) => o.id)));
      const made = await t
        .http()
        .post('/me/feed-tokens')
        .set(who.auth)
        .send({ name: `Feeds of ${key}` });
      expect(made.status).toBe(201);
      for (const orgId of listed) {
        const feed = await t.http().get(`/organisations/${orgId}/calendar.ics`).query({ token: made.body.token });
        expect({ orgId, status: feed.status }).toEqual({ orgId, status: 200 });
      }
      // One not offered answers 404 (the page never shows it).
      if (key === 'youth-office') {
        const feed = await t
          .http()
          .get(`/organisations/${tz.dulaty.id}/calendar.ics`)
          .query({ token: made.body.token });
        expect(feed.status).toBe(404);
      }
    }
  });
});
