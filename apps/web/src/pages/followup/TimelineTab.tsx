/** A memorandum's timeline: history events, reports, due and done dates in one ordered list. */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading, Pager } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT, useTranslateDynamic } from '../../i18n';
import { CommitmentStatusBadge } from './CommitmentsTab';
import './followup.css';

const PAGE_SIZE = 100;

export function TimelineTab({ m }: { m: Memorandum }) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const base = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const timeline = useQuery({
    queryKey: ['dashboard', 'timeline', m.id, from, to, page],
    queryFn: () =>
      unwrap(
        api.GET('/dashboard/memoranda/{id}/timeline', {
          params: {
            path: { id: m.id },
            query: { from: from || undefined, to: to || undefined, page, pageSize: PAGE_SIZE },
          },
        }),
      ),
  });
  return (
    <>
      <p className="muted">{t('followup.timelineIntro')}</p>
      <div className="filters" role="group" aria-label={t('supervision.filters')}>
        <Field label={t('supervision.from')} id={`${base}-from`}>
          <input
            id={`${base}-from`}
            type="date"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setPage(1);
            }}
          />
        </Field>
        <Field label={t('supervision.to')} id={`${base}-to`}>
          <input
            id={`${base}-to`}
            type="date"
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setPage(1);
            }}
          />
        </Field>
      </div>
      {timeline.isPending && <Loading />}
      <ErrorNotice error={timeline.error} />
      {timeline.data && (
        <>
          <ol className="timeline follow-up-timeline">
            {timeline.data.items.map((item, i) => {
              const [, actor] = item.kind === 'history' ? item.title.split(' — ') : [];
              return (
                <li key={`${item.kind}-${item.at}-${i}`} data-kind={item.kind}>
                  <p>
                    <span className="badge kind">{t(`followup.kind_${item.kind}`)}</span>{' '}
                    <strong>
                      {item.kind === 'history' && item.action
                        ? td(`historyAction.${item.action}`, item.action)
                        : item.title}
                    </strong>{' '}
                    {item.status && item.kind === 'due' && <CommitmentStatusBadge status={item.status} />}
                  </p>
                  <p className="small">
                    {item.kind === 'due' ? f.date(item.date) : f.dateTime(item.at)}
                    {actor && ` · ${actor}`}
                    {item.organisationId && ` · ${orgName(item.organisationId)}`}
                    {item.kind === 'report' && item.date && ` · ${f.date(item.date)}`}
                  </p>
                </li>
              );
            })}
          </ol>
          <Pager page={page} pageSize={PAGE_SIZE} total={timeline.data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}
