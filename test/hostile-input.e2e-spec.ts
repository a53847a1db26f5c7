/**
 * The standing hostile-input suite: for every state-changing route of the app (found from Nest's
 * metadata, so a new route is covered without writing its cases), each string field with NUL, a
 * lone surrogate and 1 MB; each integer field with 2^31, -1 and 1e20; each date with year 0 and
 * 9999; and the body nested 1,500 deep. Each must be refused by validation — 400 naming the field
 * (413 for the 1 MB bodies) — and write nothing (a checksum of every table before and after).
 */
import { randomUUID } from 'node:crypto';
import { Role } from '@kelisim/identity';
import { bodyDto, hostileCases } from './support/hostile-cases';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { listRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

describe('hostile input on every state-changing route', () => {
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
    const hook = await t
      .http()
      .post('/webhooks')
      .set(actor.auth)
      .send({ url: 'http://127.0.0.1:9/hook', events: ['*'] });
    const token = await t.http().post('/me/tokens').set(actor.auth).send({ name: 'CRM' });
    Object.assign(ids, {
      memoranda: memo.body.id,
      organisations: org.id,
      users: actor.id,
      webhooks: hook.body.id,
      tokens: token.body.id,
      parties: party.id,
    });
  });
  afterAll(() => t?.close());

  /** Fills `:param` with a real id of the resource named before it, so that a case that got through would act on something. */
  const fill = (path: string) =>
    path
      .split('/')
      .map((seg, i, all) => (seg.startsWith(':') ? (ids[all[i - 1]] ?? randomUUID()) : seg))
      .join('/');

  /** Row count and content digest of every table (auth_tokens without last_used_at, which reads may touch). */
  async function checksum(): Promise<Record<string, string>> {
    const tables: Array<{ name: string }> = await t.db.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const row = name === 'auth_tokens' ? `(x.id, x.revoked_at, x.expires_at)::text` : 'x::text';
      const [r] = await t.db.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS d FROM "${name}" x`,
      );
      out[name] = `${r.n}:${r.d}`;
    }
    return out;
  }

  it('every case answers 400 naming the field (413 for 1 MB), and nothing is written', async () => {
    const routes = listRoutes(t).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let count = 0;
    for (const route of routes) {
      const url = fill(route.path);
      const before = await checksum();
      for (const c of hostileCases(bodyDto(route))) {
        count++;
        const res = await t
          .http()
          [route.method.toLowerCase() as 'post'](url)
          .set(actor.auth)
          .set('Content-Type', 'application/json')
          .send(c.json);
        // Refused by validation, naming the field (not merely by PostgreSQL's data-error fallback); 1 MB: the body limit.
        const named =
          res.body.code === 'validation_failed' &&
          (res.body.errors ?? [])
            // A rule on each item of a list names the list.
            .some((e: { field: string }) => e.field === c.field || (!!c.field && c.field.startsWith(`${e.field}[`)));
        const ok = c.field
          ? res.status === 400 && named
          : res.status === 413 || (res.status === 400 && res.body.code === 'validation_failed');
        if (!ok)
          failures.push(
            `${route.method} ${route.path} [${c.name}] → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
      }
      const after = await checksum();
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      if (changed.length) failures.push(`${route.method} ${route.path} wrote to ${changed.join(', ')}`);
    }
    console.log(`hostile-input suite: ${count} cases on ${routes.length} state-changing routes`);
    expect(failures).toEqual([]);
  });
});
