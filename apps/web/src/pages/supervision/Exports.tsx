/**
 * Exports: each memorandum's commitments as CSV or XLSX and its calendar; calendar feed links of
 * an organisation for calendar programs (the feed token is shown once, in the link; revocable).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading, Pager, StatusBadge } from '../../components/ui';
import { useFormat, useT } from '../../i18n';
import { DashboardNav } from './SubNav';
import '../followup/followup.css';

const PAGE_SIZE = 20;

export function ExportsPage() {
  const t = useT();
  return (
    <>
      <h1>{t('supervision.exports')}</h1>
      <DashboardNav />
      <FeedLinks />
      <MemorandumExports />
    </>
  );
}

function MemorandumExports() {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['memoranda', 'exports', page],
    queryFn: () => unwrap(api.GET('/memoranda', { params: { query: { page, pageSize: PAGE_SIZE } } })),
  });
  return (
    <section className="card" aria-labelledby="exports-memoranda">
      <h2 id="exports-memoranda">{t('nav.memoranda')}</h2>
      <p className="muted">{t('supervision.exportsIntro')}</p>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data && (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
            <table>
              <caption className="visually-hidden">{t('nav.memoranda')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('memoranda.colTitle')}</th>
                  <th scope="col">{t('memoranda.status')}</th>
                  <th scope="col">{t('followup.exports')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((m) => (
                  <tr key={m.id}>
                    <td>{m.title}</td>
                    <td>
                      <StatusBadge status={m.status} />
                    </td>
                    <td>
                      <ul className="downloads">
                        <li>
                          <a
                            href={`/memoranda/${m.id}/commitments.csv`}
                            download
                            aria-label={`${t('followup.csv')}: ${m.title}`}
                          >
                            {t('followup.csv')}
                          </a>
                        </li>
                        <li>
                          <a
                            href={`/memoranda/${m.id}/commitments.xlsx`}
                            download
                            aria-label={`${t('followup.xlsx')}: ${m.title}`}
                          >
                            {t('followup.xlsx')}
                          </a>
                        </li>
                        <li>
                          <a
                            href={`/memoranda/${m.id}/calendar.ics`}
                            download
                            aria-label={`${t('followup.ics')}: ${m.title}`}
                          >
                            {t('followup.ics')}
                          </a>
                        </li>
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

function FeedLinks() {
  const t = useT();
  const f = useFormat();
  const qc = useQueryClient();
  const base = useId();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ['me', 'feed-tokens'], queryFn: () => unwrap(api.GET('/me/feed-tokens')) });
  // Only the organisations whose feed opens for this user (the API's own check): a link never 404s.
  const organisations = useQuery({
    queryKey: ['me', 'feed-organisations'],
    queryFn: () => unwrap(api.GET('/me/feed-organisations')),
  });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/me/feed-tokens', { body: { name: name.trim() } })),
    onSuccess: (token) => {
      setCreated(token.token);
      setName('');
      void qc.invalidateQueries({ queryKey: ['me', 'feed-tokens'] });
    },
  });
  const confirm = useConfirm();
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/me/feed-tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me', 'feed-tokens'] }),
  });
  const feedUrl = (organisationId: string, token: string) =>
    `${window.location.origin}/organisations/${organisationId}/calendar.ics?token=${encodeURIComponent(token)}`;
  return (
    <section className="card" aria-labelledby="feeds">
      {confirm.dialog}
      <h2 id="feeds">{t('supervision.feeds')}</h2>
      <p className="muted">{t('supervision.feedIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label={t('supervision.feedName')} id={`${base}-name`}>
          <input id={`${base}-name`} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <ErrorNotice error={create.error ?? organisations.error} />
        {created && organisations.data && (
          <div className="notice ok" role="status">
            <p>{t('supervision.feedShownOnce')}</p>
            <h3 className="h3">{t('followLoop.feedLinks')}</h3>
            <ul className="feed-links">
              {organisations.data.items.map((o) => (
                <FeedLink key={o.id} organisation={o.shortName || o.name} url={feedUrl(o.id, created)} />
              ))}
            </ul>
          </div>
        )}
        <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
          {t('supervision.createFeed')}
        </button>
      </form>
      {tokens.isPending && <Loading />}
      <ErrorNotice error={tokens.error ?? revoke.error} />
      {tokens.data &&
        (tokens.data.items.length === 0 ? (
          <p className="muted">{t('supervision.noFeeds')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
            <table>
              <caption className="visually-hidden">{t('supervision.feeds')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('profile.tokenName')}</th>
                  <th scope="col">{t('profile.created')}</th>
                  <th scope="col">{t('profile.lastUsed')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.items.map((x) => (
                  <tr key={x.id} data-feed-token={x.id}>
                    <td>{x.name}</td>
                    <td>{f.dateTime(x.createdAt)}</td>
                    <td>{f.dateTime(x.lastUsedAt)}</td>
                    <td>
                      {x.revokedAt ? (
                        <span className="muted">
                          {t('supervision.revoked')} {f.dateTime(x.revokedAt)}
                        </span>
                      ) : (
                        <button
                          type="button"
                          disabled={revoke.isPending}
                          onClick={async () => {
                            const ok = await confirm.ask({
                              title: t('confirm.revokeFeedTitle', { name: x.name }),
                              consequence: t('confirm.revokeFeed', { name: x.name }),
                              action: t('supervision.revoke'),
                            });
                            if (ok) revoke.mutate(x.id);
                          }}
                          aria-label={t('supervision.revokeNamed', { name: x.name })}
                        >
                          {t('supervision.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

/** A feed link labelled with the organisation it covers, and a button that copies it. */
function FeedLink({ organisation, url }: { organisation: string; url: string }) {
  const t = useT();
  const id = useId();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  return (
    <li data-feed-organisation={organisation}>
      <strong id={id}>{t('followLoop.feedFor', { organisation })}</strong>
      <code className="secret" data-feed-url>
        {url}
      </code>
      <button
        type="button"
        aria-label={t('followLoop.copyNamed', { organisation })}
        onClick={() =>
          navigator.clipboard.writeText(url).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
      >
        {t('followLoop.copy')}
      </button>
      <span role="status" className="small">
        {copied === 'yes' ? t('followLoop.copied') : copied === 'failed' ? t('followLoop.copyFailed') : ''}
      </span>
    </li>
  );
}
