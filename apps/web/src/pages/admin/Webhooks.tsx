import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading } from '../../components/ui';
import { useFormat, useT } from '../../i18n';

export function WebhooksPage() {
  const t = useT();
  const f = useFormat();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['webhooks'], queryFn: () => unwrap(api.GET('/webhooks')) });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/webhooks', {
          body: { url: url.trim(), events: events.split(/[,\s]+/).filter(Boolean) },
        }),
      ),
    onSuccess: (w) => {
      setSecret(w.secret);
      setUrl('');
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  return (
    <>
      <h1>{t('admin.webhooks')}</h1>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error ?? remove.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <caption className="visually-hidden">{t('admin.webhooks')}</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">{t('admin.events')}</th>
              <th scope="col">{t('profile.created')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((w) => (
              <tr key={w.id}>
                <td>
                  <code>{w.url}</code>
                </td>
                <td>{w.events.join(', ')}</td>
                <td>{f.dateTime(w.createdAt)}</td>
                <td>
                  <Link to="/admin/webhooks/$id" params={{ id: w.id }}>
                    {t('admin.deliveries')}
                  </Link>{' '}
                  <button type="button" onClick={() => remove.mutate(w.id)}>
                    {t('admin.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" aria-labelledby="new-hook">
        <h2 id="new-hook">{t('admin.newWebhook')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Field label="URL" id="w-url">
            <input id="w-url" type="url" value={url} maxLength={2000} onChange={(e) => setUrl(e.target.value)} />
          </Field>
          <Field label={t('admin.events')} id="w-events" hint={t('admin.eventsHint')}>
            <input id="w-events" value={events} onChange={(e) => setEvents(e.target.value)} />
          </Field>
          <ErrorNotice error={create.error} />
          {secret && (
            <div className="notice ok" role="status">
              <p>{t('admin.secretShownOnce')}</p>
              <code className="secret">{secret}</code>
            </div>
          )}
          <button type="submit" className="primary" disabled={!url.trim() || create.isPending}>
            {t('admin.create')}
          </button>
        </form>
      </section>
    </>
  );
}

export function WebhookDeliveriesPage() {
  const t = useT();
  const f = useFormat();
  const { id } = useParams({ from: '/signed-in/admin/webhooks/$id' });
  const deliveries = useQuery({
    queryKey: ['webhooks', id, 'deliveries'],
    queryFn: () => unwrap(api.GET('/webhooks/{id}/deliveries', { params: { path: { id }, query: { pageSize: 50 } } })),
    refetchInterval: 10_000,
  });
  return (
    <>
      <p className="crumbs">
        <Link to="/admin/webhooks">{t('admin.webhooks')}</Link>
      </p>
      <h1>{t('admin.deliveries')}</h1>
      {deliveries.isPending && <Loading />}
      <ErrorNotice error={deliveries.error} />
      {deliveries.data?.items.length === 0 && <p className="muted">{t('admin.noDeliveries')}</p>}
      <ul className="list">
        {deliveries.data?.items.map((d) => (
          <li key={d.id}>
            <p>
              <strong>{d.event}</strong> · <span className={`badge delivery-${d.status}`}>{d.status}</span> ·{' '}
              {t('admin.attempts', { count: d.attempts })} · {f.dateTime(d.createdAt)}
            </p>
            {d.lastError && <p className="small">{d.lastError}</p>}
            <ol className="small">
              {(d.attemptLog ?? []).map((a) => (
                <li key={a.attempt}>
                  {f.dateTime(a.at)} — {a.ok ? 'OK' : 'ERR'} {a.statusCode ?? ''} {a.error ?? ''} ({a.durationMs} ms)
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </>
  );
}
