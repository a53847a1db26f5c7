/**
 * GET /memoranda against a model: every caller (admin, coordinator, party representative, scoped
 * supervisor) × every filter (none, status, organisationId, q and their combinations) × every page
 * up to one past the end gives the memoranda the visibility rule and the filters select, newest
 * first (ties by id), with the exact total. The list reads in one statement whose shape depends on
 * the filters; this checks each shape gives the same answer the rule does.
 */
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

interface Row {
  id: string;
  title: string;
  purpose: string;
  status: string;
  coordinatingOrganisationId: string;
  createdAt: string;
  orgs: string[];
}

describe('GET /memoranda: each query shape against the visibility rule (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let representative: TestUser;
  let supervisor: TestUser;
  const org: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  let rows: Row[] = [];
  let scopedMemorandum = '';

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    for (const k of ['a', 'b', 'c', 'd'] as const) org[k] = (await createOrganisation(t, `Ұйым ${k}`)).id;
    coordinator = await createUser(t, {
      fullName: 'Үйлестіруші',
      email: 'coordinator@list.test',
      organisationId: org.a,
      roles: [Role.Coordinator],
    });
    representative = await createUser(t, {
      fullName: 'Өкіл',
      email: 'representative@list.test',
      organisationId: org.b,
      roles: [Role.PartyRepresentative],
    });
    supervisor = await createUser(t, {
      fullName: 'Бақылаушы',
      email: 'supervisor@list.test',
      organisationId: org.d,
      roles: [Role.Supervisor],
    });
    // 40 memoranda coordinated by a or d, parties among b and c, statuses, some titles or purposes with
    // the searched word, and created_at in groups of three equal instants (ties ordered by id).
    const statuses = ['draft', 'in_review', 'active', 'expired'];
    await t.db.query(
      `INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, effective_date,
                              end_date, version, current_revision_number, created_at, updated_at)
       SELECT 'Меморандум ' || i || CASE WHEN i % 5 = 0 THEN ' ЖАСТАР' ELSE '' END,
              CASE WHEN i % 7 = 0 THEN 'Жастар саясаты' ELSE 'Ынтымақтастық' END, 'Мәтін', 'kk',
              CASE WHEN i % 3 = 0 THEN $1::uuid ELSE $2::uuid END, ($3::text[])[1 + i % 4],
              date '2026-01-01', date '2029-01-01', 1, 1,
              timestamptz '2026-01-01' + make_interval(mins => i / 3), now()
         FROM generate_series(1, 40) i`,
      [org.d, org.a, statuses],
    );
    await t.db.query(
      `INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
       SELECT m.id, p.org, 'signatory', p.k, '{}', now()
         FROM (SELECT id, row_number() OVER (ORDER BY title) n FROM memoranda) m
         CROSS JOIN LATERAL (VALUES (1, $1::uuid), (2, $2::uuid)) p(k, org)
        WHERE (p.k = 1 AND m.n % 2 = 0) OR (p.k = 2 AND m.n % 4 = 1)`,
      [org.b, org.c],
    );
    rows = (
      (await t.db.query(
        `SELECT m.id, m.title, m.purpose, m.status, m.coordinating_organisation_id AS "coordinatingOrganisationId",
                m.created_at AS "createdAt",
                array(SELECT organisation_id::text FROM memorandum_parties p WHERE p.memorandum_id = m.id) AS orgs
           FROM memoranda m`,
      )) as Array<Row & { createdAt: Date }>
    ).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    // The supervisor sees organisation c's memoranda and, by a memorandum scope, one of a's without c.
    scopedMemorandum = rows.find((r) => r.coordinatingOrganisationId === org.a && !r.orgs.includes(org.c))!.id;
    for (const body of [
      { supervisorUserId: supervisor.id, organisationId: org.c },
      { supervisorUserId: supervisor.id, memorandumId: scopedMemorandum },
    ])
      expect((await t.http().post('/supervision-scopes').set(admin.auth).send(body)).status).toBe(201);
  });
  afterAll(() => t?.close());

  const involves = (r: Row, o: string) => r.coordinatingOrganisationId === o || r.orgs.includes(o);
  const visibleTo: Record<string, (r: Row) => boolean> = {
    admin: () => true,
    coordinator: (r) => involves(r, org.a),
    representative: (r) => involves(r, org.b),
    supervisor: (r) => involves(r, org.d) || involves(r, org.c) || r.id === scopedMemorandum,
  };
  const callers = () => ({ admin, coordinator, representative, supervisor });

  const filters: Array<Record<string, string>> = [
    {},
    { status: 'active' },
    { status: 'in_review' },
    { organisationId: 'b' },
    { organisationId: 'c' },
    { q: 'жастар' },
    { q: 'жастар', status: 'draft' },
    { organisationId: 'c', status: 'expired' },
    { q: 'нет такого слова' },
  ];

  it.each(Object.keys(visibleTo))('%s: every filter, every page, matches the rule', async (who) => {
    const caller = callers()[who as keyof ReturnType<typeof callers>];
    for (const f of filters) {
      const query: Record<string, string> = { ...f };
      if (f.organisationId) query.organisationId = org[f.organisationId as 'b' | 'c'];
      const expected = rows
        .filter(visibleTo[who])
        .filter((r) => !query.organisationId || involves(r, query.organisationId))
        .filter((r) => !query.status || r.status === query.status)
        .filter(
          (r) =>
            !query.q || `${r.title}\n${r.purpose}`.toLocaleLowerCase('kk').includes(query.q.toLocaleLowerCase('kk')),
        )
        .sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? -1 : 1) : x.createdAt < y.createdAt ? 1 : -1))
        .map((r) => r.id);
      const pageSize = 7;
      const pages = Math.ceil(expected.length / pageSize) + 1;
      for (let page = 1; page <= pages; page++) {
        const res = await t
          .http()
          .get('/memoranda')
          .query({ ...query, page, pageSize })
          .set(caller.auth);
        expect(res.status).toBe(200);
        const context = `${who} ${JSON.stringify(f)} page ${page}`;
        expect({ context, total: res.body.total, page: res.body.page, pageSize: res.body.pageSize }).toEqual({
          context,
          total: expected.length,
          page,
          pageSize,
        });
        expect({ context, ids: (res.body.items as { id: string }[]).map((m) => m.id) }).toEqual({
          context,
          ids: expected.slice((page - 1) * pageSize, page * pageSize),
        });
      }
    }
  });

  it('a list item is the detail’s summary fields, dates as dates and instants as ISO text', async () => {
    const list = await t.http().get('/memoranda').query({ pageSize: 1 }).set(admin.auth);
    const [item] = list.body.items as Array<Record<string, unknown>>;
    const detail = (
      await t
        .http()
        .get(`/memoranda/${String(item.id)}`)
        .set(admin.auth)
    ).body as Record<string, unknown>;
    expect(Object.keys(item)).toEqual([
      'id',
      'title',
      'status',
      'amendmentStatus',
      'language',
      'timeZone',
      'effectiveDate',
      'endDate',
      'coordinatingOrganisationId',
      'version',
      'currentRevisionNumber',
      'executedRevisionNumber',
      'createdAt',
      'updatedAt',
    ]);
    for (const [k, v] of Object.entries(item)) expect({ k, v }).toEqual({ k, v: detail[k] });
    expect(item.effectiveDate).toBe('2026-01-01');
    expect(item.version).toBe(1);
  });
});
