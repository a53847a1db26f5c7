/** "Our commitments": what the user's organisation must do, most urgent (overdue) first. */
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading, Pager } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { UrgentTable } from '../supervision/UrgentTable';
import './followup.css';

const PAGE_SIZE = 20;

export function MyCommitmentsPage() {
  const t = useT();
  const me = useMe().data!;
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
  return (
    <>
      <h1>{t('followup.myTitle')}</h1>
      <p className="muted">{t('followup.myIntro', { organisation: orgName(me.organisationId) })}</p>
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <p className="muted">{t('followup.nothingDue')}</p>
        ) : (
          <>
            <UrgentTable items={list.data.items} caption={t('followup.myTitle')} />
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
