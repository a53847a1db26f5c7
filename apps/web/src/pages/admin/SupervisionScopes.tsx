/** Supervision scopes (admin): which memoranda each supervisor oversees — all, an organisation's, or one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading } from '../../components/ui';
import { useOrganisationName, useOrganisations } from '../../data';
import { useFormat, useT } from '../../i18n';

type Kind = 'global' | 'organisation' | 'memorandum';
const KINDS: Kind[] = ['global', 'organisation', 'memorandum'];
const KIND_LABEL = {
  global: 'supervision.globalScope',
  organisation: 'supervision.orgScope',
  memorandum: 'supervision.memoScope',
} as const;

export function SupervisionScopesPage() {
  const t = useT();
  const f = useFormat();
  const qc = useQueryClient();
  const orgName = useOrganisationName();
  const orgs = useOrganisations();
  const base = useId();
  const supervisors = useQuery({
    queryKey: ['users', 'supervisors'],
    queryFn: () => unwrap(api.GET('/users', { params: { query: { role: 'supervisor', pageSize: 100 } } })),
  });
  const memoranda = useQuery({
    queryKey: ['memoranda', 'for-scopes'],
    queryFn: () => unwrap(api.GET('/memoranda', { params: { query: { pageSize: 100 } } })),
  });
  const scopes = useQuery({
    queryKey: ['supervision-scopes'],
    queryFn: () => unwrap(api.GET('/supervision-scopes', { params: { query: { pageSize: 100 } } })),
  });
  const [supervisorUserId, setSupervisor] = useState('');
  const [kind, setKind] = useState<Kind>('organisation');
  const [target, setTarget] = useState('');
  const assign = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/supervision-scopes', {
          body:
            kind === 'global'
              ? { supervisorUserId, kind }
              : kind === 'organisation'
                ? { supervisorUserId, kind, organisationId: target }
                : { supervisorUserId, kind, memorandumId: target },
        }),
      ),
    onSuccess: () => {
      setTarget('');
      void qc.invalidateQueries({ queryKey: ['supervision-scopes'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/supervision-scopes/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['supervision-scopes'] }),
  });
  const userName = (id: string) => supervisors.data?.items.find((u) => u.id === id)?.fullName ?? `${id.slice(0, 8)}…`;
  const memoTitle = (id: string) => memoranda.data?.items.find((m) => m.id === id)?.title ?? `${id.slice(0, 8)}…`;
  return (
    <>
      <h1>{t('supervision.scopes')}</h1>
      <p className="muted">{t('supervision.scopesIntro')}</p>
      {(scopes.isPending || supervisors.isPending) && <Loading />}
      <ErrorNotice error={scopes.error ?? supervisors.error ?? remove.error} />
      {scopes.data &&
        (scopes.data.items.length === 0 ? (
          <p className="muted">{t('supervision.noScopes')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
            <table>
              <caption className="visually-hidden">{t('supervision.scopes')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.supervisor')}</th>
                  <th scope="col">{t('supervision.covers')}</th>
                  <th scope="col">{t('profile.created')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {scopes.data.items.map((s) => (
                  <tr key={s.id} data-scope={s.id}>
                    <td>{userName(s.supervisorUserId)}</td>
                    <td>
                      {s.kind === 'global'
                        ? t('supervision.globalScope')
                        : s.organisationId
                          ? `${t('supervision.orgScope')}: ${orgName(s.organisationId)}`
                          : `${t('supervision.memoScope')}: ${memoTitle(s.memorandumId ?? '')}`}
                    </td>
                    <td>{f.dateTime(s.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        disabled={remove.isPending}
                        onClick={() => remove.mutate(s.id)}
                        aria-label={t('supervision.removeNamed', { name: userName(s.supervisorUserId) })}
                      >
                        {t('supervision.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <section className="card" aria-labelledby={`${base}-new`}>
        <h2 id={`${base}-new`}>{t('supervision.assign')}</h2>
        {supervisors.data?.items.length === 0 ? (
          <p className="muted">{t('supervision.noSupervisors')}</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              assign.mutate();
            }}
          >
            <Field label={t('supervision.supervisor')} id={`${base}-sup`}>
              <select
                id={`${base}-sup`}
                required
                value={supervisorUserId}
                onChange={(e) => setSupervisor(e.target.value)}
              >
                <option value="">{t('supervision.choose')}</option>
                {supervisors.data?.items.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.fullName} ({u.email})
                  </option>
                ))}
              </select>
            </Field>
            <fieldset>
              <legend>{t('supervision.covers')}</legend>
              {KINDS.map((k) => (
                <label key={k} className="check">
                  <input
                    type="radio"
                    name={`${base}-kind`}
                    value={k}
                    checked={kind === k}
                    onChange={() => {
                      setKind(k);
                      setTarget('');
                    }}
                  />{' '}
                  {t(KIND_LABEL[k])}
                </label>
              ))}
            </fieldset>
            {kind !== 'global' && (
              <Field
                label={kind === 'organisation' ? t('supervision.organisation') : t('followup.memorandum')}
                id={`${base}-target`}
              >
                <select id={`${base}-target`} required value={target} onChange={(e) => setTarget(e.target.value)}>
                  <option value="">{t('supervision.choose')}</option>
                  {kind === 'organisation'
                    ? orgs.data?.items.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.shortName ?? o.name}
                        </option>
                      ))
                    : memoranda.data?.items.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.title}
                        </option>
                      ))}
                </select>
              </Field>
            )}
            <ErrorNotice error={assign.error} />
            <button
              type="submit"
              className="primary"
              disabled={!supervisorUserId || (kind !== 'global' && !target) || assign.isPending}
            >
              {t('supervision.assign')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}
