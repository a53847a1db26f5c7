import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, type Memorandum, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading, StatusBadge } from '../components/ui';
import { useOrganisationName } from '../data';
import { useFormat, useT } from '../i18n';
import { hasRole, useMe } from '../session';

const PARTY_ACTIONS = ['approve', 'request_changes', 'decline', 'sign'];
const STATES = ['draft', 'in_review', 'approved', 'signing', 'executed', 'active'] as const;

/** Memoranda in review or signing where the caller's organisation has something to do. */
function useWaitingForMe(enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['memoranda', 'waiting'],
    queryFn: async () => {
      const lists = await Promise.all(
        (['in_review', 'signing'] as const).map((status) =>
          unwrap(api.GET('/memoranda', { params: { query: { status, pageSize: 50 } } })),
        ),
      );
      const details = await Promise.all(
        lists
          .flatMap((l) => l.items)
          .map((m) => unwrap(api.GET('/memoranda/{id}', { params: { path: { id: m.id } } }))),
      );
      return details.filter((m) => m.allowedActions.some((a) => PARTY_ACTIONS.includes(a)));
    },
    refetchInterval: 30_000,
  });
}

function useCounts(enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['memoranda', 'counts'],
    queryFn: async () =>
      Promise.all(
        STATES.map(async (status) => ({
          status,
          total: (await unwrap(api.GET('/memoranda', { params: { query: { status, pageSize: 1 } } }))).total,
        })),
      ),
  });
}

export function HomePage() {
  const t = useT();
  const f = useFormat();
  const me = useMe().data;
  const orgName = useOrganisationName();
  const isParty = hasRole(me, 'party_representative', 'signatory');
  const isCoordinator = hasRole(me, 'coordinator');
  const waiting = useWaitingForMe(isParty);
  const counts = useCounts(isCoordinator || hasRole(me, 'supervisor', 'admin'));
  const max = Math.max(1, ...(counts.data ?? []).map((c) => c.total));
  return (
    <>
      <h1>{t('home.greeting', { name: me?.fullName ?? '' })}</h1>
      <p className="muted">{t('home.organisation', { organisation: orgName(me?.organisationId) })}</p>
      {isParty && (
        <section aria-labelledby="waiting" className="card">
          <h2 id="waiting">{t('home.waiting')}</h2>
          {waiting.isPending && <Loading />}
          <ErrorNotice error={waiting.error} />
          {waiting.data?.length === 0 && <p className="muted">{t('home.nothingWaiting')}</p>}
          <ul className="list">
            {waiting.data?.map((m: Memorandum) => (
              <li key={m.id}>
                <Link to="/memoranda/$id" params={{ id: m.id }} search={{ tab: 'overview' }}>
                  {m.title}
                </Link>{' '}
                <StatusBadge status={m.status} />
                <span className="muted small">
                  {' '}
                  {m.allowedActions.includes('sign') ? t('home.toSign') : t('home.toReview')} ·{' '}
                  {t('home.revision', { number: m.currentRevision?.number ?? 0 })} · {f.dateTime(m.updatedAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {counts.data && (
        <section aria-labelledby="by-state" className="card">
          <h2 id="by-state">{t('home.byState')}</h2>
          <ul className="bars">
            {counts.data.map((c) => (
              <li key={c.status}>
                <Link to="/memoranda" search={{ status: c.status, page: 1 }}>
                  <StatusBadge status={c.status} />
                </Link>
                <span className="bar" style={{ width: `${(c.total / max) * 100}%` }} aria-hidden="true" />
                <span>{t('home.memorandaCount', { count: c.total })}</span>
              </li>
            ))}
          </ul>
          {isCoordinator && (
            <div className="row">
              <Link to="/memoranda/new" className="button primary">
                {t('memoranda.new')}
              </Link>
              <Link to="/memoranda/from-template" search={{}} className="button">
                {t('templates.fromTemplate')}
              </Link>
            </div>
          )}
        </section>
      )}
    </>
  );
}
