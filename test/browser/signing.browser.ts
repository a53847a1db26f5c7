/**
 * Electronic signing in the browser: the signatory types the full name and gives the consent that
 * names the revision hash; the memorandum is executed when every party has signed.
 */
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, expect, PEOPLE, screenshot, signedIn, state, test } from './fixtures';

test('a signatory signs electronically with the typed name and a consent naming the revision hash', async ({
  browser,
}) => {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title: 'Электрондық қол қою',
    purpose: 'Тест',
    body: 'Тараптар бірлесіп жұмыс істейді.\n',
    language: 'kk',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    coordinatingOrganisationId: orgIds.qogam,
  });
  for (const p of ['qogam', 'youth']) {
    await coordinator('POST', `/memoranda/${m.id}/parties`, { organisationId: orgIds[p], role: 'signatory' });
  }
  const submitted = await coordinator('POST', `/memoranda/${m.id}/submit`);
  const revisionHash = submitted.currentRevision.hash as string;
  for (const who of ['coordinator', 'youth'] as const) {
    await (
      await apiAs(who)
    )('POST', `/memoranda/${m.id}/approvals`, { decision: 'approve', revisionHash });
  }
  await coordinator('POST', `/memoranda/${m.id}/open-signing`, { mode: 'parallel' });
  // The coordinating institution's signatory signs by API; the youth office's in the browser, in Kazakh.
  await coordinator('POST', `/memoranda/${m.id}/signatures`, {
    method: 'electronic',
    revisionHash,
    typedName: PEOPLE.coordinator.fullName,
    consent: true,
  });

  const { page } = await signedIn(browser, 'youth', { width: 390, height: 844 });
  await expect(page.getByRole('heading', { name: kk.waiting.title })).toBeVisible();
  await page.locator('section[aria-labelledby=waiting] a', { hasText: 'Электрондық қол қою' }).click();
  const sign = page.getByRole('button', { name: kk.sign.submit, exact: true });
  await expect(sign).toBeDisabled();
  await page.locator('#typed-name').fill(PEOPLE.youth.fullName);
  const consent = page.locator('label.consent');
  await expect(consent).toContainText(revisionHash);
  await expect(consent).toContainText(PEOPLE.youth.fullName);
  // The text being signed is on the panel, and the consent names its languages (here: Kazakh only).
  await expect(page.locator('section.revision-text')).toContainText(kk.languages.signing);
  await expect(consent).toContainText('(Қазақша)');
  await expect(sign).toBeDisabled();
  await consent.locator('input').check();
  await screenshot(page, 'sign-kk-phone');
  await sign.click();
  // Signing binds the organisation: a dialog says so and asks first.
  const dialog = page.getByRole('dialog', { name: kk.confirm.signTitle.replace('{organisation}', 'Жастар саясаты') });
  await expect(dialog).toContainText(revisionHash.slice(0, 16));
  await dialog.getByRole('button', { name: kk.sign.submit }).click();
  await expect(page.getByRole('status').filter({ hasText: kk.sign.recorded })).toBeVisible();
  await expect(async () => {
    const now = await coordinator('GET', `/memoranda/${m.id}`);
    expect(['executed', 'active']).toContain(now.status);
  }).toPass({ timeout: 60_000 });
  const signatures = await coordinator('GET', `/memoranda/${m.id}/signatures`);
  const mine = signatures.items.find((s: { organisationId: string }) => s.organisationId === orgIds.youth);
  expect(mine).toMatchObject({ method: 'electronic', signerName: PEOPLE.youth.fullName, revisionHash });
});

test('the coordinator renews an active memorandum, schedules its termination and starts an amendment', async ({
  browser,
}) => {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title: 'Действующий меморандум',
    purpose: 'Тест',
    body: 'Стороны сотрудничают.\n',
    language: 'ru',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    coordinatingOrganisationId: orgIds.qogam,
  });
  for (const p of ['qogam', 'university']) {
    await coordinator('POST', `/memoranda/${m.id}/parties`, { organisationId: orgIds[p], role: 'signatory' });
  }
  const revisionHash = (await coordinator('POST', `/memoranda/${m.id}/submit`)).currentRevision.hash as string;
  for (const who of ['coordinator', 'university'] as const) {
    const api = await apiAs(who);
    await api('POST', `/memoranda/${m.id}/approvals`, { decision: 'approve', revisionHash });
  }
  await coordinator('POST', `/memoranda/${m.id}/open-signing`, { mode: 'parallel' });
  for (const who of ['coordinator', 'university'] as const) {
    const api = await apiAs(who);
    await api('POST', `/memoranda/${m.id}/signatures`, {
      method: 'electronic',
      revisionHash,
      typedName: PEOPLE[who].fullName,
      consent: true,
    });
  }
  await expect(async () => {
    expect((await coordinator('GET', `/memoranda/${m.id}`)).status).toBe('active');
  }).toPass({ timeout: 60_000 });

  const { page } = await signedIn(browser, 'coordinator');
  await page.goto(`/app/memoranda/${m.id}`);
  const actions = page.locator('section[aria-labelledby=actions]');
  await actions.getByLabel(ru.actions.newEndDate).fill('2036-09-28');
  await actions.getByRole('button', { name: ru.actions.renew }).click();
  await expect(page.locator('.facts')).toContainText('2036');

  await page.locator('#term-date').fill('2035-01-01');
  const terminate = actions.locator('form', { has: page.getByRole('button', { name: ru.actions.terminate }) });
  await terminate.getByLabel(ru.actions.reason).fill('Решение сторон');
  await terminate.getByRole('button', { name: ru.actions.terminate }).click();
  const dialog = page.getByRole('dialog', { name: ru.confirm.terminateTitle });
  await expect(dialog).toContainText('2035');
  await dialog.getByRole('button', { name: ru.actions.terminate }).click();
  await expect(page.locator('.facts')).toContainText('Решение сторон');
  await expect(page.locator('.meta')).toContainText(ru.status.active);

  await actions.getByRole('button', { name: ru.actions.amend }).click();
  await expect(page.locator('.meta')).toContainText(ru.status.amendment_draft);
  await expect(page.getByRole('heading', { name: ru.draft.edit })).toBeVisible();
  await screenshot(page, 'amendment-ru-desktop');
});
