/**
 * "Our commitments": what the user's organisation must do, in three groups — overdue, due this
 * month, later (collapsed: plans run years ahead) — and, collapsed too, dates already completed or
 * cancelled. The API's urgency order within each group.
 */
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading, Pager } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useLocale, useT } from '../../i18n';
import { useMe } from '../../session';
import { UrgentTable } from '../supervision/UrgentTable';
import { todayIn } from './common';
import { groupByUrgency } from './groups';
import './followup.css';

const PAGE_SIZE = 100;
export function MyCommitmentsPage() {
  const t = useT();
  const me = useMe().data!;
  const { timeZone } = useLocale();
  const orgName = useOrganisationName();
  const { page } = useSearch({ from: '/signed-in/commitments' });
  const navigate = useNavigate({ from: '/commitments' });
  const list = useQuery({
    queryKey: ['dashboard', 'commitments', 'mine', me.organisationId, page],
    queryFn: () =>
      unwrap(
        api.GET('/dashboard/commitments', {
          params: { query: { organisationId: me.organisationId, page, pageSize: PAGE_SIZE } },
        }),
      ),
  });
  const groups = list.data && groupByUrgency(list.data.items, todayIn(timeZone));
  return (
    <>
      <h1>{t('followup.myTitle')}</h1>
      <p className="muted">{t('followup.myIntro', { organisation: orgName(me.organisationId) })}</p>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data &&
        groups &&
        (list.data.items.length === 0 ? (
          <p className="muted">{t('followup.nothingDue')}</p>
        ) : (
          <>
            <Group group="overdue" title={t('followLoop.groupOverdue')} items={groups.overdue} />
            <Group group="this-month" title={t('followLoop.groupThisMonth')} items={groups.thisMonth} />
            <Group group="later" title={t('followLoop.groupLater')} items={groups.later} collapsed />
            {groups.done.length > 0 && (
              <Group group="done" title={t('followLoop.groupDone')} items={groups.done} collapsed />
            )}
            <Pager
              page={page}
              pageSize={PAGE_SIZE}
              total={list.data.total}
              onPage={(p) => void navigate({ search: { page: p } })}
            />
          </>
        ))}
    </>
  );
}

function Group({
  group,
  title,
  items,
  collapsed,
}: {
  group: string;
  title: string;
  items: Schemas['DashboardOccurrence'][];
  collapsed?: boolean;
}) {
  const t = useT();
  const id = useId();
  const body =
    items.length === 0 ? (
      <p className="muted">{t('followLoop.groupEmpty')}</p>
    ) : (
      <UrgentTable items={items} caption={title} />
    );
  return (
    <section className="card" aria-labelledby={id} data-group={group}>
      {collapsed && items.length > 0 ? (
        <details>
          <summary>
            <h2 id={id} className="h3 inline">
              {title}
            </h2>{' '}
            <span className="muted">{t('followLoop.groupCount', { count: items.length })}</span>
          </summary>
          {body}
        </details>
      ) : (
        <>
          <h2 id={id} className="h3">
            {title} <span className="muted small">{t('followLoop.groupCount', { count: items.length })}</span>
          </h2>
          {body}
        </>
      )}
    </section>
  );
}
