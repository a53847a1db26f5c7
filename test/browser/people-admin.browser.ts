/**
 * Admin and profile: an admin edits a user and resets their password (the temporary password shown
 * once); the user, signed in with it, can do nothing but choose a new one; an admin edits an
 * organisation's name and BIN (a wrong control digit named on the field); the operator's system
 * organisation is not offered as a party; menus by role; a 404 is asked once; the home page never
 * shows a piece of an organisation id while the organisations load.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, expect, expectAccessible, PASSWORD, screenshot, signedIn, state, test } from './fixtures';

const PHONE = { width: 390, height: 844 };

/** Nothing wider than the phone's screen (a wide table scrolls in its own region). */
async function expectFitsPhone(page: Page) {
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

test('an admin edits a user and resets the password; the user must choose a new one before anything else', async ({
  browser,
}) => {
  const admin = await apiAs('admin');
  const suffix = randomBytes(3).toString('hex');
  const person = await admin('POST', '/users', {
    fullName: 'Нұрлан Әбдіров',
    email: `media-${suffix}@kelisim.test`,
    password: PASSWORD,
    organisationId: state().orgIds.media,
    roles: ['party_representative'],
    language: 'ru',
  });

  // The admin (kk) edits the user's name and moves them to another organisation, then resets the password.
  const { page, context } = await signedIn(browser, 'admin');
  await page.goto(`/app/admin/users?q=${encodeURIComponent(person.email)}`);
  await page.getByRole('button', { name: `${kk.people.edit} Нұрлан Әбдіров` }).click();
  const editor = page.locator('section[aria-labelledby="edit-user"]');
  await expect(
    editor.getByRole('heading', { name: kk.people.editUser.replace('{name}', 'Нұрлан Әбдіров') }),
  ).toBeFocused();
  await editor.getByLabel(kk.profile.fullName).fill('Нұрлан Әбдірұлы');
  await editor.getByLabel(kk.auth.email).fill('not-an-address');
  await editor.getByRole('button', { name: kk.common.save }).click();
  await expect(editor.locator('#e-email-error')).toHaveText(kk.validation.email);
  await editor.getByLabel(kk.auth.email).fill(person.email);
  await editor.getByLabel(kk.parties.organisation).selectOption(state().orgIds.university);
  await editor.getByRole('button', { name: kk.common.save }).click();
  await expect(editor.getByRole('status')).toHaveText(kk.common.saved);
  const changed = await admin('GET', `/users/${person.id}`);
  expect([changed.fullName, changed.organisationId]).toEqual(['Нұрлан Әбдірұлы', state().orgIds.university]);

  await editor.getByRole('button', { name: kk.people.resetPassword }).click();
  await editor.getByRole('button', { name: kk.people.resetConfirm }).click();
  const temporary = (await editor.getByTestId('temporary-password').textContent())!.trim();
  expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);
  await expect(page.locator('tbody')).toContainText(kk.people.mustChange);
  await expectAccessible(page, 'users with the reset password');
  await screenshot(page, 'people-admin-user-reset-kk-desktop');
  await context.close();

  // The user signs in with the temporary password on a phone: only the new password can be chosen.
  const phone = await browser.newContext({ baseURL: state().base, viewport: PHONE });
  const own = await phone.newPage();
  await own.goto('/app/sign-in');
  await own.locator('#email').fill(person.email);
  await own.locator('#password').fill(temporary);
  await own.locator('button[type=submit]').click();
  await expect(own.getByRole('heading', { name: ru.account.mustChangeTitle })).toBeVisible();
  await expect(own.getByRole('navigation', { name: ru.nav.label })).toHaveCount(0);
  await own.goto('/app/memoranda');
  await expect(own.getByRole('heading', { name: ru.account.mustChangeTitle })).toBeVisible();
  await expectAccessible(own, 'must change the password (ru, phone)');
  await expectFitsPhone(own);
  await screenshot(own, 'people-admin-must-change-ru-phone');

  await own.getByLabel(ru.account.currentPassword).fill(temporary);
  await own.getByLabel(ru.account.newPassword, { exact: true }).fill('Мой-новый-пароль-2026');
  await own.getByLabel(ru.account.repeatPassword).fill('Мой-новый-пароль-2027');
  await own.getByRole('button', { name: ru.account.changePassword }).click();
  await expect(own.locator('#pw-repeat-error')).toHaveText(ru.validation.passwordsDiffer);
  await own.getByLabel(ru.account.repeatPassword).fill('Мой-новый-пароль-2026');
  await own.getByRole('button', { name: ru.account.changePassword }).click();
  // The frame opens, with the page the user asked for.
  await expect(own.getByRole('navigation', { name: ru.nav.label })).toBeVisible();
  await expect(own.getByRole('heading', { name: ru.memoranda.title, level: 1 })).toBeVisible();
  const login = await fetch(`${state().base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: 'Мой-новый-пароль-2026' }),
  });
  expect(login.status).toBe(200);
  expect(((await login.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);

  // On the profile, the password is changed again with the current one: a wrong one is named.
  await own.goto('/app/profile');
  await own.getByLabel(ru.account.currentPassword).fill('не тот пароль');
  await own.getByLabel(ru.account.newPassword, { exact: true }).fill('Ещё-один-пароль-2026');
  await own.getByLabel(ru.account.repeatPassword).fill('Ещё-один-пароль-2026');
  await own.getByRole('button', { name: ru.account.changePassword }).click();
  const refusal = own.locator('.notice.error[data-code="wrong_current_password"]');
  await expect(refusal).toContainText(ru.errors.wrong_current_password);
  await expect(refusal.locator('[data-field="currentPassword"]')).toContainText(ru.fieldErrors.notCurrentPassword);
  await own.getByLabel(ru.account.currentPassword).fill('Мой-новый-пароль-2026');
  await own.getByRole('button', { name: ru.account.changePassword }).click();
  await expect(own.getByRole('status').filter({ hasText: ru.account.passwordChanged })).toBeVisible();
  // The session goes on (the answer set its new cookie): the profile still saves.
  await own.getByRole('button', { name: ru.common.save }).click();
  await expect(own.getByRole('status').filter({ hasText: ru.common.saved })).toBeVisible();
  await expectAccessible(own, 'profile with the password form (ru, phone)');
  await expectFitsPhone(own);
  await screenshot(own, 'people-admin-profile-ru-phone');
  await phone.close();
});

test("an admin edits an organisation's name and BIN; the BIN's control digit is checked", async ({ browser }) => {
  const admin = await apiAs('admin');
  const suffix = randomBytes(3).toString('hex');
  const org = await admin('POST', '/organisations', {
    name: `«Болашақ» жастар орталығы ${suffix}`,
    shortName: `Болашақ ${suffix}`,
    kind: 'youth_organisation',
    language: 'kk',
  });
  const { page, context } = await signedIn(browser, 'admin', PHONE);
  await page.goto(`/app/admin/organisations?q=${encodeURIComponent(org.shortName)}`);
  await page.getByRole('button', { name: `${kk.people.edit} ${org.shortName}` }).click();
  const editor = page.locator('section[aria-labelledby="edit-org"]');
  await editor.getByLabel(kk.admin.name, { exact: true }).fill(`«Болашақ» жастар ресурстық орталығы ${suffix}`);
  await editor.getByLabel(kk.admin.bin).fill('123456789012');
  await editor.getByRole('button', { name: kk.common.save }).click();
  const refusal = editor.locator('.notice.error');
  await expect(refusal.locator('[data-field="bin"]')).toContainText(kk.fieldErrors.binControl);
  await expect(refusal.locator('[data-field="bin"]')).toContainText(kk.fieldErrors.field_bin);
  expect((await admin('GET', `/organisations/${org.id}`)).name).toBe(org.name);
  await expectAccessible(page, 'organisation editor with a refused BIN (kk, phone)');
  await expectFitsPhone(page);
  await screenshot(page, 'people-admin-organisation-bin-kk-phone');
  await editor.getByLabel(kk.admin.bin).fill('123456789013');
  await editor.getByRole('button', { name: kk.common.save }).click();
  await expect(editor.getByRole('status')).toHaveText(kk.common.saved);
  expect(await admin('GET', `/organisations/${org.id}`)).toMatchObject({
    name: `«Болашақ» жастар ресурстық орталығы ${suffix}`,
    bin: '123456789013',
  });
  await expect(page.locator('tbody')).toContainText('123456789013');
  await context.close();
});

test('the operator organisation is never offered as a party; menus by role', async ({ browser }) => {
  const admin = await apiAs('admin');
  const operator = await admin('GET', `/organisations/${(await admin('GET', '/me')).organisationId}`);
  expect(operator.system).toBe(true);
  const coordinator = await apiAs('coordinator');
  const m = await coordinator('POST', '/memoranda', {
    title: 'Меморандум без оператора',
    purpose: 'Тест',
    body: 'Текст.\n',
    language: 'ru',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    coordinatingOrganisationId: state().orgIds.qogam,
  });
  const { page, context } = await signedIn(browser, 'coordinator');
  await page.goto(`/app/memoranda/${m.id}`);
  const options = page.locator('#party-org option');
  await expect(options.filter({ hasText: 'Jas Otan' })).toHaveCount(1);
  await expect(options.filter({ hasText: operator.shortName })).toHaveCount(0);
  // Webhooks: not in the coordinator's menu; their profile links it (the API lets coordinators manage them).
  const nav = page.getByRole('navigation', { name: ru.nav.label });
  await expect(nav.getByRole('link', { name: ru.nav.memoranda })).toBeVisible();
  await expect(nav.getByRole('link', { name: ru.nav.webhooks })).toHaveCount(0);
  await page.goto('/app/profile');
  await page.getByRole('link', { name: ru.account.webhooksLink }).click();
  await expect(page.getByRole('heading', { name: ru.admin.webhooks, level: 1 })).toBeVisible();
  await context.close();

  const asAdmin = await signedIn(browser, 'admin');
  await expect(
    asAdmin.page.getByRole('navigation', { name: kk.nav.label }).getByRole('link', { name: kk.nav.webhooks }),
  ).toBeVisible();
  await asAdmin.context.close();
});

test('a 404 is asked once; the home page shows no piece of an organisation id while they load', async ({ browser }) => {
  const { page, context } = await signedIn(browser, 'zhasulan');
  const missing = '6b1f0c55-8d0e-4a43-9a57-2f3a1e0d0404';
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'fetch' && r.url().endsWith(`/memoranda/${missing}`)) asked.push(r.url());
  });
  await page.goto(`/app/memoranda/${missing}`);
  // react-query shows the error only once its retries are spent: by then, the one request.
  await expect(page.locator('.notice.error').first()).toBeVisible();
  expect(asked).toHaveLength(1);

  // The organisations are held back until the page is checked: no truncated id meanwhile.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/organisations?*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/app/');
  const orgId = state().orgIds.zhasulan;
  const line = page.getByText(en.home.organisation.replace('{organisation}', '…'));
  await expect(line).toBeVisible();
  await expect(page.locator('main')).not.toContainText(orgId.slice(0, 8));
  release();
  await expect(page.getByText(en.home.organisation.replace('{organisation}', 'Жас Ұлан'))).toBeVisible();
  await context.close();
});

test('a coordinator creates a template in the interface and saves a new version of it', async ({ browser }) => {
  const suffix = randomBytes(3).toString('hex');
  const name = `Меморандум о молодёжных обменах ${suffix}`;
  const { page, context } = await signedIn(browser, 'coordinator', PHONE);
  await page.goto('/app/');
  await page.getByRole('navigation', { name: ru.nav.label }).getByRole('link', { name: ru.templateEditor.nav }).click();
  await expect(page.getByRole('heading', { name: ru.templateEditor.title, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: ru.templateEditor.new }).click();
  await page.getByLabel(ru.admin.name, { exact: true }).fill(name);
  await page.getByLabel(ru.templateEditor.textTitle.replace('{language}', 'Русский')).fill('Меморандум ({{place}})');
  await page.getByLabel(ru.templateEditor.textPurpose.replace('{language}', 'Русский')).fill('Обмен опытом.');
  await page
    .getByLabel(ru.templateEditor.textBody.replace('{language}', 'Русский'))
    .fill('1. Стороны встречаются в {{place}}.\n');
  await page.getByRole('button', { name: ru.templateEditor.create }).click();
  // A placeholder used but not declared: refused, named in Russian.
  const refusal = page.locator('.notice.error');
  await expect(refusal.locator('[data-field="placeholders"]')).toContainText(
    ru.fieldErrors.placeholderUndeclared.replace('{name}', 'place'),
  );
  await page.getByRole('button', { name: ru.templateEditor.addPlaceholder }).click();
  await page.getByLabel(ru.templateEditor.placeholderName).fill('place');
  await page.getByLabel(ru.templateEditor.placeholderKind).selectOption('place');
  await page.getByLabel(ru.templateEditor.placeholderLabel).fill('Место встречи');
  await expectAccessible(page, 'template editor (ru, phone)');
  await expectFitsPhone(page);
  await screenshot(page, 'people-admin-template-new-ru-phone');
  await page.getByRole('button', { name: ru.templateEditor.create }).click();
  const row = page.locator('tbody tr').filter({ hasText: name });
  await expect(row.locator('td').nth(2)).toHaveText('1');

  const coordinator = await apiAs('coordinator');
  const listed = (await coordinator('GET', '/templates?pageSize=100')).items.find(
    (x: { name: string }) => x.name === name,
  );
  const created = await coordinator('GET', `/templates/${listed.id}`);
  expect(created).toMatchObject({
    currentVersion: 1,
    language: 'ru',
    shared: false,
    texts: { ru: { title: 'Меморандум ({{place}})', body: '1. Стороны встречаются в {{place}}.\n' } },
    placeholders: [{ name: 'place', kind: 'place', label: 'Место встречи', required: true }],
  });

  // A new version: a Kazakh text added, the title changed.
  await row.getByRole('button', { name: `${ru.people.edit} ${name}` }).click();
  await expect(page.getByText(ru.templateEditor.newVersion.replace('{version}', '2'))).toBeVisible();
  await page.getByRole('button', { name: ru.templateEditor.addLanguage.replace('{language}', 'Қазақша') }).click();
  await page.getByLabel(ru.templateEditor.textTitle.replace('{language}', 'Қазақша')).fill('Меморандум ({{place}})');
  await page.getByLabel(ru.templateEditor.textPurpose.replace('{language}', 'Қазақша')).fill('Тәжірибе алмасу.');
  await page
    .getByLabel(ru.templateEditor.textBody.replace('{language}', 'Қазақша'))
    .fill('1. Тараптар {{place}} кездеседі.\n');
  await page.getByRole('button', { name: ru.templateEditor.saveVersion }).click();
  await expect(row.locator('td').nth(2)).toHaveText('2');
  const second = await coordinator('GET', `/templates/${listed.id}`);
  expect(second.currentVersion).toBe(2);
  expect(second.texts.kk).toEqual({
    title: 'Меморандум ({{place}})',
    purpose: 'Тәжірибе алмасу.',
    body: '1. Тараптар {{place}} кездеседі.\n',
  });
  expect(second.texts.ru.title).toBe('Меморандум ({{place}})');
  expect((await coordinator('GET', `/templates/${listed.id}?version=1`)).texts.kk).toBeUndefined();
  await expectAccessible(page, 'templates (ru, phone)');
  await screenshot(page, 'people-admin-templates-ru-phone');
  await context.close();
});
