/** Between the dashboard's pages: overview and urgent commitments, scorecards, exports. */
import { Link } from '@tanstack/react-router';
import { useT } from '../../i18n';

export function DashboardNav() {
  const t = useT();
  return (
    <nav className="subnav" aria-label={t('supervision.dashboard')}>
      <ul>
        <li>
          <Link
            to="/dashboard"
            search={{ withinDays: 30, page: 1 }}
            activeOptions={{ exact: true, includeSearch: false }}
            activeProps={{ 'aria-current': 'page' }}
          >
            {t('supervision.dashboard')}
          </Link>
        </li>
        <li>
          <Link to="/dashboard/scorecards" activeProps={{ 'aria-current': 'page' }}>
            {t('supervision.scorecards')}
          </Link>
        </li>
        <li>
          <Link to="/exports" activeProps={{ 'aria-current': 'page' }}>
            {t('supervision.exports')}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
