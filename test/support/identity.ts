/** People and organisations for e2e tests, made through the real services and the real login. */
import {
  Actor,
  Language,
  OrganisationKind,
  OrganisationsService,
  Role,
  SupervisionScopeKind,
  SupervisionScopesService,
  UsersService,
} from '@kelisim/identity';
import { TestApp } from './test-app';

export const PASSWORD = 'Келісім-2021-Тараз';

export interface TestUser {
  id: string;
  email: string;
  organisationId: string;
  token: string;
  auth: { Authorization: string };
}

export async function createOrganisation(
  t: TestApp,
  name: string,
  kind: OrganisationKind = OrganisationKind.Other,
  language: Language = Language.Russian,
) {
  return t.app.get(OrganisationsService).create({ name, shortName: name.slice(0, 100), kind, language });
}

/** Creates a user directly through UsersService and logs them in through POST /auth/login. */
export async function createUser(
  t: TestApp,
  input: { fullName: string; email: string; organisationId: string; roles: Role[]; language?: Language },
): Promise<TestUser> {
  const user = await t.app
    .get(UsersService)
    .create({ ...input, password: PASSWORD, language: input.language ?? Language.Russian });
  const token = await login(t, input.email);
  return {
    id: user.id,
    email: user.email,
    organisationId: user.organisationId,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

export async function login(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await t.http().post('/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** An operator organisation with one admin, logged in. */
export async function createAdmin(t: TestApp): Promise<TestUser> {
  const org = await createOrganisation(t, 'Kelisim operator');
  return createUser(t, {
    fullName: 'Әкімші Админ',
    email: 'admin@kelisim.test',
    organisationId: org.id,
    roles: [Role.Admin],
  });
}

/**
 * Gives a supervisor the global scope (national supervision), as an admin would: a supervisor
 * without any scope sees nothing beyond their own organisation's memoranda.
 */
export async function superviseEverything(t: TestApp, supervisor: { id: string }): Promise<void> {
  await t.app
    .get(SupervisionScopesService)
    .create(
      { userId: supervisor.id } as Actor,
      { supervisorUserId: supervisor.id, kind: SupervisionScopeKind.Global },
      async () => false,
    );
}
