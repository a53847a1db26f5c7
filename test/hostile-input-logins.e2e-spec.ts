/**
 * Hostile input beyond test/hostile-input, generated from the routes' metadata as well:
 *
 * - `null` in every field (nested ones and list items included) of every body of every
 *   state-changing route: 400 naming the field, unless the field is documented as nullable
 *   (`null` clears it). class-validator's @IsOptional() lets `null` through, and a PATCH then
 *   wrote it, or kept the old value and made an unchanged version;
 * - a body that is not valid UTF-8, on every route that takes a body: 400 naming the problem,
 *   never a silent U+FFFD;
 * - on a sample of routes (JSON, errors, /docs, the web interface): nosniff and frame protection.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { Role } from '@kelisim/identity';
import { bodyDto, validBody } from './support/hostile-cases';
import { createOrganisation, createUser, PASSWORD, TestUser } from './support/identity';
import { listRoutes, RouteInfo } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

type Ctor = new (...args: unknown[]) => unknown;
/** Where @nestjs/swagger keeps @ApiProperty() options (DECORATORS.API_MODEL_PROPERTIES, not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
// class-transformer keeps its @Type() metadata here and exports no typed path to it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadata;
};

/** Every field of a body DTO — objects and lists too, and the fields of their items — with whether the API documents it as nullable. */
function nullableFields(dto: Ctor, prefix = ''): Array<{ path: string; nullable: boolean }> {
  const out: Array<{ path: string; nullable: boolean }> = [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  for (const field of [...new Set(metadata.map((m) => m.propertyName))]) {
    const path = prefix ? `${prefix}.${field}` : field;
    const documented = Reflect.getMetadata(API_MODEL_PROPERTIES, dto.prototype, field) ?? {};
    out.push({ path, nullable: documented.nullable === true });
    const mine = metadata.filter((m) => m.propertyName === field);
    if (!mine.some((m) => m.type === 'nestedValidation')) continue;
    const nested = defaultMetadataStorage.findTypeMetadata(dto, field)?.typeFunction() as Ctor | undefined;
    if (nested) out.push(...nullableFields(nested, mine.some((m) => m.name === 'isArray') ? `${path}[0]` : path));
  }
  return out;
}

/** A request with exactly these bytes as its body (supertest would serialise a Buffer as JSON). */
async function rawSend(
  server: Server,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function withNull(body: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = null;
  return copy;
}

describe('hostile input: null fields, invalid UTF-8, security headers', () => {
  let t: TestApp;
  let actor: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    const party = await createOrganisation(t, 'Жас Отан');
    // Every role, so that the access guard lets each case through to validation.
    actor = await createUser(t, {
      fullName: 'Барлық Рөл',
      email: 'all.roles@kelisim.test',
      organisationId: org.id,
      roles: [Role.Admin, Role.Coordinator, Role.PartyRepresentative, Role.Signatory, Role.Supervisor],
    });
    const memo = await t
      .http()
      .post('/memoranda')
      .set(actor.auth)
      .send({ title: 'Hostile', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: org.id });
    await t
      .http()
      .post(`/memoranda/${memo.body.id}/parties`)
      .set(actor.auth)
      .send({ organisationId: party.id, role: 'signatory' })
      .expect(201);
    const template = await t
      .http()
      .post('/templates')
      .set(actor.auth)
      .send({ name: 'Hostile', language: 'kk', texts: { kk: { title: 't', purpose: 'p', body: 'b' } } })
      .expect(201);
    // A case that gets through (a nullable field) applies the rest of its valid body: a password change
    // there must not revoke the actor's own token.
    const target = await createUser(t, {
      fullName: 'Мақсат',
      email: 'target@kelisim.test',
      organisationId: party.id,
      roles: [Role.Signatory],
    });
    Object.assign(ids, {
      memoranda: memo.body.id,
      organisations: party.id,
      users: target.id,
      parties: party.id,
      templates: template.body.id,
    });
  });
  afterAll(() => t?.close());

  const fill = (path: string) =>
    path
      .split('/')
      .map((seg, i, all) => (seg.startsWith(':') ? (ids[all[i - 1]] ?? randomUUID()) : seg))
      .join('/');

  const withBody = () =>
    listRoutes(t)
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => ({ route: r, dto: bodyDto(r) }))
      .filter((r): r is { route: RouteInfo; dto: Ctor } => r.dto !== null);

  const send = (route: RouteInfo, body: string) =>
    t
      .http()
      [route.method.toLowerCase() as 'post'](fill(route.path))
      .set(actor.auth)
      .set('Content-Type', 'application/json')
      .send(body);

  it('PATCH /templates/{id} with {"name": null} → 400 naming name, and no new version', async () => {
    const res = await t.http().patch(`/templates/${ids.templates}`).set(actor.auth).send({ name: null });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'name' }));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM template_versions WHERE template_id = $1`, [
      ids.templates,
    ]);
    expect(n).toBe(1);
  });

  it('null in every field of every body: 400 naming the field unless documented nullable (then never a 500)', async () => {
    const routes = withBody();
    expect(routes.filter((r) => r.route.method === 'PATCH').length).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    let count = 0;
    for (const { route, dto } of routes) {
      const base = validBody(dto);
      for (const field of nullableFields(dto)) {
        count++;
        const res = await send(route, JSON.stringify(withNull(base, field.path)));
        if (field.nullable) {
          // Documented: null clears it. Whatever else the case meets (a stale version, a missing party), never a 500.
          if (res.status >= 500) failures.push(`${route.method} ${route.path} [${field.path}: null] → ${res.status}`);
          continue;
        }
        const named = (res.body.errors ?? []).some(
          (e: { field: string }) => e.field === field.path || field.path.startsWith(`${e.field}[`),
        );
        if (res.status !== 400 || res.body.code !== 'validation_failed' || !named)
          failures.push(
            `${route.method} ${route.path} [${field.path}: null] → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
          );
      }
    }
    console.log(`hostile-input-logins: ${count} null cases on ${routes.length} routes with a body`);
    expect(failures).toEqual([]);
  });

  /** Bytes that no UTF-8 decoder may accept, each where a string value of the body goes. */
  const INVALID_UTF8: Record<string, number[]> = {
    'a Latin-1 byte': [0xe9],
    'a lone continuation byte': [0x80],
    'a truncated sequence': [0xd0],
    'an overlong "/"': [0xc0, 0xaf],
    'an encoded surrogate': [0xed, 0xa0, 0x80],
    'a code point above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  };

  /** The body as bytes, with `bytes` in place of the first string value (or as a field of its own). */
  function invalidBody(base: Record<string, unknown>, bytes: number[]): Buffer {
    const json = JSON.stringify(base);
    const marker = json.match(/:"([^"\\]*)"/);
    const [head, tail] = marker
      ? [json.slice(0, marker.index! + 2), json.slice(marker.index! + 2 + marker[1].length)]
      : ['{"x":"', '"}'];
    return Buffer.concat([Buffer.from(head), Buffer.from('Келісім '), Buffer.from(bytes), Buffer.from(tail)]);
  }

  async function checksum(): Promise<string> {
    const tables: Array<{ name: string }> = await t.db.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'auth_tokens' ORDER BY 1`,
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const [r] = await t.db.query(
        `SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS d FROM "${name}" x`,
      );
      parts.push(`${name}:${r.d}`);
    }
    return parts.join(' ');
  }

  it('a body that is not valid UTF-8, on every route that takes one → 400 invalid_encoding, nothing written', async () => {
    const routes = withBody();
    const failures: string[] = [];
    let count = 0;
    const before = await checksum();
    for (const { route, dto } of routes) {
      for (const [name, bytes] of Object.entries(INVALID_UTF8)) {
        count++;
        const res = await rawSend(
          t.app.getHttpServer(),
          route.method,
          fill(route.path),
          { ...actor.auth, 'Content-Type': 'application/json' },
          invalidBody(validBody(dto), bytes),
        );
        if (res.status !== 400 || res.body.code !== 'invalid_encoding' || !/UTF-8/.test(String(res.body.message)))
          failures.push(
            `${route.method} ${route.path} [${name}] → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
          );
      }
    }
    // And on the public sign-in.
    for (const path of ['/auth/login', '/auth/session']) {
      count++;
      const res = await rawSend(
        t.app.getHttpServer(),
        'POST',
        path,
        { 'Content-Type': 'application/json' },
        Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xff]), Buffer.from('@x.kz","password":"p"}')]),
      );
      if (res.status !== 400 || res.body.code !== 'invalid_encoding') failures.push(`POST ${path} → ${res.status}`);
    }
    console.log(`hostile-input-logins: ${count} invalid UTF-8 cases on ${routes.length + 2} routes`);
    expect(failures).toEqual([]);
    expect(await checksum()).toBe(before);
  });

  it('the invalid-UTF-8 answer says where: the offset of the first bad byte', async () => {
    const res = await rawSend(
      t.app.getHttpServer(),
      'PATCH',
      '/me',
      { ...actor.auth, 'Content-Type': 'application/json' },
      Buffer.concat([Buffer.from('{"fullName":"Ә'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_encoding', message: 'Request body is not valid UTF-8 (byte 15)' });
  });

  it('valid UTF-8 still passes: Kazakh, emoji, a BOM-less body', async () => {
    const res = await t.http().patch('/me').set(actor.auth).send({ fullName: 'Барлық Рөл 🇰🇿 Әәғқңөұүһі' });
    expect(res.status).toBe(200);
    expect(res.body.fullName).toBe('Барлық Рөл 🇰🇿 Әәғқңөұүһі');
  });

  describe('security headers', () => {
    const expectProtected = (res: { headers: Record<string, string> }, what: string) => {
      expect({ what, nosniff: res.headers['x-content-type-options'], frame: res.headers['x-frame-options'] }).toEqual({
        what,
        nosniff: 'nosniff',
        frame: 'DENY',
      });
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    };

    it('nosniff and frame protection on API JSON, errors, /docs and the web interface', async () => {
      expectProtected(await t.http().get('/me').set(actor.auth).expect(200), 'GET /me');
      expectProtected(await t.http().get(`/memoranda/${ids.memoranda}`).set(actor.auth).expect(200), 'a memorandum');
      expectProtected(await t.http().get('/memoranda').expect(401), '401');
      expectProtected(await t.http().get('/nowhere').set(actor.auth).expect(404), '404');
      expectProtected(
        await t.http().post('/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400),
        'malformed JSON',
      );
      expectProtected(await t.http().get('/health/live'), '/health/live');
      expectProtected(await t.http().get('/docs/').expect(200), '/docs');
      expectProtected(await t.http().get('/docs/json').expect(200), '/docs/json');
      const app = await t.http().get('/app/');
      expectProtected(app, '/app');
      // The web interface keeps its own, fuller policy.
      expect(app.headers['content-security-policy']).toMatch(/default-src 'self'/);
    });
  });
});

describe('the session cookie is Secure exactly when the browser came over HTTPS', () => {
  let t: TestApp;
  let email: string;

  beforeAll(async () => {
    // The test's requests come from loopback, standing for a TLS-terminating proxy.
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    const org = await createOrganisation(t, 'Жас Отан');
    email = (
      await createUser(t, {
        fullName: 'Айгүл',
        email: 'cookie@jasotan.test',
        organisationId: org.id,
        roles: [Role.Signatory],
      })
    ).email;
  });
  afterAll(() => t?.close());

  const cookies = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie'] ?? []].flat() as string[];

  it('behind a trusted proxy with X-Forwarded-Proto: https → Secure on both cookies, and on their clearing', async () => {
    const res = await t
      .http()
      .post('/auth/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ email, password: PASSWORD })
      .expect(200);
    expect(cookies(res).map((c) => [c.split('=')[0], /;\s*Secure/i.test(c)])).toEqual([
      ['kelisim_session', true],
      ['kelisim_csrf', true],
    ]);
    const session = cookies(res)
      .map((c) => c.split(';')[0])
      .join('; ');
    const out = await t
      .http()
      .delete('/auth/session')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', session)
      .set('X-CSRF-Token', res.body.csrfToken)
      .expect(204);
    expect(cookies(out).every((c) => /;\s*Secure/i.test(c))).toBe(true);
  });

  it('plain http → not Secure (a browser would drop a Secure cookie set over http)', async () => {
    const res = await t.http().post('/auth/session').send({ email, password: PASSWORD }).expect(200);
    expect(cookies(res).some((c) => /;\s*Secure/i.test(c))).toBe(false);
  });
});

describe('in production, over plain http or from an untrusted peer, the cookie is not Secure', () => {
  let t: TestApp;
  beforeAll(async () => {
    // NODE_ENV no longer decides: an http-only intranet in production must still be able to sign in.
    t = await startTestApp({ env: { TRUST_PROXY: 'false', NODE_ENV: 'production' } });
    const org = await createOrganisation(t, 'Жас Отан');
    await createUser(t, {
      fullName: 'Айгүл',
      email: 'cookie@jasotan.test',
      organisationId: org.id,
      roles: [Role.Signatory],
    });
  });
  afterAll(() => t?.close());

  it('plain http with NODE_ENV=production → not Secure', async () => {
    const res = await t
      .http()
      .post('/auth/session')
      .send({ email: 'cookie@jasotan.test', password: PASSWORD })
      .expect(200);
    expect([res.headers['set-cookie']].flat().some((c) => /;\s*Secure/i.test(String(c)))).toBe(false);
  });

  it('without TRUST_PROXY, X-Forwarded-Proto: https does not make the cookie Secure', async () => {
    const res = await t
      .http()
      .post('/auth/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: 'cookie@jasotan.test', password: PASSWORD })
      .expect(200);
    expect([res.headers['set-cookie']].flat().some((c) => /;\s*Secure/i.test(String(c)))).toBe(false);
  });
});
