/**
 * The next action is obvious (issue 24): "waiting for you" on each person's home page with the action one click away
 * (coordinator: submit, revise, open signing; representative: decide; signatory: sign; a party: a date due today), the
 * memorandum page's line saying what happens next and whom everyone waits for, each party's approval and signature
 * status, the "a party signed" notice, and the confirmation dialogs of actions that cannot be undone (Escape cancels,
 * the focus stays in the dialog, each states its consequence). No console error on any page touched; axe-clean; a
 * phone's width.
 */
import { expect, type Page, test } from '@playwright/test';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, expectAccessible, PEOPLE, screenshot, signedIn, state } from './fixtures';

const TITLE = 'Келесі қадам';
const PHONE = { width: 390, height: 844 };

/** Console errors and uncaught exceptions of a page, collected from now on. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/** Nothing wider than the viewport (a phone). */
async function expectFits(page: Page) {
  const width = await page.locator('html').evaluate((html) => html.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
}

const fill = (message: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((s, [k, v]) => s.split(`{${k}}`).join(String(v)), message);

test('waiting for you, what happens next, party statuses, the "signed" notice and the confirmations', async ({
  browser,
}) => {
  const coordinatorApi = await apiAs('coordinator');
  const { orgIds } = state();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
  const m = await coordinatorApi('POST', '/memoranda', {
    title: TITLE,
    purpose: 'Бірлік пен келісім',
    body: 'Тараптар бірлесіп жұмыс істейді.\n',
    language: 'kk',
    timeZone: 'Asia/Almaty',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    orderedReview: true,
    coordinatingOrganisationId: orgIds.qogam,
  });
  const id: string = m.id;
  for (const [org, role, order] of [
    ['youth', 'signatory', 1],
    ['jasotan', 'signatory', 2],
    ['university', 'witness', 3],
    ['media', 'observer', 4],
  ] as const)
    await coordinatorApi('POST', `/memoranda/${id}/parties`, { organisationId: orgIds[org], role, order });

  // ── The coordinator (Russian): the draft waits to be submitted, one click from home.
  const { page: coord } = await signedIn(browser, 'coordinator');
  const coordErrors = consoleErrors(coord);
  const coordWaiting = coord.locator('section[aria-labelledby=waiting]');
  await expect(coordWaiting.getByRole('heading', { name: ru.waiting.title })).toBeVisible();
  const submitLink = coordWaiting.getByRole('link', { name: fill(ru.waiting.do_submit, { title: TITLE }) });
  await expect(submitLink).toBeVisible();
  await expectAccessible(coord, 'home with waiting ru desktop');
  await submitLink.click();
  await expect(coord.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  const next = coord.getByTestId('next-step');
  await expect(next).toContainText(fill(ru.next.draft, { coordinator: 'Қоғамдық келісім' }));

  // Removing a party asks first; Escape cancels and the party stays; confirming removes it.
  const rows = coord.locator('section[aria-labelledby=parties] tbody tr');
  await expect(rows).toHaveCount(4);
  const remove = coord.getByRole('button', { name: fill(ru.parties.removeNamed, { name: 'Aq Jol' }) });
  await remove.click();
  const removeDialog = coord.getByRole('dialog', { name: fill(ru.confirm.removePartyTitle, { name: 'Aq Jol' }) });
  await expect(removeDialog).toContainText(fill(ru.confirm.removeParty, { name: 'Aq Jol' }));
  // The safe choice has the focus, and the focus stays inside the modal dialog.
  await expect(removeDialog.getByRole('button', { name: ru.confirm.cancel })).toBeFocused();
  await coord.keyboard.press('Tab');
  await expect(removeDialog.getByRole('button', { name: ru.parties.remove })).toBeFocused();
  await expectAccessible(coord, 'remove-party dialog ru desktop');
  await screenshot(coord, 'next-remove-party-dialog-ru-desktop');
  await coord.keyboard.press('Escape');
  await expect(removeDialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  await expect(rows).toHaveCount(4);
  await remove.click();
  await removeDialog.getByRole('button', { name: ru.parties.remove }).click();
  await expect(rows).toHaveCount(3);

  // Submitted in ordered review: whom everyone waits for (the first party), and the parties' statuses.
  await coord.getByRole('button', { name: ru.actions.submit }).click();
  await expect(coord.locator('.meta')).toContainText(ru.status.in_review);
  await expect(next).toContainText(
    fill(ru.next.in_review, { parties: 'Жастар саясаты', coordinator: 'Қоғамдық келісім' }),
  );
  await expect(rows.filter({ hasText: 'Жастар саясаты' })).toContainText(ru.approvals.waiting);
  await expect(coord.locator('section[aria-labelledby=parties] thead')).toContainText(
    fill(ru.next.approvalColumn, { number: 1 }),
  );

  // ── The youth office's representative (Kazakh, phone): the revision waits for their decision.
  const { page: youth } = await signedIn(browser, 'youth', PHONE);
  const youthErrors = consoleErrors(youth);
  const youthWaiting = youth.locator('section[aria-labelledby=waiting]');
  const review = youthWaiting.getByRole('link', { name: fill(kk.waiting.do_approve, { title: TITLE }) });
  await expect(review).toBeVisible();
  await expect(youthWaiting.locator('li', { hasText: fill(kk.waiting.do_approve, { title: TITLE }) })).toContainText(
    fill(kk.waiting.why_approve, { number: 1 }),
  );
  await expectAccessible(youth, 'home with waiting kk phone');
  await expectFits(youth);
  await screenshot(youth, 'next-home-waiting-kk-phone');
  await review.click();
  await expect(youth.getByTestId('next-step')).toContainText(fill(kk.next.yours, { name: 'Жастар саясаты' }));
  // Declining asks first; cancelled, nothing is recorded.
  await youth.getByLabel(kk.decision.decline, { exact: true }).check();
  await youth.locator('#decision-comment').fill('Келісе алмаймыз');
  await youth.getByRole('button', { name: kk.review.submit }).click();
  const declineDialog = youth.getByRole('dialog', { name: kk.confirm.declineTitle });
  await expect(declineDialog).toContainText(fill(kk.confirm.decline, { number: 1 }));
  await expectFits(youth);
  await screenshot(youth, 'next-decline-dialog-kk-phone');
  await declineDialog.getByRole('button', { name: kk.confirm.cancel }).click();
  await expect(declineDialog).toHaveCount(0);
  expect((await coordinatorApi('GET', `/memoranda/${id}/approvals`)).items).toEqual([]);
  // Approving needs no dialog.
  await youth.getByLabel(kk.decision.approve, { exact: true }).check();
  await youth.locator('#decision-comment').fill('');
  await youth.getByRole('button', { name: kk.review.submit }).click();
  await expect(youth.getByText(kk.review.recorded)).toBeVisible();

  // ── Jas Otan asks for changes (through the API): the coordinator is to revise, naming it.
  const jasotanApi = await apiAs('jasotan');
  let hash = (await coordinatorApi('GET', `/memoranda/${id}`)).currentRevision.hash as string;
  await jasotanApi('POST', `/memoranda/${id}/approvals`, {
    decision: 'request_changes',
    revisionHash: hash,
    comment: 'Күндерді қосыңыз',
  });
  await coord.goto('/app/');
  const revise = coordWaiting.getByRole('link', { name: fill(ru.waiting.do_revise, { title: TITLE }) });
  await expect(revise).toBeVisible();
  await expect(coordWaiting.locator('li', { hasText: fill(ru.waiting.do_revise, { title: TITLE }) })).toContainText(
    fill(ru.waiting.why_revise, { party: 'Jas Otan' }),
  );
  await screenshot(coord, 'next-home-revise-ru-desktop');
  await revise.click();
  await expect(next).toContainText(fill(ru.next.revise, { parties: 'Jas Otan', coordinator: 'Қоғамдық келісім' }));
  // A new working revision (2): nobody has decided on it yet.
  await expect(coord.locator('section[aria-labelledby=parties] thead')).toContainText(
    fill(ru.next.approvalColumn, { number: 2 }),
  );
  await expectAccessible(coord, 'memorandum next step ru desktop');
  await screenshot(coord, 'next-memorandum-revise-ru-desktop');

  // Resubmitted and approved by both (API): all approved — open signing.
  hash = (await coordinatorApi('POST', `/memoranda/${id}/submit`)).currentRevision.hash;
  for (const who of ['youth', 'jasotan'] as const)
    await (
      await apiAs(who)
    )('POST', `/memoranda/${id}/approvals`, { decision: 'approve', revisionHash: hash });
  await coord.goto('/app/');
  const openSigning = coordWaiting.getByRole('link', { name: fill(ru.waiting.do_open_signing, { title: TITLE }) });
  await expect(openSigning).toBeVisible();
  await openSigning.click();
  await expect(next).toContainText(fill(ru.next.approved, { coordinator: 'Қоғамдық келісім' }));
  for (const party of ['Жастар саясаты', 'Jas Otan'])
    await expect(rows.filter({ hasText: party })).toContainText(ru.historyAction.approve);
  await coord.getByRole('radio', { name: ru.signing.sequential }).check();
  await coord.getByRole('button', { name: ru.signing.open }).click();
  await expect(coord.locator('.meta')).toContainText(ru.status.signing);
  await expect(next).toContainText('Жастар саясаты');
  await expect(next).not.toContainText('Jas Otan');

  // ── The youth office signs (phone, Kazakh): one click from home, a dialog naming the revision first.
  await youth.goto('/app/');
  const signLink = youthWaiting.getByRole('link', { name: fill(kk.waiting.do_sign, { title: TITLE }) });
  await expect(signLink).toBeVisible();
  await signLink.click();
  await youth.locator('#typed-name').fill(PEOPLE.youth.fullName);
  await youth.locator('label.consent input').check();
  await youth.getByRole('button', { name: kk.sign.submit, exact: true }).click();
  const signDialog = youth.getByRole('dialog', {
    name: fill(kk.confirm.signTitle, { organisation: 'Жастар саясаты' }),
  });
  await expect(signDialog).toContainText(hash.slice(0, 16));
  await expectAccessible(youth, 'sign dialog kk phone');
  await expectFits(youth);
  await screenshot(youth, 'next-sign-dialog-kk-phone');
  await signDialog.getByRole('button', { name: kk.sign.submit }).click();
  await expect(youth.getByRole('status').filter({ hasText: kk.sign.recorded })).toBeVisible();
  await expect(youth.getByTestId('next-step')).toContainText('Jas Otan');
  const youthRow = youth.locator('section[aria-labelledby=parties] tbody tr', { hasText: 'Жастар саясаты' });
  await expect(youthRow).toContainText(kk.next.signed);
  await expectFits(youth);
  await screenshot(youth, 'next-memorandum-signing-kk-phone');

  // The coordinator is told at once that the youth office signed (the worker dispatches the event).
  const signedTitle = `«${TITLE}»: Жастар саясаты подписала меморандум`;
  await expect(async () => {
    await coord.goto('/app/inbox');
    await expect(coord.getByRole('heading', { name: signedTitle })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await screenshot(coord, 'next-inbox-party-signed-ru-desktop');

  // Jas Otan signs (API): in force; a date due today waits for the youth office.
  await jasotanApi('POST', `/memoranda/${id}/signatures`, {
    method: 'electronic',
    revisionHash: hash,
    typedName: PEOPLE.jasotan.fullName,
    consent: true,
  });
  await expect(async () => {
    expect((await coordinatorApi('GET', `/memoranda/${id}`)).status).toBe('active');
  }).toPass({ timeout: 120_000 });
  await coordinatorApi('POST', `/memoranda/${id}/commitments`, {
    title: 'Бүгінгі кездесу',
    leadOrganisationId: orgIds.youth,
    dueDate: today,
  });
  await youth.goto('/app/');
  const report = youthWaiting.getByRole('link', {
    name: fill(kk.waiting.do_commitment_due, { commitment: 'Бүгінгі кездесу' }),
  });
  await expect(report).toBeVisible();
  await expect(youthWaiting).not.toContainText(kk.waiting.nothing);
  await expectFits(youth);
  await screenshot(youth, 'next-home-due-today-kk-phone');
  await report.click();
  await expect(youth).toHaveURL(/tab=commitments/);
  await expect(youth.locator('section.commitment', { hasText: 'Бүгінгі кездесу' })).toBeVisible();

  // ── Withdrawing a draft asks first, stating that it is for good.
  const other = await coordinatorApi('POST', '/memoranda', {
    title: 'Кері қайтарылатын жоба',
    purpose: 'Тест',
    body: 'Мәтін.\n',
    language: 'kk',
    coordinatingOrganisationId: orgIds.qogam,
  });
  await coord.goto(`/app/memoranda/${other.id}`);
  const withdraw = coord.locator('form', { has: coord.getByRole('button', { name: ru.actions.withdraw }) });
  await withdraw.getByLabel(ru.actions.reason).fill('Дубликат');
  await withdraw.getByRole('button', { name: ru.actions.withdraw }).click();
  const withdrawDialog = coord.getByRole('dialog', { name: ru.confirm.withdrawTitle });
  await expect(withdrawDialog).toContainText(ru.confirm.withdraw);
  await coord.keyboard.press('Escape');
  await expect(withdrawDialog).toHaveCount(0);
  await expect(coord.locator('.meta')).toContainText(ru.status.draft);
  await withdraw.getByRole('button', { name: ru.actions.withdraw }).click();
  await withdrawDialog.getByRole('button', { name: ru.actions.withdraw }).click();
  await expect(coord.locator('.meta')).toContainText(ru.status.withdrawn);
  await expect(next).toContainText(ru.next.withdrawn);

  // ── The admin (Kazakh): a role change and a deactivation each ask first.
  const adminApi = await apiAs('admin');
  const org = await adminApi('POST', '/organisations', {
    name: 'Уақытша ұйым',
    shortName: 'Уақытша',
    kind: 'other',
    language: 'kk',
  });
  const user = await adminApi('POST', '/users', {
    fullName: 'Уақытша Пайдаланушы',
    email: 'temporary.next@kelisim.test',
    password: 'Temporary-2021-kelisim',
    organisationId: org.id,
    roles: ['party_representative'],
    language: 'kk',
  });
  const { page: admin } = await signedIn(browser, 'admin');
  const adminErrors = consoleErrors(admin);
  await admin.goto(`/app/admin/users?q=${encodeURIComponent('Уақытша')}`);
  const userRow = admin.locator('tbody tr', { hasText: user.fullName });
  const adminBox = userRow.getByRole('checkbox', { name: kk.role.admin });
  await adminBox.click();
  const roleValues = { name: user.fullName, role: kk.role.admin };
  const roleDialog = admin.getByRole('dialog', { name: fill(kk.confirm.grantRoleTitle, roleValues) });
  await expect(roleDialog).toContainText(fill(kk.confirm.grantRole, roleValues));
  await expectAccessible(admin, 'role dialog kk desktop');
  await screenshot(admin, 'next-role-dialog-kk-desktop');
  await admin.keyboard.press('Escape');
  await expect(adminBox).not.toBeChecked();
  expect((await adminApi('GET', `/users/${user.id}`)).roles).toEqual(['party_representative']);
  await userRow.getByRole('button', { name: kk.admin.deactivate }).click();
  const userDialog = admin.getByRole('dialog', { name: fill(kk.confirm.deactivateUserTitle, { name: user.fullName }) });
  await userDialog.getByRole('button', { name: kk.admin.deactivate }).click();
  await expect(userRow).toContainText(kk.admin.inactive);

  await admin.goto(`/app/admin/organisations?q=${encodeURIComponent('Уақытша')}`);
  const orgRow = admin.locator('tbody tr', { hasText: 'Уақытша ұйым' });
  await orgRow.getByRole('button', { name: kk.admin.deactivate }).click();
  const orgDialog = admin.getByRole('dialog', {
    name: fill(kk.confirm.deactivateOrganisationTitle, { name: 'Уақытша' }),
  });
  await expect(orgDialog).toContainText(fill(kk.confirm.deactivateOrganisation, { name: 'Уақытша' }));
  await orgDialog.getByRole('button', { name: kk.admin.deactivate }).click();
  await expect(orgRow).toContainText(kk.admin.inactive);

  // Every page touched here, without a console error.
  expect([...coordErrors, ...youthErrors, ...adminErrors]).toEqual([]);
});
