import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, unwrap } from '../../api/client';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading, Pager, useFieldError } from '../../components/ui';
import { useOrganisationName, useOrganisations } from '../../data';
import { LANGUAGE_NAMES, LANGUAGES, useT, useTranslateDynamic } from '../../i18n';

const ROLES = ['coordinator', 'party_representative', 'signatory', 'supervisor', 'admin'] as const;

const schema = z.object({
  fullName: z.string().trim().min(1, 'required').max(200, 'tooLong'),
  email: z.string().trim().email('email').max(254, 'tooLong'),
  password: z.string().min(10, 'passwordShort').max(200, 'tooLong'),
  organisationId: z.string().uuid('required'),
  roles: z.array(z.enum(ROLES)).min(1, 'rolesRequired'),
  language: z.enum(LANGUAGES),
  iin: z
    .string()
    .trim()
    .regex(/^(\d{12})?$/, 'iin'),
});
type UserPatch = { id: string; active?: boolean; roles?: (typeof ROLES)[number][]; iin?: string | null };

export function UsersPage() {
  const t = useT();
  const td = useTranslateDynamic();
  const fe = useFieldError();
  const qc = useQueryClient();
  const orgName = useOrganisationName();
  const orgs = useOrganisations();
  const confirm = useConfirm();
  const search = useSearch({ from: '/signed-in/admin/users' });
  const navigate = useNavigate({ from: '/admin/users' });
  const list = useQuery({
    queryKey: ['users', search],
    queryFn: () => unwrap(api.GET('/users', { params: { query: { q: search.q, page: search.page, pageSize: 20 } } })),
  });
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: {
      fullName: '',
      email: '',
      password: '',
      organisationId: '',
      roles: [],
      language: 'kk' as const,
      iin: '',
    },
  });
  const create = useMutation({
    mutationFn: (v: z.infer<typeof schema>) => unwrap(api.POST('/users', { body: { ...v, iin: v.iin || undefined } })),
    onSuccess: () => {
      form.reset();
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const update = useMutation({
    mutationFn: (v: UserPatch) =>
      unwrap(
        api.PATCH('/users/{id}', {
          params: { path: { id: v.id } },
          body: { active: v.active, roles: v.roles, iin: v.iin },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const err = form.formState.errors;
  return (
    <>
      <h1>{t('admin.users')}</h1>
      {confirm.dialog}
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
          void navigate({ search: { q: q || undefined, page: 1 } });
        }}
      >
        <label>
          {t('memoranda.search')}
          <input type="search" name="q" defaultValue={search.q} maxLength={100} />
        </label>
        <button type="submit">{t('memoranda.find')}</button>
      </form>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error ?? update.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <caption className="visually-hidden">{t('admin.users')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('profile.fullName')}</th>
              <th scope="col">{t('parties.organisation')}</th>
              <th scope="col">{t('admin.iin')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col">{t('admin.state')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.fullName}
                  <br />
                  <span className="muted small">{u.email}</span>
                </td>
                <td>{orgName(u.organisationId)}</td>
                <td>
                  <IinEditor
                    key={`${u.id}-${u.iin ?? ''}`}
                    name={u.fullName}
                    iin={u.iin ?? null}
                    pending={update.isPending}
                    onSave={(iin) => update.mutate({ id: u.id, iin })}
                  />
                </td>
                <td>
                  <fieldset className="roles">
                    <legend className="visually-hidden">{t('admin.rolesOf', { name: u.fullName })}</legend>
                    {ROLES.map((r) => (
                      <label key={r} className="check small">
                        <input
                          type="checkbox"
                          checked={u.roles.includes(r)}
                          onChange={async (e) => {
                            const granted = e.target.checked;
                            const roles = granted ? [...u.roles, r] : u.roles.filter((x) => x !== r);
                            if (!roles.length) return;
                            const values = { name: u.fullName, role: td(`role.${r}`, r) };
                            const ok = await confirm.ask({
                              title: t(granted ? 'confirm.grantRoleTitle' : 'confirm.revokeRoleTitle', values),
                              consequence: t(granted ? 'confirm.grantRole' : 'confirm.revokeRole', values),
                              action: t(granted ? 'confirm.grantRoleAction' : 'confirm.revokeRoleAction'),
                            });
                            if (ok) update.mutate({ id: u.id, roles: roles as (typeof ROLES)[number][] });
                          }}
                        />{' '}
                        {td(`role.${r}`, r)}
                      </label>
                    ))}
                  </fieldset>
                </td>
                <td>
                  {u.active ? t('admin.active') : t('admin.inactive')}{' '}
                  <button
                    type="button"
                    onClick={async () => {
                      const ok =
                        !u.active ||
                        (await confirm.ask({
                          title: t('confirm.deactivateUserTitle', { name: u.fullName }),
                          consequence: t('confirm.deactivateUser', { name: u.fullName }),
                          action: t('admin.deactivate'),
                        }));
                      if (ok) update.mutate({ id: u.id, active: !u.active });
                    }}
                  >
                    {u.active ? t('admin.deactivate') : t('admin.activate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && (
        <Pager
          page={search.page}
          pageSize={20}
          total={list.data.total}
          onPage={(p) => navigate({ search: { ...search, page: p } })}
        />
      )}
      <section className="card" aria-labelledby="new-user">
        <h2 id="new-user">{t('admin.newUser')}</h2>
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
          <div className="grid3">
            <Field label={t('profile.fullName')} id="u-name" error={fe(err.fullName?.message)}>
              <input id="u-name" {...form.register('fullName')} />
            </Field>
            <Field label={t('auth.email')} id="u-email" error={fe(err.email?.message)}>
              <input id="u-email" type="email" {...form.register('email')} />
            </Field>
            <Field label={t('auth.password')} id="u-password" error={fe(err.password?.message)}>
              <input id="u-password" type="password" autoComplete="new-password" {...form.register('password')} />
            </Field>
            <Field label={t('parties.organisation')} id="u-org" error={fe(err.organisationId?.message)}>
              <select id="u-org" {...form.register('organisationId')}>
                <option value="">{t('parties.choose')}</option>
                {orgs.data?.items.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.shortName}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('admin.iin')} id="u-iin" error={fe(err.iin?.message)}>
              <input id="u-iin" inputMode="numeric" maxLength={12} {...form.register('iin')} />
            </Field>
            <Field label={t('profile.language')} id="u-lang">
              <select id="u-lang" {...form.register('language')}>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <fieldset>
            <legend>{t('admin.roles')}</legend>
            {ROLES.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" value={r} {...form.register('roles')} /> {td(`role.${r}`, r)}
              </label>
            ))}
            {err.roles && <p className="field-error">{fe(err.roles.message)}</p>}
          </fieldset>
          <ErrorNotice error={create.error} />
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('admin.create')}
          </button>
        </form>
      </section>
    </>
  );
}

/**
 * A user's IIN (ИИН): what a digital signature's certificate must carry for this user to sign.
 * Empty clears it; the server checks the control digit.
 */
function IinEditor({
  name,
  iin,
  pending,
  onSave,
}: {
  name: string;
  iin: string | null;
  pending: boolean;
  onSave: (iin: string | null) => void;
}) {
  const t = useT();
  const [value, setValue] = useState(iin ?? '');
  const id = useId();
  return (
    <form
      className="iin"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value.trim() || null);
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t('admin.iinOf', { name })}
      </label>
      <input
        id={id}
        inputMode="numeric"
        maxLength={12}
        size={13}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />{' '}
      <button type="submit" disabled={pending || value.trim() === (iin ?? '')}>
        {t('admin.saveIin')}
      </button>
    </form>
  );
}
