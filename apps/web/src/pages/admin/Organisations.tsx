import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, type Schemas, unwrap } from '../../api/client';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading, Pager, useFieldError } from '../../components/ui';
import { LANGUAGE_NAMES, LANGUAGES, useT, useTranslateDynamic } from '../../i18n';

export const KINDS = [
  'public_institution',
  'government_office',
  'youth_organisation',
  'university',
  'ngo',
  'media',
  'company',
  'other',
] as const;

const schema = z.object({
  name: z.string().trim().min(1, 'required').max(300, 'tooLong'),
  shortName: z.string().trim().min(1, 'required').max(100, 'tooLong'),
  kind: z.enum(KINDS),
  language: z.enum(LANGUAGES),
  bin: z.string().regex(/^(\d{12})?$/, 'bin'),
  email: z.string().trim().max(254, 'tooLong'),
});

/** The evidence seal's certificate: its fingerprint is what people compare a sealed file's with. */
function EvidenceSealPanel() {
  const t = useT();
  const seal = useQuery({
    queryKey: ['evidence-seal'],
    queryFn: async () =>
      (await unwrap(
        api.GET('/evidence/seal-certificate', { headers: { Accept: 'application/json' }, parseAs: 'json' }),
      )) as Schemas['EvidenceSealCertificate'],
    staleTime: Infinity,
  });
  if (!seal.data) return <ErrorNotice error={seal.error} />;
  return (
    <section aria-labelledby="evidence-seal">
      <h2 id="evidence-seal">{t('admin.sealTitle')}</h2>
      <p>{t('admin.sealExplain')}</p>
      <dl>
        <dt>{t('admin.sealSubject')}</dt>
        <dd>
          {seal.data.subject} ({t(`admin.sealSource_${seal.data.source}`)})
        </dd>
        <dt>{t('admin.sealFingerprint')}</dt>
        <dd>
          <code>{seal.data.fingerprint}</code>
        </dd>
      </dl>
      <a href="/evidence/seal-certificate" download="kelisim-evidence-seal.pem">
        {t('admin.sealDownload')}
      </a>
    </section>
  );
}

export function OrganisationsPage() {
  const t = useT();
  const td = useTranslateDynamic();
  const fe = useFieldError();
  const qc = useQueryClient();
  const search = useSearch({ from: '/signed-in/admin/organisations' });
  const navigate = useNavigate({ from: '/admin/organisations' });
  const list = useQuery({
    queryKey: ['organisations', search],
    queryFn: () =>
      unwrap(api.GET('/organisations', { params: { query: { q: search.q, page: search.page, pageSize: 20 } } })),
  });
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: { name: '', shortName: '', kind: 'ngo' as const, language: 'kk' as const, bin: '', email: '' },
  });
  const create = useMutation({
    mutationFn: (v: z.infer<typeof schema>) =>
      unwrap(api.POST('/organisations', { body: { ...v, bin: v.bin || undefined, email: v.email || undefined } })),
    onSuccess: () => {
      form.reset();
      void qc.invalidateQueries({ queryKey: ['organisations'] });
    },
  });
  const toggle = useMutation({
    mutationFn: (v: { id: string; active: boolean }) =>
      unwrap(api.PATCH('/organisations/{id}', { params: { path: { id: v.id } }, body: { active: v.active } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['organisations'] }),
  });
  const confirm = useConfirm();
  const err = form.formState.errors;
  return (
    <>
      <h1>{t('admin.organisations')}</h1>
      {confirm.dialog}
      <EvidenceSealPanel />
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
      <ErrorNotice error={list.error ?? toggle.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <caption className="visually-hidden">{t('admin.organisations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.kind')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <strong>{o.shortName}</strong> — {o.name}
                </td>
                <td>{td(`kind.${o.kind}`, o.kind)}</td>
                <td>{o.active ? t('admin.active') : t('admin.inactive')}</td>
                <td>
                  <button
                    type="button"
                    onClick={async () => {
                      const ok =
                        !o.active ||
                        (await confirm.ask({
                          title: t('confirm.deactivateOrganisationTitle', { name: o.shortName }),
                          consequence: t('confirm.deactivateOrganisation', { name: o.shortName }),
                          action: t('admin.deactivate'),
                        }));
                      if (ok) toggle.mutate({ id: o.id, active: !o.active });
                    }}
                  >
                    {o.active ? t('admin.deactivate') : t('admin.activate')}
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
      <section className="card" aria-labelledby="new-org">
        <h2 id="new-org">{t('admin.newOrganisation')}</h2>
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
          <div className="grid3">
            <Field label={t('admin.name')} id="o-name" error={fe(err.name?.message)}>
              <input id="o-name" {...form.register('name')} />
            </Field>
            <Field label={t('admin.shortName')} id="o-short" error={fe(err.shortName?.message)}>
              <input id="o-short" {...form.register('shortName')} />
            </Field>
            <Field label={t('admin.kind')} id="o-kind">
              <select id="o-kind" {...form.register('kind')}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {td(`kind.${k}`, k)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('profile.language')} id="o-lang">
              <select id="o-lang" {...form.register('language')}>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('admin.bin')} id="o-bin" error={fe(err.bin?.message)}>
              <input id="o-bin" inputMode="numeric" {...form.register('bin')} />
            </Field>
            <Field label={t('auth.email')} id="o-email" error={fe(err.email?.message)}>
              <input id="o-email" type="email" {...form.register('email')} />
            </Field>
          </div>
          <ErrorNotice error={create.error} />
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('admin.create')}
          </button>
        </form>
      </section>
    </>
  );
}
