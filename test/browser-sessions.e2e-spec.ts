/**
 * Browser sessions: POST /auth/session sets an HttpOnly SameSite=Lax cookie with the login token
 * and answers the CSRF token; with the cookie, reads need nothing more, state changes need the
 * X-CSRF-Token header and no foreign Origin; DELETE /auth/session revokes it. Both ways of signing
 * in share the limits on failed logins. The queue dashboard accepts the session of an admin. The web
 * interface is served under /app (SPA fallback, long cache for hashed assets) and / leads there.
 */
import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, PASSWORD, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

type Cookies = { session: string; csrf: string; header: string };

describe('browser sessions', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'p.m@kelisim.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  async function signIn(email: string): Promise<Cookies & { body: Record<string, unknown> }> {
    const res = await t.http().post('/auth/session').send({ email, password: PASSWORD }).expect(200);
    const set = res.headers['set-cookie'] as unknown as string[];
    const session = set.find((c) => c.startsWith('kelisim_session='))!;
    const csrf = set.find((c) => c.startsWith('kelisim_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i); // NODE_ENV=test: plain http on localhost
    expect(csrf).not.toMatch(/HttpOnly/i);
    const value = (c: string) => decodeURIComponent(c.split(';')[0].split('=').slice(1).join('='));
    expect(value(csrf)).toBe(res.body.csrfToken);
    return {
      session: value(session),
      csrf: value(csrf),
      header: `kelisim_session=${encodeURIComponent(value(session))}; kelisim_csrf=${res.body.csrfToken}`,
      body: res.body,
    };
  }

  it('signs in with a cookie; reads pass, state changes need the CSRF header and this origin', async () => {
    const c = await signIn(coordinator.email);
    expect(c.body).toMatchObject({ user: { email: coordinator.email, roles: ['coordinator'] } });
    expect(c.body).not.toHaveProperty('token');
    await t.http().get('/me').set('Cookie', c.header).expect(200);

    const body = { name: 'CRM' };
    const refused = await t.http().post('/me/tokens').set('Cookie', c.header).send(body).expect(403);
    expect(refused.body.code).toBe('csrf_failed');
    const wrong = await t.http().post('/me/tokens').set('Cookie', c.header).set('X-CSRF-Token', 'x').send(body);
    expect([wrong.status, wrong.body.code]).toEqual([403, 'csrf_failed']);
    const foreign = await t
      .http()
      .post('/me/tokens')
      .set('Cookie', c.header)
      .set('X-CSRF-Token', c.csrf)
      .set('Origin', 'https://evil.example')
      .send(body);
    expect([foreign.status, foreign.body.code]).toEqual([403, 'csrf_failed']);
    await t.http().post('/me/tokens').set('Cookie', c.header).set('X-CSRF-Token', c.csrf).send(body).expect(201);
    // The CSRF token of one session is worthless with another.
    const other = await signIn(coordinator.email);
    const mixed = await t.http().post('/me/tokens').set('Cookie', other.header).set('X-CSRF-Token', c.csrf).send(body);
    expect(mixed.status).toBe(403);
    // A bearer token needs no CSRF token (integrations), and wins over a cookie.
    await t.http().post('/me/tokens').set(coordinator.auth).send(body).expect(201);
  });

  it('sign-out revokes the session and clears the cookies', async () => {
    const c = await signIn(coordinator.email);
    const refused = await t.http().delete('/auth/session').set('Cookie', c.header);
    expect([refused.status, refused.body.code]).toEqual([403, 'csrf_failed']);
    const out = await t.http().delete('/auth/session').set('Cookie', c.header).set('X-CSRF-Token', c.csrf).expect(204);
    expect((out.headers['set-cookie'] as unknown as string[]).join(';')).toMatch(/kelisim_session=;/);
    const after = await t.http().get('/me').set('Cookie', c.header).expect(401);
    expect(after.body.code).toBe('invalid_token');
  });

  it('PATCH /me changes the language and time zone, and refuses an unknown zone naming the field', async () => {
    const c = await signIn(coordinator.email);
    const res = await t
      .http()
      .patch('/me')
      .set('Cookie', c.header)
      .set('X-CSRF-Token', c.csrf)
      .send({ language: 'kk', timeZone: 'Asia/Almaty' })
      .expect(200);
    expect(res.body).toMatchObject({ language: 'kk', timeZone: 'Asia/Almaty', email: coordinator.email });
    const bad = await t.http().patch('/me').set(coordinator.auth).send({ timeZone: 'Asia/Taraz' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid_time_zone');
    const roles = await t
      .http()
      .patch('/me')
      .set(coordinator.auth)
      .send({ roles: ['admin'] });
    expect(roles.status).toBe(400);
    await t.http().patch('/me').set(coordinator.auth).send({ timeZone: null }).expect(200);
  });

  it('the queue dashboard accepts an admin session, and refuses a coordinator session', async () => {
    const a = await signIn(admin.email);
    const ok = await t.http().get('/admin/queues').set('Cookie', a.header);
    expect(ok.status).toBe(200);
    const c = await signIn(coordinator.email);
    const refused = await t.http().get('/admin/queues').set('Cookie', c.header);
    expect([refused.status, refused.body.code]).toEqual([403, 'missing_role']);
    const none = await t.http().get('/admin/queues');
    expect(none.status).toBe(401);
  });

  it('/ leads to /app/, which serves the web interface (or says how to build it)', async () => {
    const root = await t.http().get('/').expect(302);
    expect(root.headers.location).toBe('/app/');
    const app = await t.http().get('/app/memoranda/whatever');
    expect([200, 503]).toContain(app.status);
    expect(app.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    if (app.status === 200) {
      expect(app.text).toMatch(/<div id="root">/);
      const asset = /src="(\/app\/assets\/[^"]+\.js)"/.exec(app.text)![1];
      const js = await t.http().get(asset).set('Accept-Encoding', 'identity').expect(200);
      expect(js.headers['cache-control']).toMatch(/immutable/);
      expect(js.headers['content-encoding']).toBeUndefined();
      // Served precompressed to a browser that accepts it: the same bytes once decoded. Raw HTTP:
      // supertest would decode the answer itself.
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await rawGet(t.app.getHttpServer() as Server, asset, {
          'accept-encoding': `${encoding}, identity;q=0.5`,
        });
        expect(packed.status).toBe(200);
        expect([packed.headers['content-encoding'], packed.headers.vary]).toEqual([encoding, 'Accept-Encoding']);
        expect(packed.headers['content-type']).toMatch(/javascript/);
        expect(packed.headers['cache-control']).toMatch(/immutable/);
        expect(decode(packed.body).toString('utf8')).toBe(js.text);
        expect(packed.body.length).toBeLessThan(Buffer.byteLength(js.text) / 2);
      }
      await t.http().get('/app/assets/missing.js').expect(404);
    }
    // The API's own paths are untouched.
    await t.http().get('/health').expect(200);
  });
});

describe('browser sessions share the limits on failed logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '120' } });
  });
  afterAll(() => t?.close());

  it('failures through POST /auth/login and POST /auth/session count together', async () => {
    const wrong = { email: 'nobody@kelisim.test', password: 'wrong-password' };
    expect((await t.http().post('/auth/login').send(wrong)).status).toBe(401);
    expect((await t.http().post('/auth/session').send(wrong)).status).toBe(401);
    expect((await t.http().post('/auth/login').send(wrong)).status).toBe(401);
    const fourth = await t.http().post('/auth/session').send(wrong);
    expect([fourth.status, fourth.body.code]).toEqual([429, 'login_throttled']);
    expect((await t.http().post('/auth/login').send(wrong)).status).toBe(429);
  });
});

/** A GET on the test app's own server, answered as sent (no decoding of Content-Encoding). */
async function rawGet(
  server: Server,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
