/**
 * The Taraz memorandum in the browser: the coordinator drafts it with seven parties, one party
 * requests changes, the coordinator revises, every party approves (each its own user, in its own
 * language), a ceremony is recorded, and the memorandum becomes active.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { ORGANISATIONS, PEOPLE, type PersonKey, screenshot, signedIn } from './fixtures';

const MSG = { en, ru, kk };
const TEXT = readFileSync(join(__dirname, '..', '..', 'fixtures', 'taraz-youth-memorandum.ru.txt'), 'utf8');
const PARTIES: PersonKey[] = ['coordinator', 'youth', 'zhangyru', 'jasotan', 'zhasulan', 'university', 'media'];

test('the Taraz memorandum: drafted, changed on request, approved by all seven parties, signed at the ceremony, active', async ({
  browser,
}) => {
  const ruMsg = MSG.ru;
  const { page: coord } = await signedIn(browser, 'coordinator');
  await expect(coord.getByRole('heading', { level: 1 })).toContainText('Здравствуйте');

  // The draft.
  await coord.getByRole('link', { name: ruMsg.memoranda.new }).first().click();
  await coord.locator('#d-title').fill('Меморандум о сотрудничестве в сфере молодёжной политики');
  await coord.locator('#d-purpose').fill('Совместные мероприятия за единство и согласие, обмен опытом, исследования.');
  await coord.locator('#d-body').fill(TEXT);
  await coord.locator('#d-language').selectOption('ru');
  await coord.locator('#d-effective').fill('2021-09-28');
  await coord.locator('#d-end').fill('2031-09-28');
  await coord.getByRole('button', { name: ruMsg.draft.create }).click();
  await expect(coord).toHaveURL(/\/app\/memoranda\/[0-9a-f-]{36}/);
  const id = /memoranda\/([0-9a-f-]{36})/.exec(coord.url())![1];
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.draft);

  // Seven parties, the coordinating institution among them.
  for (const [i, o] of ORGANISATIONS.entries()) {
    const option = coord.locator('#party-org option', { hasText: o.shortName }).first();
    const value = await option.getAttribute('value');
    await coord.locator('#party-org').selectOption(value!);
    await coord.locator('form.add-party button[type=submit]').click();
    await expect(coord.locator('section[aria-labelledby=parties] tbody tr')).toHaveCount(i + 1);
  }
  await screenshot(coord, 'taraz-draft-ru-desktop');
  await coord.getByRole('button', { name: ruMsg.actions.submit }).click();
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.in_review);

  // Jas Otan asks for a change, in Russian, from its "waiting" list.
  const { page: critic } = await signedIn(browser, 'jasotan');
  await expect(critic.getByRole('heading', { name: ruMsg.home.waiting })).toBeVisible();
  await critic.locator('section[aria-labelledby=waiting] a').first().click();
  await critic.getByLabel(ruMsg.decision.request_changes).check();
  await critic.locator('#decision-comment').fill('Просим дополнить пунктом о ежеквартальном обмене планами.');
  await critic.getByRole('button', { name: ruMsg.review.submit }).click();
  await expect(critic.getByText(ruMsg.review.recorded)).toBeVisible();

  // The coordinator revises the text and submits again: revision 2.
  await coord.reload();
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.draft);
  await coord
    .locator('#d-body')
    .fill(`${TEXT.trimEnd()}\n\nСтороны ежеквартально обмениваются планами совместных мероприятий.\n`);
  await coord.getByRole('button', { name: ruMsg.draft.save }).click();
  await expect(coord.getByText(ruMsg.common.saved)).toBeVisible();
  await coord.getByRole('button', { name: ruMsg.actions.submit }).click();
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.in_review);
  await expect(coord.locator('.meta')).toContainText(ruMsg.home.revision.replace('{number}', '2'));

  // Every party approves, each in its own language; the critic sees what changed since revision 1.
  for (const who of PARTIES) {
    const lang = PEOPLE[who].language as keyof typeof MSG;
    const msg = MSG[lang];
    const { page, context } = await signedIn(browser, who);
    await page.goto(`/app/memoranda/${id}`);
    await expect(page.getByRole('button', { name: msg.review.submit })).toBeVisible();
    if (who === 'jasotan') {
      await expect(page.locator('.diff-table')).toContainText('ежеквартально');
      await screenshot(page, 'taraz-review-diff-ru-desktop');
    }
    await page.getByLabel(msg.decision.approve, { exact: true }).check();
    await page.getByRole('button', { name: msg.review.submit }).click();
    await expect(page.getByText(msg.review.recorded)).toBeVisible();
    await context.close();
  }

  // The approval matrix shows both revisions.
  await coord.goto(`/app/memoranda/${id}?tab=approvals`);
  await expect(coord.locator('table.matrix td.decision-request_changes')).toHaveCount(1);
  await expect(coord.locator('table.matrix td.decision-approve')).toHaveCount(7);
  await screenshot(coord, 'taraz-approvals-ru-desktop');

  // Signing at the ceremony in Taraz, recorded by the coordinator with a scan as evidence.
  await coord.goto(`/app/memoranda/${id}`);
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.approved);
  await coord.locator('#cer-place').fill('Тараз, Дом дружбы');
  await coord.locator('#cer-date').fill('2021-09-28T11:00');
  await coord.getByRole('button', { name: ruMsg.signing.open }).click();
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.signing);
  for (const o of ORGANISATIONS) {
    const who = PARTIES.find((p) => PEOPLE[p].organisation === o.key)!;
    const option = coord.locator('#cer-org option', { hasText: o.shortName }).first();
    await coord.locator('#cer-org').selectOption((await option.getAttribute('value'))!);
    await coord.locator('#cer-signer').fill(PEOPLE[who].fullName);
    await coord.locator('#cer-at').fill('2021-09-28T11:30');
    await coord.locator('#cer-where').fill('Тараз, Дом дружбы');
    await coord.locator('#cer-witnesses').fill('проректор ТарӨУ, пресса');
    await coord.locator('#cer-file').setInputFiles({
      name: `signature-${o.key}.jpg`,
      mimeType: 'image/jpeg',
      buffer: Buffer.from(`scan of the signature page of ${o.shortName}`),
    });
    await coord.getByRole('button', { name: ruMsg.ceremony.record }).click();
    await expect(coord.locator('#cer-org option', { hasText: o.shortName })).toHaveCount(0);
  }

  // Executed, and active from the effective date (which has passed): the worker's timer.
  await expect(async () => {
    await coord.reload();
    await expect(coord.locator('.meta')).toContainText(ruMsg.status.active, { timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await screenshot(coord, 'taraz-active-ru-desktop');

  await coord.goto(`/app/memoranda/${id}?tab=history`);
  await expect(coord.locator('.notice.ok')).toContainText('Цепочка истории цела');
  await screenshot(coord, 'taraz-history-ru-desktop');
  await coord.goto(`/app/memoranda/${id}?tab=signing`);
  await expect(coord.locator('table tbody tr')).toHaveCount(7);
});
