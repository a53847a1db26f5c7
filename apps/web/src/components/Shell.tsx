/** The page frame of a signed-in user: skip link, header with navigation, language and account. */
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { api, ApiFailure, unwrap } from '../api/client';
import { useLocale, useT } from '../i18n';
import { NAV } from '../nav';
import { MustChangePassword } from '../pages/MustChangePassword';
import { useMe, useSignOut } from '../session';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Loading } from './ui';

function UnreadBadge() {
  const t = useT();
  const inbox = useQuery({
    queryKey: ['inbox', 'count'],
    queryFn: () => unwrap(api.GET('/me/notifications', { params: { query: { pageSize: 1 } } })),
    refetchInterval: 30_000,
  });
  const n = inbox.data?.unreadCount ?? 0;
  if (!n) return null;
  return (
    <span className="count" aria-label={t('inbox.unread', { count: n })}>
      {n}
    </span>
  );
}

export function Shell() {
  const t = useT();
  const me = useMe();
  const { setLanguage, setTimeZone } = useLocale();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const path = useRouterState({ select: (s) => s.location.pathname });

  useEffect(() => {
    if (me.error instanceof ApiFailure && me.error.status === 401) {
      void navigate({ to: '/sign-in', search: { next: path } });
    }
  }, [me.error, navigate, path]);
  useEffect(() => {
    if (me.data) {
      setLanguage(me.data.language);
      setTimeZone(me.data.timeZone);
    }
    // Only when the user (re)loads: the switcher changes the language afterwards.
  }, [me.data?.id, me.data?.language, me.data?.timeZone]);

  if (!me.data) return <Loading />;
  // An admin reset the password: nothing else is open until it is changed.
  if (me.data.mustChangePassword) return <MustChangePassword />;
  const items = NAV.filter((n) => !n.roles || n.roles.some((r) => me.data.roles.includes(r)));
  return (
    <>
      <a className="skip" href="#main">
        {t('common.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Kelisim
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {items.map((n) => (
              <li key={n.to}>
                <Link to={n.to} activeOptions={{ exact: n.to === '/' }} activeProps={{ 'aria-current': 'page' }}>
                  {t(n.label)}
                  {n.to === '/inbox' && <UnreadBadge />}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <LanguageSwitcher save />
          <Link to="/profile" className="who">
            {me.data.fullName}
          </Link>
          <button type="button" className="link" onClick={() => signOut.mutate()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
