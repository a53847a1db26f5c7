/** One memorandum: its state and what the caller may do now, then tabs for everything else. */
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Hash, Loading, StatusBadge } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT, useTranslateDynamic } from '../../i18n';
import { MEMORANDUM_TABS } from '../../route-search';
import { hasRole, useMe } from '../../session';
import { useMemorandum } from './common';
import { CoordinatorActions, EditDraft, Parties } from './CoordinatorPanel';
import { ReviewPanel, SignPanel } from './PartyPanel';
import { EvidencePanel, TemplateOrigin } from './Evidence';
import { LanguageVersions } from './LanguageVersions';
import { NextStep } from './NextStep';
import { ApprovalsTab, HistoryTab, RemindersTab, RevisionsTab, SigningTab } from './Tabs';
import { CommitmentsTab } from '../followup/CommitmentsTab';
import { TimelineTab } from '../followup/TimelineTab';

export function MemorandumPage() {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const me = useMe().data!;
  const { id } = useParams({ from: '/signed-in/memoranda/$id' });
  const search = useSearch({ from: '/signed-in/memoranda/$id' });
  const memo = useMemorandum(id);
  // A decision or signature recorded here stays announced after the memorandum reloads without the form.
  const [notice, setNotice] = useState<ReactNode>(null);
  if (memo.isPending) return <Loading />;
  if (memo.error)
    return (
      <>
        <h1>{t('memorandum.unavailable')}</h1>
        <ErrorNotice error={memo.error} />
        <Link to="/memoranda" search={{ page: 1 }}>
          {t('memorandum.backToList')}
        </Link>
      </>
    );
  const m = memo.data;
  const isCoordinator = hasRole(me, 'coordinator') && m.coordinatingOrganisationId === me.organisationId;
  const canDecide = ['approve', 'request_changes', 'decline', 'comment'].some((a) =>
    (m.allowedActions as string[]).includes(a),
  );
  // The coordinator's own 'sign' is the ceremony's (CoordinatorPanel); this panel is for a signatory
  // signing for their own organisation, which may be the coordinating one.
  const canSign =
    m.allowedActions.includes('sign') &&
    hasRole(me, 'signatory') &&
    m.parties.some((p) => p.organisationId === me.organisationId && p.role === 'signatory');
  const tabs = MEMORANDUM_TABS.filter((x) => x !== 'reminders' || isCoordinator);
  return (
    <>
      <p className="crumbs">
        <Link to="/memoranda" search={{ page: 1 }}>
          {t('nav.memoranda')}
        </Link>
      </p>
      <h1>{m.title}</h1>
      <p className="meta">
        <StatusBadge status={m.status} />{' '}
        {m.lifecycleState !== m.status && <span className="muted">{td(`status.${m.lifecycleState}`, '')}</span>}{' '}
        {m.currentRevision && (
          <>
            {t('home.revision', { number: m.currentRevision.number })} <Hash value={m.currentRevision.hash} />
          </>
        )}
      </p>
      <NextStep m={m} />
      <nav className="tabs" aria-label={t('memorandum.sections')}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab}>
              <Link
                to="/memoranda/$id"
                params={{ id }}
                search={{ tab }}
                aria-current={search.tab === tab ? 'page' : undefined}
              >
                {t(`memorandum.tab_${tab}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {search.tab === 'overview' && (
        <>
          {notice && (
            <div role="status" className="notice ok">
              {typeof notice === 'string' ? <p>{notice}</p> : notice}
            </div>
          )}
          {canDecide && <ReviewPanel m={m} onDone={setNotice} />}
          {canSign && <SignPanel m={m} onDone={setNotice} />}
          <section className="card" aria-labelledby="facts">
            <h2 id="facts">{t('memorandum.facts')}</h2>
            <dl className="facts">
              <dt>{t('memoranda.coordinator')}</dt>
              <dd>{orgName(m.coordinatingOrganisationId)}</dd>
              <dt>{t('memoranda.term')}</dt>
              <dd>
                {f.date(m.effectiveDate)} – {f.date(m.endDate)}
              </dd>
              <dt>{t('draft.timeZone')}</dt>
              <dd>{m.timeZone}</dd>
              <dt>{t('draft.purpose')}</dt>
              <dd>{m.purpose}</dd>
              {m.ceremony && (
                <>
                  <dt>{t('signing.ceremonyPlace')}</dt>
                  <dd>
                    {f.dateTime((m.ceremony as { date?: string }).date)} · {(m.ceremony as { place?: string }).place}
                  </dd>
                </>
              )}
              {m.pendingTermination && (
                <>
                  <dt>{t('actions.terminationDate')}</dt>
                  <dd>
                    {f.date((m.pendingTermination as { date: string }).date)} —{' '}
                    {(m.pendingTermination as { reason: string }).reason}
                  </dd>
                </>
              )}
            </dl>
          </section>
          {isCoordinator && <CoordinatorActions m={m} />}
          {isCoordinator && m.allowedActions.includes('edit') && <EditDraft m={m} />}
          <Parties m={m} />
          <TemplateOrigin m={m} />
          <EvidencePanel m={m} />
        </>
      )}
      {search.tab === 'text' && (
        <section className="card">
          <h2>{t('memorandum.tab_text')}</h2>
          <LanguageVersions source={m} stale={m.staleTranslations} mode="all" />
        </section>
      )}
      {search.tab === 'revisions' && <RevisionsTab m={m} from={search.from} to={search.to} />}
      {search.tab === 'approvals' && <ApprovalsTab m={m} />}
      {search.tab === 'signing' && <SigningTab m={m} />}
      {search.tab === 'history' && <HistoryTab m={m} />}
      {search.tab === 'reminders' && isCoordinator && <RemindersTab m={m} />}
      {search.tab === 'commitments' && <CommitmentsTab m={m} />}
      {search.tab === 'timeline' && <TimelineTab m={m} />}
    </>
  );
}
