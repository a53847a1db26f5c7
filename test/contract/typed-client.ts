/**
 * A client generated from openapi.json (openapi-typescript → apps/web/src/api/schema.d.ts, used by
 * openapi-fetch), written as an integrator would: log in, draft, submit, approve, sign, list. It is
 * only type-checked (`npm run typecheck`): every answer used here must have a real type, and no
 * operation of the document may answer `never` on success (NeverSuccess below).
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../apps/web/src/api/schema';

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type SuccessStatus = 200 | 201 | 202 | 204;
type IsNever<T> = [T] extends [never] ? true : false;
/** The success bodies of an operation (`204` counts as a declared empty answer). */
type SuccessBody<Op> = Op extends { responses: infer R }
  ? {
      [S in Extract<keyof R, SuccessStatus>]: S extends 204
        ? 'empty'
        : R[S] extends { content: infer C }
          ? C[keyof C]
          : never;
    }[Extract<keyof R, SuccessStatus>]
  : never;
/** "METHOD path" of every operation whose success answer is untyped; must be none. */
export type NeverSuccess<P> = {
  [Path in keyof P]: {
    // Absent methods are `get?: never`, read as undefined.
    [M in Method]: M extends keyof P[Path]
      ? IsNever<Exclude<P[Path][M], undefined>> extends true
        ? never
        : IsNever<SuccessBody<Exclude<P[Path][M], undefined>>> extends true
          ? `${Uppercase<M>} ${Path & string}`
          : never
      : never;
  }[Method];
}[keyof P];

/** Fails to compile, naming the operations, when any success answer is `never`. */
const everyOperationTyped: IsNever<NeverSuccess<paths>> extends true ? true : NeverSuccess<paths> = true;

// The check itself can fail: an operation whose 200 has no content is reported.
type Broken = { '/broken': { get: { responses: { 200: { headers: Record<string, unknown> } } } } };
// @ts-expect-error NeverSuccess<Broken> is "GET /broken", not true
const brokenIsCaught: IsNever<NeverSuccess<Broken>> extends true ? true : NeverSuccess<Broken> = true;

export async function flow(
  baseUrl: string,
  coordinatingOrganisationId: string,
  partyOrganisationId: string,
): Promise<string[]> {
  const api = createClient<paths>({ baseUrl });

  const login = await api.POST('/auth/login', {
    body: { email: 'coordinator@kelisim.example.kz', password: 'correct horse battery staple' },
  });
  if (!login.data) throw new Error(`login: ${login.error?.code} ${login.error?.message}`);
  const token: string = login.data.token;
  const roles: string[] = login.data.user.roles;
  const auth = { headers: { Authorization: `Bearer ${token}` } };

  const created = await api.POST('/memoranda', {
    ...auth,
    body: {
      title: 'Меморандум о сотрудничестве',
      purpose: 'Бірлік',
      body: '…',
      language: 'ru',
      coordinatingOrganisationId,
    },
  });
  if (!created.data) throw new Error(`create: ${created.error?.code}`);
  const id: string = created.data.id;
  const version: number = created.data.version;

  const party = await api.POST('/memoranda/{id}/parties', {
    ...auth,
    params: { path: { id } },
    body: { organisationId: partyOrganisationId, role: 'signatory' },
  });
  const required: number | undefined = party.data?.requiredSignatures;

  const edited = await api.PATCH('/memoranda/{id}', {
    ...auth,
    params: { path: { id }, header: { 'If-Match': `"${version}"` } },
    body: { endDate: null },
  });
  if (edited.response.status === 412) throw new Error(`stale: now ${edited.error?.details?.etag}`);

  const submitted = await api.POST('/memoranda/{id}/submit', { ...auth, params: { path: { id } } });
  const hash: string | null = submitted.data?.currentRevision.hash ?? null;
  if (!hash) throw new Error('submit: no frozen revision');

  const approved = await api.POST('/memoranda/{id}/approvals', {
    ...auth,
    params: { path: { id } },
    body: { decision: 'approve', revisionHash: hash },
  });
  const status: string | undefined = approved.data?.memorandumStatus;

  await api.POST('/memoranda/{id}/open-signing', { ...auth, params: { path: { id } }, body: { mode: 'parallel' } });
  const signed = await api.POST('/memoranda/{id}/signatures', {
    ...auth,
    params: { path: { id } },
    body: { method: 'electronic', revisionHash: hash, typedName: 'Парида Мамедова', consent: true },
  });
  const signedAt: string | undefined = signed.data?.signedAt;

  const list = await api.GET('/memoranda', {
    ...auth,
    params: { query: { status: 'executed', page: 1, pageSize: 20 } },
  });
  const titles: string[] = (list.data?.items ?? []).map((m) => `${m.title} (${m.status}, v${m.version})`);
  const total: number | undefined = list.data?.total;

  const errors: (string | undefined)[] = [list.error?.errors?.[0]?.field, list.error?.requestId];
  return [
    token,
    String(roles),
    String(required),
    String(status),
    String(signedAt),
    String(total),
    ...titles,
    ...errors.map(String),
  ];
}

void everyOperationTyped;
void brokenIsCaught;
