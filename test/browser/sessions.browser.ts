/**
 * Browser sessions and visibility: a party cannot see another organisation's draft, a stale
 * approval shows what changed, sign-out ends the session, a cross-site form post is refused; and
 * the main pages in kk, ru and en on a phone and a desktop, with no serious accessibility violation.
 */
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import {
  allowConsoleError,
  apiAs,
  expect,
  expectAccessible,
  PEOPLE,
  screenshot,
  signedIn,
  state,
  test,
} from './fixtures';

const MSG = { en, ru, kk };

async function draft(title: string, parties: string[]) {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title,
    purpose: 'Тест',
    body: 'Бірінші жол.\nВторая строка.\n',
    language: 'ru',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    coordinatingOrganisationId: orgIds.qogam,
  });
  for (const p of parties)
    await coordinator('POST', `/memoranda/${m.id}/parties`, { organisationId: orgIds[p], role: 'signatory' });
  return { id: m.id as string, coordinator };
}

test("a party representative cannot see another organisation's draft", async ({ browser }) => {
  const { id } = await draft('Черновик, которого не видно', ['qogam', 'university']);
  const { page } = await signedIn(browser, 'youth');
  await page.goto(`/app/memoranda/${id}`);
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'not_found');
  await expect(page.getByRole('alert')).toContainText(kk.errors.status_404);
  await expect(page.getByText('Черновик, которого не видно')).toHaveCount(0);
});

test('a stale approval shows what changed', async ({ browser }) => {
  const { id, coordinator } = await draft('Меморандум с устаревшей редакцией', ['qogam', 'university', 'jasotan']);
  await coordinator('POST', `/memoranda/${id}/submit`);
  const { page } = await signedIn(browser, 'university');
  await page.goto(`/app/memoranda/${id}`);
  await expect(page.getByRole('button', { name: ru.review.submit })).toBeVisible();
  // Meanwhile Jas Otan asks for changes and the coordinator makes them: revision 2.
  const critic = await apiAs('jasotan');
  const m = await coordinator('GET', `/memoranda/${id}`);
  await critic('POST', `/memoranda/${id}/approvals`, {
    decision: 'request_changes',
    revisionHash: m.currentRevision.hash,
    comment: 'Добавьте срок.',
  });
  await coordinator('PATCH', `/memoranda/${id}`, { body: 'Бірінші жол.\nВторая строка, с новым сроком.\n' });
  await coordinator('POST', `/memoranda/${id}/submit`);
  await page.getByRole('button', { name: ru.review.submit }).click();
  await expect(page.locator('[data-code=stale_revision]')).toContainText(ru.errors.stale_revision);
  await expect(page.locator('.diff-table')).toContainText('с новым сроком');
  await screenshot(page, 'stale-approval-ru-desktop');
});

test('sign-out ends the session', async ({ browser }) => {
  const { page, context } = await signedIn(browser, 'zhasulan');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'kelisim_session')!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe('Lax');
  await page.getByRole('button', { name: en.nav.signOut }).click();
  await expect(page.getByRole('heading', { name: en.auth.title })).toBeVisible();
  const res = await fetch(`${state().base}/me`, { headers: { cookie: `kelisim_session=${session.value}` } });
  expect(res.status).toBe(401);
});

test('a cross-site form post is refused', async ({ browser }) => {
  const { id } = await draft('Меморандум под атакой', ['qogam', 'media']);
  const { page, context } = await signedIn(browser, 'coordinator');
  // A page of another site (127.0.0.1 is another site than localhost) posts a form to withdraw the draft.
  const attacker = `http://127.0.0.1:${state().port}/health`;
  // The attacker's page (no favicon there) and the refused post it leads to are no page of the app.
  allowConsoleError(/^http:\/\/127\.0\.0\.1:\d+\/health: Failed to load resource: .* 404/);
  allowConsoleError(new RegExp(`/memoranda/${id}/withdraw: Failed to load resource: .* (401|403|404)`));
  await page.goto(attacker);
  await page.setContent(
    `<form method="post" action="${state().base}/memoranda/${id}/withdraw"><input name="reason" value="x"></form>`,
  );
  const answer = page.waitForResponse((r) => r.url().endsWith(`/memoranda/${id}/withdraw`));
  await page.locator('form').evaluate((f) => (f as unknown as { submit(): void }).submit());
  expect((await answer).status()).toBeGreaterThanOrEqual(400);
  // Even with the cookie (were SameSite not enough) a foreign Origin or a missing CSRF token is refused.
  const session = (await context.cookies()).find((c) => c.name === 'kelisim_session')!.value;
  for (const headers of [{ origin: 'https://evil.example' }, {}] as Array<Record<string, string>>) {
    const res = await fetch(`${state().base}/memoranda/${id}/withdraw`, {
      method: 'POST',
      headers: { cookie: `kelisim_session=${session}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ reason: 'x' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('csrf_failed');
  }
  const coordinator = await apiAs('coordinator');
  expect((await coordinator('GET', `/memoranda/${id}`)).status).toBe('draft');
});

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };

for (const who of ['coordinator', 'youth', 'zhasulan'] as const) {
  const lang = PEOPLE[who].language as keyof typeof MSG;
  test(`main pages in ${lang} on a phone and a desktop: screenshots, no serious accessibility violation`, async ({
    browser,
  }) => {
    const { id } = await draft(`Меморандум для снимков (${lang})`, ['qogam', 'youth', 'zhasulan']);
    await (
      await apiAs('coordinator')
    )('POST', `/memoranda/${id}/submit`);
    for (const [size, viewport] of Object.entries(SIZES)) {
      const anonymous = await browser.newContext({ baseURL: state().base, viewport });
      const signIn = await anonymous.newPage();
      await signIn.goto('/app/sign-in');
      await signIn.locator('.language select').selectOption(lang);
      await expect(signIn.getByRole('heading', { name: MSG[lang].auth.title })).toBeVisible();
      await expectAccessible(signIn, `sign-in ${lang} ${size}`);
      await screenshot(signIn, `sign-in-${lang}-${size}`);
      await anonymous.close();
      const { page, context } = await signedIn(browser, who, viewport);
      const pages: Array<[string, string, string]> = [
        ['home', '/app/', MSG[lang].home.greeting.split('{')[0].trim()],
        ['memoranda', '/app/memoranda', MSG[lang].memoranda.title],
        ['memorandum', `/app/memoranda/${id}`, MSG[lang].memorandum.tab_overview],
        ['approvals', `/app/memoranda/${id}?tab=approvals`, MSG[lang].approvals.title],
        ['history', `/app/memoranda/${id}?tab=history`, MSG[lang].memorandum.tab_history],
        ['inbox', '/app/inbox', MSG[lang].inbox.title],
        ['profile', '/app/profile', MSG[lang].profile.title],
      ];
      if (who === 'coordinator') {
        pages.push(
          ['revisions', `/app/memoranda/${id}?tab=revisions`, MSG[lang].revisions.title],
          ['reminders', `/app/memoranda/${id}?tab=reminders`, MSG[lang].reminders.intro],
          ['new-memorandum', '/app/memoranda/new', MSG[lang].draft.intro],
        );
      }
      for (const [name, path, text] of pages) {
        await page.goto(path);
        await expect(page.locator('main')).toContainText(text);
        await expect(page.getByText(MSG[lang].common.loading)).toHaveCount(0);
        await expectAccessible(page, `${name} ${lang} ${size}`);
        await screenshot(page, `${name}-${lang}-${size}`);
      }
      await context.close();
    }
  });
}

test('admin pages in each language (switched in the header), with no serious accessibility violation', async ({
  browser,
}) => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context } = await signedIn(browser, 'admin', viewport);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const saved = page.waitForResponse((r) => r.url().endsWith('/me') && r.request().method() === 'PATCH');
      await page.locator('header .language select').selectOption(lang);
      expect((await saved).status()).toBe(200);
      for (const [name, path, text] of [
        ['organisations', '/app/admin/organisations', MSG[lang].admin.newOrganisation],
        ['users', '/app/admin/users', MSG[lang].admin.newUser],
        ['webhooks', '/app/admin/webhooks', MSG[lang].admin.newWebhook],
      ] as const) {
        await page.goto(path);
        await expect(page.locator('main')).toContainText(text);
        await expect(page.getByText(MSG[lang].common.loading)).toHaveCount(0);
        await expectAccessible(page, `${name} ${lang} ${size}`);
        await screenshot(page, `admin-${name}-${lang}-${size}`);
      }
    }
    // The language chosen in the header is the user's language from now on (saved with PATCH /me).
    const admin = await apiAs('admin');
    expect((await admin('GET', '/me')).language).toBe('en');
    await admin('PATCH', '/me', { language: 'kk' });
    await context.close();
  }
});
