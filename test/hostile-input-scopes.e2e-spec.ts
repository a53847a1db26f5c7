/**
 * Hostile input and authorisation around supervision scopes (deny by default): scope bodies whose
 * kind and ids do not fit are refused naming the field and write nothing; what a supervisor may
 * not see answers exactly as an id that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('hostile input: supervision scopes', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let coordinator: TestUser;
  let unscoped: TestUser;
  let elsewhere: TestUser;
  let inScope: TestUser;
  let memorandumId: string;
  let partyId: string;
  const scopeCount = async () => (await t.db.query('SELECT count(*)::int AS n FROM supervision_scopes'))[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    const office = await createOrganisation(t, 'Oversight office');
    const coordinating = await createOrganisation(t, 'Қоғамдық келісім');
    const party = await createOrganisation(t, 'Жас Отан');
    const unrelated = await createOrganisation(t, 'Unrelated');
    partyId = party.id;
    const sup = (email: string) =>
      createUser(t, { fullName: email, email, organisationId: office.id, roles: [Role.Supervisor] });
    supervisor = await sup('fresh@oversight.kz');
    unscoped = await sup('unscoped@oversight.kz');
    elsewhere = await sup('elsewhere@oversight.kz');
    inScope = await sup('in-scope@oversight.kz');
    coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'coordinator@kelisim.kz',
      organisationId: coordinating.id,
      roles: [Role.Coordinator],
    });
    const memo = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: 'Scopes', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: coordinating.id })
      .expect(201);
    memorandumId = memo.body.id;
    await t
      .http()
      .post(`/memoranda/${memorandumId}/parties`)
      .set(coordinator.auth)
      .send({ organisationId: party.id, role: 'signatory' })
      .expect(201);
    for (const [who, organisationId] of [
      [elsewhere, unrelated.id],
      [inScope, coordinating.id],
    ] as const)
      await t
        .http()
        .post('/supervision-scopes')
        .set(admin.auth)
        .send({ supervisorUserId: who.id, organisationId })
        .expect(201);
  });
  afterAll(() => t?.close());

  describe('POST /supervision-scopes: kind and ids must fit, or 4xx naming the field and nothing written', () => {
    const org = () => ({ organisationId: partyId });
    const cases: Array<[string, () => Record<string, unknown>, number, string]> = [
      ['global with an organisation', () => ({ kind: 'global', ...org() }), 422, 'organisationId'],
      ['global with a memorandum', () => ({ kind: 'global', memorandumId }), 422, 'memorandumId'],
      ['organisation without its id', () => ({ kind: 'organisation' }), 422, 'organisationId'],
      ['memorandum without its id', () => ({ kind: 'memorandum' }), 422, 'memorandumId'],
      [
        'memorandum with an organisation',
        () => ({ kind: 'memorandum', memorandumId, ...org() }),
        422,
        'organisationId',
      ],
      ['organisation with a memorandum', () => ({ kind: 'organisation', memorandumId, ...org() }), 422, 'memorandumId'],
      ['no kind and no id', () => ({}), 422, 'kind'],
      ['a null kind and no id (null is refused where a field is not nullable)', () => ({ kind: null }), 400, 'kind'],
      ['both ids, no kind', () => ({ memorandumId, ...org() }), 422, 'memorandumId'],
      ['an unknown kind', () => ({ kind: 'everything' }), 400, 'kind'],
      ['a kind with a trailing space', () => ({ kind: 'global ' }), 400, 'kind'],
      ['a kind in an array', () => ({ kind: ['global'] }), 400, 'kind'],
      ['a kind as a number', () => ({ kind: 1 }), 400, 'kind'],
      ['a kind with NUL', () => ({ kind: 'glo\u0000bal' }), 400, 'kind'],
    ];
    it.each(cases)('%s', async (_, body, status, field) => {
      const before = await scopeCount();
      const res = await t
        .http()
        .post('/supervision-scopes')
        .set(admin.auth)
        .send({ supervisorUserId: supervisor.id, ...body() });
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await scopeCount()).toBe(before);
    });

    it('a global scope: once per supervisor (409 the second time), never for another role (422)', async () => {
      const send = (body: object) => t.http().post('/supervision-scopes').set(admin.auth).send(body);
      const made = await send({ supervisorUserId: supervisor.id, kind: 'global' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ kind: 'global', organisationId: null, memorandumId: null });
      const before = await scopeCount();
      expect((await send({ supervisorUserId: supervisor.id, kind: 'global' })).body.code).toBe('scope_exists');
      const other = await send({ supervisorUserId: coordinator.id, kind: 'global' });
      expect([other.status, other.body.errors]).toEqual([
        422,
        [{ field: 'supervisorUserId', message: 'is not a supervisor' }],
      ]);
      expect(await scopeCount()).toBe(before);
      // And the supervisor it was given to sees the memorandum; the one without a scope does not.
      expect((await t.http().get(`/memoranda/${memorandumId}`).set(supervisor.auth)).status).toBe(200);
      expect((await t.http().get(`/memoranda/${memorandumId}`).set(unscoped.auth)).status).toBe(404);
    });
  });

  describe('what a supervisor may not see answers as an id that does not exist', () => {
    /** The answer without the id it names. */
    const shape = (res: { status: number; body: { code: string; message: string } }, id: string) => ({
      status: res.status,
      code: res.body.code,
      message: res.body.message.replace(id, '{id}'),
    });
    const reads: Array<[string, () => string, (id: string) => string]> = [
      ['reminder policies', () => memorandumId, (id) => `/memoranda/${id}/reminder-policies`],
      ['the memorandum', () => memorandumId, (id) => `/memoranda/${id}`],
      ['its commitments', () => memorandumId, (id) => `/memoranda/${id}/commitments`],
      ['its CSV', () => memorandumId, (id) => `/memoranda/${id}/commitments.csv`],
      ['its timeline', () => memorandumId, (id) => `/dashboard/memoranda/${id}/timeline`],
      ['a party’s scorecard', () => partyId, (id) => `/dashboard/organisations/${id}`],
    ];
    const who = () => ({ 'a supervisor without a scope': unscoped, 'a supervisor scoped elsewhere': elsewhere });
    for (const [what, real, path] of reads)
      for (const name of ['a supervisor without a scope', 'a supervisor scoped elsewhere'] as const)
        it(`${what}, for ${name}: 404 as for a random id; 200 inside the scope`, async () => {
          const u = who()[name];
          const random = randomUUID();
          const hidden = await t.http().get(path(real())).set(u.auth);
          const absent = await t.http().get(path(random)).set(u.auth);
          expect(shape(hidden, real())).toEqual(shape(absent, random));
          expect(hidden.status).toBe(404);
          expect((await t.http().get(path(real())).set(inScope.auth)).status).toBe(200);
        });

    it('an organisation’s calendar feed: 404 outside the scopes as for a random id, 200 inside and for the global scope', async () => {
      const feed = async (u: TestUser, organisationId: string) => {
        const made = await t.http().post('/me/feed-tokens').set(u.auth).send({ name: 'Outlook' }).expect(201);
        return t.http().get(`/organisations/${organisationId}/calendar.ics`).query({ token: made.body.token });
      };
      const random = randomUUID();
      for (const u of [unscoped, elsewhere]) {
        const hidden = await feed(u, partyId);
        expect(shape(hidden, partyId)).toEqual(shape(await feed(u, random), random));
        expect(hidden.status).toBe(404);
      }
      expect((await feed(inScope, partyId)).status).toBe(200);
      expect((await feed(supervisor, partyId)).status).toBe(200);
      expect((await feed(admin, partyId)).status).toBe(200);
    });
  });
});
