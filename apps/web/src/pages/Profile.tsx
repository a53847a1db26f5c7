import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, unwrap } from '../api/client';
import { ChangePasswordForm } from '../components/ChangePassword';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field, Hash, useFieldError } from '../components/ui';
import { LANGUAGE_NAMES, LANGUAGES, useFormat, useLocale, useT } from '../i18n';
import { hasRole, ME_KEY, useMe } from '../session';

const ZONES: string[] = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [
  'Asia/Almaty',
];

const profileSchema = z.object({
  fullName: z.string().trim().min(1, 'required').max(200, 'tooLong'),
  language: z.enum(LANGUAGES),
  timeZone: z.string().max(64),
});

export function ProfilePage() {
  const t = useT();
  const f = useFormat();
  const fe = useFieldError();
  const me = useMe().data!;
  const qc = useQueryClient();
  const { setLanguage, setTimeZone } = useLocale();
  const form = useForm({
    resolver: zodResolver(profileSchema),
    defaultValues: { fullName: me.fullName, language: me.language, timeZone: me.timeZone ?? '' },
  });
  const save = useMutation({
    mutationFn: (v: z.infer<typeof profileSchema>) =>
      unwrap(api.PATCH('/me', { body: { ...v, timeZone: v.timeZone || null } })),
    onSuccess: (updated) => {
      qc.setQueryData(ME_KEY, updated);
      setLanguage(updated.language);
      setTimeZone(updated.timeZone);
    },
  });
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => unwrap(api.GET('/me/tokens')) });
  const [tokenName, setTokenName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/me/tokens', { body: { name: tokenName.trim() } })),
    onSuccess: (tok) => {
      setShown(tok.token);
      setTokenName('');
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const err = form.formState.errors;
  return (
    <>
      <h1>{t('profile.title')}</h1>
      <section className="card" aria-labelledby="p-settings">
        <h2 id="p-settings">{t('profile.settings')}</h2>
        <p className="muted">{me.email}</p>
        <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
          <Field label={t('profile.fullName')} id="fullName" error={fe(err.fullName?.message)}>
            <input id="fullName" {...form.register('fullName')} />
          </Field>
          <Field label={t('profile.language')} id="language">
            <select id="language" {...form.register('language')}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('profile.timeZone')} id="timeZone" hint={t('profile.timeZoneHint')}>
            <select id="timeZone" {...form.register('timeZone')}>
              <option value="">{t('profile.timeZoneDefault')}</option>
              {ZONES.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </Field>
          <ErrorNotice error={save.error} />
          {save.isSuccess && (
            <p role="status" className="notice ok">
              {t('common.saved')}
            </p>
          )}
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('common.save')}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="p-password">
        <h2 id="p-password">{t('account.changePassword')}</h2>
        <ChangePasswordForm />
      </section>
      {/* Webhooks are in the admin's menu; the other roles the API lets manage them find them here. */}
      {!hasRole(me, 'admin') && hasRole(me, 'coordinator', 'party_representative') && (
        <section className="card" aria-labelledby="p-integrations">
          <h2 id="p-integrations">{t('account.integrations')}</h2>
          <p className="muted">{t('account.webhooksIntro')}</p>
          <Link to="/admin/webhooks">{t('account.webhooksLink')}</Link>
        </section>
      )}
      <section className="card" aria-labelledby="p-tokens">
        <h2 id="p-tokens">{t('profile.tokens')}</h2>
        <p className="muted">{t('profile.tokensIntro')}</p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (tokenName.trim()) create.mutate();
          }}
        >
          <Field label={t('profile.tokenName')} id="tokenName">
            <input id="tokenName" value={tokenName} maxLength={100} onChange={(e) => setTokenName(e.target.value)} />
          </Field>
          <button type="submit" disabled={!tokenName.trim() || create.isPending}>
            {t('profile.createToken')}
          </button>
        </form>
        <ErrorNotice error={create.error ?? revoke.error ?? tokens.error} />
        {shown && (
          <div className="notice ok" role="status">
            <p>{t('profile.tokenShownOnce')}</p>
            <code className="secret">{shown}</code>
          </div>
        )}
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
          <table>
            <caption className="visually-hidden">{t('profile.tokens')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('profile.tokenName')}</th>
                <th scope="col">{t('profile.tokenPrefix')}</th>
                <th scope="col">{t('profile.created')}</th>
                <th scope="col">{t('profile.lastUsed')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data?.items.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.name}</td>
                  <td>
                    <Hash value={tok.prefix} short={false} />
                  </td>
                  <td>{f.dateTime(tok.createdAt)}</td>
                  <td>{f.dateTime(tok.lastUsedAt)}</td>
                  <td>
                    {tok.revokedAt ? (
                      t('profile.revoked')
                    ) : (
                      <button type="button" onClick={() => revoke.mutate(tok.id)}>
                        {t('profile.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
