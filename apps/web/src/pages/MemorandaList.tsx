import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading, Pager, StatusBadge } from '../components/ui';
import { useOrganisationName } from '../data';
import { useFormat, useT, useTranslateDynamic } from '../i18n';
import { STATUSES } from '../route-search';
import { hasRole, useMe } from '../session';

export function MemorandaListPage() {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const me = useMe().data;
  const search = useSearch({ from: '/signed-in/memoranda' });
  const navigate = useNavigate({ from: '/memoranda' });
  const [q, setQ] = useState(search.q ?? '');
  const list = useQuery({
    queryKey: ['memoranda', search],
    queryFn: () =>
      unwrap(
        api.GET('/memoranda', {
          params: { query: { status: search.status, q: search.q || undefined, page: search.page, pageSize: 20 } },
        }),
      ),
  });
  return (
    <>
      <div className="row between">
        <h1>{t('memoranda.title')}</h1>
        {hasRole(me, 'coordinator') && (
          <div className="row">
            <Link to="/memoranda/from-template" search={{}} className="button">
              {t('templates.fromTemplate')}
            </Link>
            <Link to="/memoranda/new" className="button primary">
              {t('memoranda.new')}
            </Link>
          </div>
        )}
      </div>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void navigate({ search: { ...search, q: q.trim() || undefined, page: 1 } });
        }}
      >
        <label>
          {t('memoranda.search')}
          <input type="search" value={q} maxLength={200} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          {t('memoranda.status')}
          <select
            value={search.status ?? ''}
            onChange={(e) =>
              navigate({
                search: { ...search, status: (e.target.value || undefined) as (typeof STATUSES)[number], page: 1 },
              })
            }
          >
            <option value="">{t('memoranda.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {td(`status.${s}`, s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('memoranda.find')}</button>
      </form>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data && (
        <>
          <p className="muted" role="status">
            {t('memoranda.found', { count: list.data.total })}
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
            <table>
              <caption className="visually-hidden">{t('memoranda.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('memoranda.colTitle')}</th>
                  <th scope="col">{t('memoranda.status')}</th>
                  <th scope="col">{t('memoranda.coordinator')}</th>
                  <th scope="col">{t('memoranda.term')}</th>
                  <th scope="col">{t('memoranda.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to="/memoranda/$id" params={{ id: m.id }} search={{ tab: 'overview' }}>
                        {m.title}
                      </Link>
                    </td>
                    <td>
                      <StatusBadge status={m.status} />
                      {m.amendmentStatus && (
                        <span className="muted small"> {td(`status.amendment_${m.amendmentStatus}`, '')}</span>
                      )}
                    </td>
                    <td>{orgName(m.coordinatingOrganisationId)}</td>
                    <td>
                      {f.date(m.effectiveDate)} – {f.date(m.endDate)}
                    </td>
                    <td>{f.dateTime(m.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={search.page}
            pageSize={list.data.pageSize}
            total={list.data.total}
            onPage={(p) => navigate({ search: { ...search, page: p } })}
          />
        </>
      )}
    </>
  );
}
