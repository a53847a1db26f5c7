/** Occurrences sorted by urgency (the API's order): status, date, commitment, memorandum, lead party. */
import { Link } from '@tanstack/react-router';
import type { Schemas } from '../../api/client';
import { useOrganisationName } from '../../data';
import { useFormat, useT } from '../../i18n';
import { CommitmentStatusBadge } from '../followup/CommitmentsTab';

export function UrgentTable({ items, caption }: { items: Schemas['DashboardOccurrence'][]; caption: string }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
      <table className="urgent">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('followup.status')}</th>
            <th scope="col">{t('followup.due')}</th>
            <th scope="col">{t('followup.commitments')}</th>
            <th scope="col">{t('followup.memorandum')}</th>
            <th scope="col">{t('followup.lead')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.occurrenceId} className={`occ-${o.status}`}>
              <td>
                <CommitmentStatusBadge status={o.status} />
              </td>
              <td>{f.date(o.date)}</td>
              <td>{o.title}</td>
              <td>
                <Link to="/memoranda/$id" params={{ id: o.memorandumId }} search={{ tab: 'commitments' }}>
                  {o.memorandumTitle}
                </Link>
              </td>
              <td>{orgName(o.leadOrganisationId)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
