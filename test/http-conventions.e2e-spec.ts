import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, PASSWORD, TestUser } from './support/identity';
import { schemaErrors, validateResponse } from './support/openapi-validator';
import { startTestApp, TestApp } from './support/test-app';

/** The HTTP conventions of docs/api.md, one by one, against the real app. */
describe('HTTP conventions', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let organisationId: string;

  beforeAll(async () => {
    // Failed logins are limited per client address; TRUST_PROXY lets the 429 case use an address of its own.
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '10', LOGIN_RATE_WINDOW_SECONDS: '420', TRUST_PROXY: 'true' } });
    admin = await createAdmin(t);
    organisationId = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    coordinator = await createUser(t, {
      fullName: 'Үйлестіруші',
      email: 'coordinator@conventions.test',
      organisationId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  const draft = async () => {
    const res = await t.http().post('/memoranda').set(coordinator.auth).send({
      title: 'Меморандум',
      purpose: 'Ынтымақтастық',
      body: 'Мәтін',
      language: 'kk',
      coordinatingOrganisationId: organisationId,
    });
    expect(res.status).toBe(201);
    return res;
  };

  it('answers a memorandum with ETag "<version>", takes it back in If-Match (and *): 412 when stale, 428 when missing', async () => {
    const created = await draft();
    const id = created.body.id as string;
    expect(created.headers.etag).toBe(`"${created.body.version}"`);
    const read = await t.http().get(`/memoranda/${id}`).set(coordinator.auth).expect(200);
    const etag = read.headers.etag;
    expect(etag).toBe(`"${read.body.version}"`);

    const edited = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', etag)
      .send({ title: 'Жаңа атау' })
      .expect(200);
    expect(edited.headers.etag).toBe(`"${read.body.version + 1}"`);
    expect(edited.body.title).toBe('Жаңа атау');

    const stale = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', etag)
      .send({ title: 'Ескі' })
      .expect(412);
    expect(stale.body).toMatchObject({
      code: 'precondition_failed',
      details: { currentVersion: read.body.version + 1, etag: edited.headers.etag },
    });
    const missing = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .send({ title: 'Нұсқасыз' })
      .expect(428);
    expect(missing.body.code).toBe('version_required');
    const malformed = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', 'yesterday')
      .send({ title: 'x' })
      .expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'If-Match', message: expect.stringContaining('ETag') }]);

    const any = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', '*')
      .send({ title: 'Кез келген' })
      .expect(200);
    expect(any.headers.etag).toBe(`"${read.body.version + 2}"`);
    const weak = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .set('If-Match', `W/${any.headers.etag}`)
      .send({ purpose: 'Әлсіз' })
      .expect(200);
    expect(weak.body.version).toBe(read.body.version + 3);
    expect((await t.http().get(`/memoranda/${id}`).set(coordinator.auth).expect(200)).body.title).toBe('Кез келген');
  });

  it('names what a 201 created in Location', async () => {
    const created = await draft();
    expect(created.headers.location).toBe(`/memoranda/${created.body.id}`);
    await t.http().get(created.headers.location).set(coordinator.auth).expect(200);
    const org = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .send({ name: 'Жас Ұлан', shortName: 'Zhas Ulan', kind: 'youth_organisation', language: 'kk' })
      .expect(201);
    expect(org.headers.location).toBe(`/organisations/${org.body.id}`);
    const party = await t
      .http()
      .post(`/memoranda/${created.body.id}/parties`)
      .set(coordinator.auth)
      .send({ organisationId: org.body.id, role: 'signatory' })
      .expect(201);
    expect(party.headers.location).toBe(`/memoranda/${created.body.id}`);
  });

  it('says when to retry a 429 in Retry-After', async () => {
    const email = 'throttled@conventions.test';
    await createUser(t, { fullName: 'Кіре алмаған', email, organisationId, roles: [Role.Coordinator] });
    const from = { 'X-Forwarded-For': '203.0.113.77' };
    for (let i = 0; i < 10; i++)
      await t.http().post('/auth/login').set(from).send({ email, password: 'wrong password!' }).expect(401);
    const locked = await t.http().post('/auth/login').set(from).send({ email, password: PASSWORD }).expect(429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(locked.headers['retry-after'])).toBe(locked.body.details.retryAfterSeconds);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(7 * 60);
  });

  it('answers 405 with Allow for a known path and a wrong method; 404 for an unknown path', async () => {
    const res = await t.http().put('/memoranda').set(coordinator.auth).send({}).expect(405);
    expect(res.body).toMatchObject({ statusCode: 405, code: 'method_not_allowed' });
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    const one = await t
      .http()
      .post(`/memoranda/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
      .set(coordinator.auth)
      .send({})
      .expect(405);
    expect(one.headers.allow).toBe('GET, HEAD, PATCH');
    await t.http().get('/nowhere').set(coordinator.auth).expect(404);
    await t.http().delete('/memoranda/x/nothing').set(coordinator.auth).expect(404);
  });

  it('puts the request id in every error body, malformed JSON included', async () => {
    const malformed = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.code).toBe('malformed_json');
    expect(malformed.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(malformed.headers['x-request-id']).toBe(malformed.body.requestId);

    const given = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('X-Request-Id', 'client-42')
      .set('Content-Type', 'application/json')
      .send('{')
      .expect(400);
    expect(given.body.requestId).toBe('client-42');
    for (const res of [
      await t.http().get('/memoranda').expect(401),
      await t.http().get('/nowhere').expect(404),
      await t.http().post('/organisations').set(admin.auth).send({ colour: 'blue' }).expect(400),
      await t.http().patch('/memoranda').set(admin.auth).send({}).expect(405),
    ]) {
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    }
  });

  it('refuses unknown query parameters on every list, as unknown body fields', async () => {
    const paginated = ['/memoranda', '/organisations', '/users', '/me/notifications'].map(
      (p) => `${p}?colour=blue&page=1`,
    );
    for (const path of [...paginated, '/me/tokens?colour=blue', '/webhooks?colour=blue']) {
      const res = await t.http().get(path).set(coordinator.auth);
      expect({ path, status: res.status, errors: res.body.errors }).toEqual({
        path,
        status: 400,
        errors: [{ field: 'colour', message: expect.any(String) }],
      });
    }
    await t.http().get('/me/notifications?unread=true&page=1').set(coordinator.auth).expect(200);
    const notPaginated = await t.http().get('/me/tokens?page=2').set(coordinator.auth).expect(400);
    expect(notPaginated.body.errors).toEqual([{ field: 'page', message: 'is not a known query parameter' }]);
  });

  it('refuses a form-encoded body with 415 where JSON is expected', async () => {
    const login = await t
      .http()
      .post('/auth/login')
      .type('form')
      .send({ email: 'admin@kelisim.test', password: PASSWORD })
      .expect(415);
    expect(login.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
    await t.http().post('/memoranda').set(coordinator.auth).type('form').send({ title: 'Форма' }).expect(415);
    await t.http().post('/memoranda').set(coordinator.auth).set('Content-Type', 'text/plain').send('title').expect(415);
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM memoranda WHERE title = 'Форма'`))[0].n)).toBe(0);
  });

  it('takes no body where the document declares none: nothing or {} passes, any field is 400', async () => {
    const { id } = (await draft()).body;
    const refused = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({ note: 'ready' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'note', message: 'is not a known field: this operation takes no body' },
    ]);
    const list = await t.http().post('/me/notifications/read-all').set(coordinator.auth).send([1]).expect(400);
    expect(list.body.errors).toEqual([{ field: 'body', message: 'this operation takes no body: send none or {}' }]);
    expect((await t.http().get(`/memoranda/${id}`).set(coordinator.auth).expect(200)).body.status).toBe('draft');
    await t.http().post('/me/notifications/read-all').set(coordinator.auth).send({}).expect(200);
    await t.http().post('/me/notifications/read-all').set(coordinator.auth).expect(200);
  });

  it('reads nullable references as strict OpenAPI 3.0 validators do, and the document types null so', async () => {
    const document = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    // What @nestjs/swagger writes for `ceremony: Ceremony | null`: a strict validator refuses null.
    const asEmitted = { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Ceremony' }] };
    expect(schemaErrors(asEmitted, null)).not.toEqual([]);
    expect(schemaErrors({ type: 'string', nullable: true, enum: ['a'] }, null)).not.toEqual([]);
    const memorandum = document.components.schemas.Memorandum.properties;
    for (const field of ['ceremony', 'pendingTermination', 'translations']) {
      expect({ field, errors: schemaErrors(memorandum[field], null) }).toEqual({ field, errors: [] });
      expect(schemaErrors(memorandum[field], 'text')).not.toEqual([]);
    }
    expect(schemaErrors(memorandum.signingMode, null)).toEqual([]);
    // Nowhere in the document does `nullable` stand beside allOf/$ref, or without a type.
    const loose: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.nullable === true && (n.allOf || n.$ref || typeof n.type !== 'string')) loose.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(document, '#');
    expect(loose).toEqual([]);
    // A draft has no ceremony, termination or translations: its nulls pass the strict check.
    const { id } = (await draft()).body;
    const read = await t.http().get(`/memoranda/${id}`).set(coordinator.auth).expect(200);
    expect([read.body.ceremony, read.body.pendingTermination, read.body.translations]).toEqual([null, null, null]);
  });

  it('sends no CORS headers by default; CORS_ORIGINS is an allow-list', async () => {
    const origin = 'https://app.example.kz';
    const closed = await t.http().get('/health').set('Origin', origin).expect(200);
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();

    const open = await startTestApp({ env: { CORS_ORIGINS: `${origin}, https://admin.example.kz` } });
    try {
      const preflight = await open
        .http()
        .options('/memoranda')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(preflight.headers['access-control-allow-headers']).toContain('If-Match');
      const read = await open.http().get('/health').set('Origin', origin).expect(200);
      expect(read.headers['access-control-allow-origin']).toBe(origin);
      expect(read.headers['access-control-expose-headers']).toContain('ETag');
      const other = await open.http().get('/health').set('Origin', 'https://evil.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  it('serves the committed openapi.json, and the answer check fails on what the document does not allow', async () => {
    const served = await t.http().get('/docs/json').expect(200);
    expect(served.body).toEqual(JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')));
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(served.body.info.version).toBe(version);

    const answer = (status: number, body: unknown) =>
      ({
        status,
        body,
        text: JSON.stringify(body),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }) as unknown as Response;
    const id = '3f1c1d2e-7a2b-4c3d-8e9f-0a1b2c3d4e5f';
    expect(() => validateResponse('get', `/memoranda/${id}`, answer(418, {}))).toThrow(/status 418 is not declared/);
    expect(() => validateResponse('get', '/health', answer(200, { status: 'fine' }))).toThrow(/does not match/);
    expect(() => validateResponse('get', `/memoranda/${id}/history/verify`, answer(200, { valid: 'yes' }))).toThrow(
      /does not match/,
    );
    expect(() => validateResponse('get', '/memoranda', answer(200, { items: [], total: 0, page: 1 }))).toThrow(
      /pageSize/,
    );
    expect(() => validateResponse('get', '/nowhere', answer(404, { statusCode: 404 }))).toThrow(/does not match/);
    expect(() => validateResponse('get', '/health', answer(200, { status: 'ok' }))).not.toThrow();
    const withBody = { ...answer(200, { status: 'ok' }), request: { _data: { x: 1 } } } as unknown as Response;
    expect(() => validateResponse('get', '/health', withBody)).toThrow(/declares no request body, yet accepted one/);
  });
});
