/**
 * Both languages on screen: the coordinator edits the Russian original and its Kazakh translation
 * in one form, changes only the Russian and sees the Kazakh marked as possibly out of date, confirms
 * it checked; submitting with a stale translation asks first. The Kazakh-speaking representative
 * approves with the Kazakh text in front of them (the Russian one click away) and sees the diff
 * per language, without markers. The Text tab and the edit form in kk, ru and en at both sizes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, expect, expectAccessible, PEOPLE, screenshot, signedIn, state, test } from './fixtures';

const MSG = { en, ru, kk };
const LANGS = ['kk', 'ru', 'en'] as const;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };
const fixture = (l: string) =>
  readFileSync(join(__dirname, '..', '..', 'fixtures', `taraz-memorandum.${l}.txt`), 'utf8');
const RU_BODY = fixture('ru');
const KK_BODY = fixture('kk');
const fill = (message: string, values: Record<string, string | number>) =>
  message.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

async function switchLanguage(page: Page, lang: (typeof LANGS)[number]) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/me') && r.request().method() === 'PATCH');
  await page.locator('header .language select').selectOption(lang);
  expect((await saved).status()).toBe(200);
}

test('both languages: edited together, the Kazakh marked stale after a Russian-only change, approved in Kazakh, diffed per language', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title: 'Меморандум о многостороннем партнерстве между молодежью региона',
    purpose: 'Единство и согласие, обмен опытом, совместные исследования.',
    body: RU_BODY,
    language: 'ru',
    effectiveDate: '2021-09-28',
    endDate: '2024-09-28',
    coordinatingOrganisationId: orgIds.qogam,
    translations: {
      equallyAuthentic: true,
      texts: {
        kk: {
          title: 'Өңір жастары арасындағы көпжақты серіктестік туралы меморандум',
          purpose: 'Бірлік пен келісім, тәжірибе алмасу, бірлескен зерттеулер.',
          body: KK_BODY,
        },
      },
    },
  });
  const id = m.id as string;
  for (const who of ['coordinator', 'youth'] as const)
    await coordinator('POST', `/memoranda/${id}/parties`, {
      organisationId: orgIds[PEOPLE[who].organisation],
      role: 'signatory',
    });

  const r = MSG.ru;
  const { page, context } = await signedIn(browser, 'coordinator');
  await page.goto(`/app/memoranda/${id}`);
  const form = page.locator('form.draft-form');
  const kkTab = form.locator('.lang-tabs').getByRole('button', { name: /Қазақша/ });

  // Both languages edited in one save.
  await form
    .getByRole('textbox', { name: r.draft.title, exact: true })
    .fill('Меморандум о партнерстве молодежи региона');
  await kkTab.click();
  await form
    .getByRole('textbox', { name: r.draft.title, exact: true })
    .fill('Өңір жастарының серіктестігі туралы меморандум');
  await form.getByRole('button', { name: r.draft.save }).click();
  await expect(form.getByRole('status')).toHaveText(r.common.saved);
  let read = await coordinator('GET', `/memoranda/${id}`);
  expect(read.title).toBe('Меморандум о партнерстве молодежи региона');
  expect(read.translations.texts.kk.title).toBe('Өңір жастарының серіктестігі туралы меморандум');
  expect(read.staleTranslations).toEqual([]);
  await expect(kkTab).not.toContainText('⚠');

  // Only the Russian changes: warned before saving, the Kazakh marked afterwards.
  await form.getByRole('button', { name: new RegExp(`Русский · ${r.languages.original}`) }).click();
  await form
    .getByRole('textbox', { name: r.draft.body, exact: true })
    .fill(`${RU_BODY.trimEnd()}\n\nСтороны ежеквартально обмениваются планами совместных мероприятий.\n`);
  await expect(form.locator('.lang-will-be-stale')).toContainText('Қазақша');
  await form.getByRole('button', { name: r.draft.save }).click();
  await expect(kkTab).toContainText(r.languages.staleShort);
  read = await coordinator('GET', `/memoranda/${id}`);
  expect(read.staleTranslations).toEqual(['kk']);

  // The Text tab shows both, side by side, the Kazakh marked.
  await page.goto(`/app/memoranda/${id}?tab=text`);
  const kkText = page.locator('article.lang-version[data-language=kk]');
  await expect(kkText.locator('.badge.lang-stale')).toHaveText(r.languages.stale);
  await expect(kkText).toContainText('Өңір жастарының серіктестігі туралы меморандум');
  await expect(page.locator('article.lang-version[data-language=ru]')).toContainText('ежеквартально');
  await expect(page.locator('article.lang-version .badge.lang-authentic')).toHaveCount(2);

  // Screenshots while the draft has a stale translation: the Text tab and the edit form.
  for (const lang of LANGS) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await switchLanguage(page, lang);
      const msg = MSG[lang];
      await page.goto(`/app/memoranda/${id}?tab=text`);
      await expect(page.locator('article.lang-version')).toHaveCount(2);
      // The reader's language first when the memorandum has it.
      await expect(page.locator('article.lang-version').first()).toHaveAttribute(
        'data-language',
        lang === 'en' ? 'ru' : lang,
      );
      await expectAccessible(page, `text tab ${lang} ${size}`);
      await screenshot(page, `bilingual-text-${lang}-${size}`);
      await page.goto(`/app/memoranda/${id}`);
      await form
        .locator('.lang-tabs')
        .getByRole('button', { name: /Қазақша/ })
        .click();
      await expect(form.locator('.lang-stale-notice')).toContainText(msg.languages.staleExplained);
      await expectAccessible(page, `edit form ${lang} ${size}`);
      await screenshot(page, `bilingual-edit-${lang}-${size}`);
    }
  }
  await switchLanguage(page, 'ru');
  await page.setViewportSize(SIZES.desktop);

  // Confirmed checked: the mark goes.
  await page.goto(`/app/memoranda/${id}`);
  await kkTab.click();
  await form.getByRole('button', { name: fill(r.languages.checked, { language: 'Қазақша' }) }).click();
  await expect(kkTab).not.toContainText('⚠');
  expect((await coordinator('GET', `/memoranda/${id}`)).staleTranslations).toEqual([]);

  await page.getByRole('button', { name: r.actions.submit }).click();
  await expect(page.locator('.meta')).toContainText(r.status.in_review);

  // The Kazakh representative decides with the Kazakh text in front of them.
  const k = MSG.kk;
  const { page: youth, context: youthContext } = await signedIn(browser, 'youth', SIZES.phone);
  await youth.goto(`/app/memoranda/${id}`);
  const approving = youth.locator('section.revision-text');
  await expect(approving.locator('article.lang-version')).toHaveCount(1);
  await expect(approving.locator('article.lang-version')).toHaveAttribute('data-language', 'kk');
  await expect(approving).toContainText('Өңір жастарының серіктестігі туралы меморандум');
  await expect(approving.locator('code.hash')).toHaveAttribute('title', /^[0-9a-f]{64}$/);
  await approving.getByRole('button', { name: 'Русский' }).click();
  await expect(approving.locator('article.lang-version')).toHaveAttribute('data-language', 'ru');
  await approving.getByRole('button', { name: 'Қазақша' }).click();
  await youth.getByLabel(k.decision.request_changes).check();
  await youth.locator('#decision-comment').fill('Үшінші тармақты нақтылаңыз.');
  await youth.getByRole('button', { name: k.review.submit }).click();
  await expect(youth.getByText(k.review.recorded)).toBeVisible();

  // The coordinator changes only the Russian again; submitting asks first.
  await page.reload();
  await expect(page.locator('.meta')).toContainText(r.status.draft);
  await form
    .getByRole('textbox', { name: r.draft.body, exact: true })
    .fill(`${RU_BODY.trimEnd()}\n\nСтороны ежеквартально обмениваются планами.\n`);
  await form.getByRole('button', { name: r.draft.save }).click();
  await expect(kkTab).toContainText(r.languages.staleShort);
  await page.getByRole('button', { name: r.actions.submit }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Қазақша' })).toHaveCount(1);
  await expect(page.locator('.meta')).toContainText(r.status.draft);
  await page.getByRole('button', { name: r.languages.submitAnyway }).click();
  await expect(page.locator('.meta')).toContainText(r.status.in_review);

  // Revision 2: the Kazakh representative sees the Kazakh text marked, and the diff per language.
  await youth.goto(`/app/memoranda/${id}`);
  await expect(approving.locator('article.lang-version')).toHaveAttribute('data-language', 'kk');
  await expect(approving.locator('.badge.lang-stale')).toHaveText(k.languages.stale);
  const diff = youth.locator('section.diff').first();
  await expect(diff.locator('.diff-section[data-language=ru] table.diff-table')).toHaveCount(1);
  await expect(diff.locator('.diff-section[data-language=ru] caption')).toHaveText(`Русский: ${k.draft.body}`);
  await expect(diff.locator('.diff-section[data-language=ru]')).toContainText('обмениваются планами.');
  await expect(diff.locator('.diff-section[data-language=kk]')).toContainText(k.languages.unchanged);
  await expect(diff.locator('.diff-section[data-language=kk] table')).toHaveCount(0);
  await expect(diff).not.toContainText('== kk ==');
  await expect(diff).not.toContainText('Title:');
  await expect(diff).not.toContainText('Body:');
  await expectAccessible(youth, 'review with text and diff kk phone');
  await screenshot(youth, 'bilingual-review-kk-phone');
  await youth.getByLabel(k.decision.approve, { exact: true }).check();
  await youth.getByRole('button', { name: k.review.submit }).click();
  await expect(youth.getByText(k.review.recorded)).toBeVisible();

  // The Revisions tab's diff: the same sections.
  await page.goto(`/app/memoranda/${id}?tab=revisions`);
  await expect(page.locator('.diff-section[data-language=ru] table.diff-table')).toHaveCount(1);
  await expect(page.locator('section.diff')).not.toContainText('== kk ==');
  await screenshot(page, 'bilingual-revisions-ru-desktop');

  await coordinator('PATCH', '/me', { language: PEOPLE.coordinator.language });
  await youthContext.close();
  await context.close();
});
