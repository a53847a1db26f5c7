/**
 * After an admin's reset the session may only change the password (the API answers 403
 * password_change_required to anything else): this page replaces the signed-in frame until it is
 * changed; then the cached /me no longer says mustChangePassword and the frame opens.
 */
import { ChangePasswordForm } from '../components/ChangePassword';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useT } from '../i18n';
import { useSignOut } from '../session';

export function MustChangePassword() {
  const t = useT();
  const signOut = useSignOut();
  return (
    <>
      <header className="top">
        <span className="brand">Kelisim</span>
        <div className="account">
          <LanguageSwitcher />
          <button type="button" className="link" onClick={() => signOut.mutate()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{t('account.mustChangeTitle')}</h1>
        <p className="notice">{t('account.mustChangeIntro')}</p>
        <section className="card" aria-labelledby="must-change">
          <h2 id="must-change">{t('account.changePassword')}</h2>
          <ChangePasswordForm />
        </section>
      </main>
    </>
  );
}
