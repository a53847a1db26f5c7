import { createAdmin, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

/** Bad input answers 4xx in the common error shape, names the problem, and writes nothing. */
describe('bad input', () => {
  let t: TestApp;
  let admin: TestUser;
  let organisationsBefore: number;
  const valid = { name: 'Жас Отан', shortName: 'Jas Otan', kind: 'youth_organisation', language: 'kk' };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  beforeEach(async () => {
    organisationsBefore = Number((await t.db.query('SELECT count(*) AS n FROM organisations'))[0].n);
  });
  afterEach(async () => {
    const after = Number((await t.db.query('SELECT count(*) AS n FROM organisations'))[0].n);
    expect(after).toBe(organisationsBefore);
  });
  afterAll(() => t?.close());

  const post = (body: string | object) => {
    const req = t.http().post('/organisations').set(admin.auth);
    return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body);
  };

  it('malformed JSON → 400 malformed_json', async () => {
    const res = await post('{"name": "Жас Отан",');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'malformed_json' });
  });

  it('wrong types → 400 naming each field', async () => {
    const res = await post({ ...valid, name: 42, language: ['kk'] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'language']));
  });

  it('unknown fields are refused, not dropped', async () => {
    const res = await post({ ...valid, colour: 'blue' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'colour', message: 'is not a known field' }]);
  });

  it('over-long strings → 400 with the limit', async () => {
    const res = await post({ ...valid, name: 'ә'.repeat(301) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'name', message: 'must be shorter than or equal to 300 characters' }]);
  });

  it('invalid e-mail → 400 naming email', async () => {
    const res = await post({ ...valid, email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'email', message: 'must be a valid e-mail address' }]);
  });

  it('invalid enum value → 400 listing the allowed values', async () => {
    const res = await post({ ...valid, kind: 'party' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'kind' });
    expect(res.body.errors[0].message).toContain('youth_organisation');
  });

  it('invalid UUID in the path → 400 naming the parameter', async () => {
    const res = await t.http().patch('/organisations/not-a-uuid').set(admin.auth).send({ name: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('body over 1 MB → 413', async () => {
    const res = await post({ ...valid, name: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
  });

  it('a user for an organisation that does not exist → 422 naming organisationId', async () => {
    const res = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .send({
        fullName: 'Серікбол Берікқожа',
        email: 's.b@example.kz',
        password: 'long-enough-password',
        roles: ['signatory'],
        language: 'kk',
        organisationId: '00000000-0000-4000-8000-000000000000',
      });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'organisationId', message: 'no such organisation' }]);
    expect(Number((await t.db.query('SELECT count(*) AS n FROM users'))[0].n)).toBe(1);
  });

  it('bad query parameters → 400 naming them', async () => {
    const res = await t.http().get('/organisations').set(admin.auth).query({ pageSize: 1000, page: 'first' });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['page', 'pageSize']);
  });

  it('an unknown route → 404 in the same shape', async () => {
    const res = await t.http().get('/nowhere').set(admin.auth);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'route_not_found' });
  });
});
