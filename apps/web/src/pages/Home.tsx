import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading, StatusBadge } from '../components/ui';
import { useOrganisationName } from '../data';
import { useFormat, useT } from '../i18n';
import type { MemorandumTab } from '../route-search';
import { hasRole, useMe } from '../session';

const STATES = ['draft', 'in_review', 'approved', 'signing', 'executed', 'active'] as const;

type WaitingItem = Schemas['WaitingItem'];

/** What waits for the signed-in user now (GET /me/waiting), by role: computed by the API from the real state. */
function useWaiting(enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['me', 'waiting'],
    queryFn: () => unwrap(api.GET('/me/waiting')),
    refetchInterval: 30_000,
  });
}

/** The memorandum tab where each kind of waiting item is acted on. */
const TAB_OF: Record<WaitingItem['kind'], MemorandumTab> = {
  revise: 'overview',
  declined: 'approvals',
  submit: 'overview',
  open_signing: 'overview',
  approve: 'overview',
  sign: 'overview',
  commitment_due: 'commitments',
  commitment_overdue: 'commitments',
};

function WaitingList({ items }: { items: WaitingItem[] }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  return (
    <ul className="list waiting">
      {items.map((w) => {
        const values = {
          title: w.memorandumTitle,
          commitment: w.commitmentTitle ?? '',
          party: orgName(w.organisationId),
          number: w.revisionNumber ?? 0,
          date: f.date(w.date),
        };
        return (
          <li
            key={`${w.kind}:${w.memorandumId}:${w.commitmentId ?? ''}:${w.date ?? ''}`}
            className={`waiting-${w.kind}`}
          >
            <Link to="/memoranda/$id" params={{ id: w.memorandumId }} search={{ tab: TAB_OF[w.kind] }}>
              {t(`waiting.do_${w.kind}`, values)}
            </Link>
            <span className="muted small">
              {' '}
              {t(`waiting.why_${w.kind}`, values)}
              {w.since && <> · {f.dateTime(w.since)}</>}
            </span>
          </li>
        );
      })}
    </ul>
  );
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
  const me = useMe().data;
  const orgName = useOrganisationName();
  const acts = hasRole(me, 'coordinator', 'party_representative', 'signatory');
  const isCoordinator = hasRole(me, 'coordinator');
  const waiting = useWaiting(acts);
  const counts = useCounts(isCoordinator || hasRole(me, 'supervisor', 'admin'));
  const max = Math.max(1, ...(counts.data ?? []).map((c) => c.total));
  return (
    <>
      <h1>{t('home.greeting', { name: me?.fullName ?? '' })}</h1>
      <p className="muted">{t('home.organisation', { organisation: orgName(me?.organisationId) })}</p>
      {acts && (
        <section aria-labelledby="waiting" className="card">
          <h2 id="waiting">{t('waiting.title')}</h2>
          {waiting.isPending && <Loading />}
          <ErrorNotice error={waiting.error} />
          {waiting.data?.items.length === 0 && <p className="muted">{t('waiting.nothing')}</p>}
          {!!waiting.data?.items.length && <WaitingList items={waiting.data.items} />}
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
