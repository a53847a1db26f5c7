/**
 * Changing commitments in the browser: the coordinator opens an amendment and, on the
 * Commitments tab, changes a text commitment's recurrence, removes one and adds one (a date
 * outside the term refused on its field in the user's language) and sees each change marked;
 * once the amendment is submitted the proposal is read-only. A report is corrected (the history
 * keeps both versions) and a plan commitment is edited. Recurrences are shown in words. The
 * tab in kk, ru and en on a phone and a desktop: no serious accessibility violation, screenshots.
 */
import { type Page } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import {
  apiAs,
  executeThroughApi,
  expect,
  expectAccessible,
  PASSWORD,
  PEOPLE,
  screenshot,
  signedIn,
  state,
  test,
} from './fixtures';

const MSG = { en, ru, kk };
const LANGS = ['kk', 'ru', 'en'] as const;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };
const fill = (message: string, values: Record<string, string | number>) =>
  message.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

/** An active memorandum with two text commitments, a plan commitment and a report of the university. */
async function activeMemorandum() {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title: 'Жастар саясаты туралы меморандум (түзету)',
    purpose: 'Бірлескен іс-шаралар',
    body: 'Тараптар бірлескен іс-шаралар өткізеді.\n',
    language: 'kk',
    effectiveDate: '2021-09-28',
    endDate: '2031-09-28',
    coordinatingOrganisationId: orgIds.qogam,
  });
  const parties = ['coordinator', 'university', 'zhasulan'] as const;
  for (const who of parties)
    await coordinator('POST', `/memoranda/${m.id}/parties`, {
      organisationId: orgIds[PEOPLE[who].organisation],
      role: 'signatory',
    });
  const forum = await coordinator('POST', `/memoranda/${m.id}/commitments`, {
    title: 'Облыстық жастар форумы',
    clauseRef: '2.1',
    leadOrganisationId: orgIds.university,
    organisationIds: [orgIds.zhasulan],
    rrule: 'FREQ=YEARLY;COUNT=8',
  });
  const seminar = await coordinator('POST', `/memoranda/${m.id}/commitments`, {
    title: 'Әдістемелік семинар',
    clauseRef: '2.2',
    leadOrganisationId: orgIds.zhasulan,
    dueDate: '2030-05-15',
  });
  await executeThroughApi(m.id, parties);
  const plan = await coordinator('POST', `/memoranda/${m.id}/commitments`, {
    title: 'Ashyq esik — open day',
    leadOrganisationId: orgIds.zhasulan,
    dueDate: '2029-04-20',
  });
  const login = await fetch(`${state().base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: PEOPLE.university.email, password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const form = new FormData();
  form.append(
    'report',
    JSON.stringify({
      date: '2021-12-10',
      summary: 'Форум Тараз қаласында өтті.',
      participants: 230,
      occurrenceDate: '2021-09-28',
    }),
  );
  const res = await fetch(`${state().base}/commitments/${forum.id}/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(201);
  const report = (await res.json()) as { id: string };
  return {
    id: m.id as string,
    forum: forum.id as string,
    seminar: seminar.id as string,
    plan: plan.id as string,
    report: report.id,
  };
}

async function switchLanguage(page: Page, lang: (typeof LANGS)[number]) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/me') && r.request().method() === 'PATCH');
  await page.locator('header .language select').selectOption(lang);
  expect((await saved).status()).toBe(200);
}

test('an amendment changes, removes and adds text commitments on the Commitments tab; a report is corrected; a plan commitment is edited', async ({
  browser,
}) => {
  test.setTimeout(900_000);
  const { id, forum, seminar, plan, report } = await activeMemorandum();
  const coordinator = await apiAs('coordinator');
  await coordinator('POST', `/memoranda/${id}/amendments`, { reason: 'Форум жиілетіледі' });
  const ru_ = MSG.ru; // the coordinator's language
  const { page, context } = await signedIn(browser, 'coordinator');
  await page.goto(`/app/memoranda/${id}?tab=commitments`);
  const proposal = page.locator('section.amendment-proposal');
  await expect(proposal.locator('h2')).toHaveText(fill(ru_.amend.proposalTitle, { revision: 2 }));
  await expect(proposal.locator('li[data-change=unchanged]')).toHaveCount(2);
  // The recurrence in words, in force and proposed.
  await expect(page.locator(`section.commitment[data-commitment="${forum}"] [data-rrule]`)).toHaveText(
    'ежегодно, 8 раз',
  );

  // 1. The forum becomes quarterly until the end of 2027.
  const forumItem = proposal.locator(`li[data-commitment="${forum}"]`);
  await forumItem.getByRole('button', { name: fill(ru_.amend.editLabel, { title: 'Облыстық жастар форумы' }) }).click();
  await forumItem.getByLabel(ru_.followup.rrule).fill('FREQ=MONTHLY;INTERVAL=3;UNTIL=20271231');
  await expect(forumItem.locator('.field').filter({ has: page.getByLabel(ru_.followup.rrule) })).toContainText(
    'ежеквартально до 31 декабря 2027 г.',
  );
  await forumItem.getByRole('button', { name: ru_.amend.save }).click();
  await expect(forumItem).toHaveAttribute('data-change', 'changed');
  await expect(forumItem.locator('[data-rrule]')).toHaveText('ежеквартально до 31 декабря 2027 г.');
  await expect(forumItem.locator('.change-badge')).toHaveText(ru_.amend.change_changed);

  // 2. The seminar is removed.
  const seminarItem = proposal.locator(`li[data-commitment="${seminar}"]`);
  await seminarItem
    .getByRole('button', { name: fill(ru_.amend.removeLabel, { title: 'Әдістемелік семинар' }) })
    .click();
  await seminarItem.getByRole('button', { name: ru_.amend.removeYes }).click();
  await expect(seminarItem).toHaveAttribute('data-change', 'removed');
  await expect(seminarItem.locator('del')).toHaveText('Әдістемелік семинар');
  await expect(seminarItem.getByRole('button')).toHaveCount(0);

  // 3. A new commitment: a date after the term is refused on its field, in Russian; then added.
  await proposal.locator('details.add-text > summary').click();
  const add = proposal.locator('details.add-text form');
  await add.getByLabel(ru_.followup.title).fill('Жазғы лагерь');
  await add.getByLabel(ru_.amend.clauseRef).fill('2.3');
  await add.getByLabel(ru_.followup.lead).selectOption(state().orgIds.zhasulan);
  await add.getByLabel(ru_.followup.dueDate).fill('2035-07-01');
  await add.getByRole('button', { name: ru_.amend.addText }).click();
  const refusal = fill(ru_.fieldErrors.afterEnd, { date: '28 сентября 2031 г.' });
  await expect(add.locator('.field-error')).toHaveText(refusal);
  await expect(add.locator('[role=alert][data-code] li[data-field=dueDate]')).toHaveText(
    `${ru_.fieldErrors.field_dueDate}: ${refusal}`,
  );
  await screenshot(page, 'amendment-field-error-ru-desktop');
  await add.getByLabel(ru_.followup.dueDate).fill('2027-07-01');
  await add.getByRole('button', { name: ru_.amend.addText }).click();
  const added = proposal.locator('li[data-change=added]');
  await expect(added).toHaveCount(1);
  await expect(added.locator('h3')).toContainText('Жазғы лагерь');
  await expect(proposal.locator('[data-testid=proposal-summary]')).toContainText(
    '2 текстовых обязательства · добавлено: 1 · изменено: 1 · удалено: 1',
  );

  // The API agrees with what the page shows.
  const listed = await coordinator('GET', `/memoranda/${id}/amendment/commitments`);
  expect(Object.fromEntries(listed.items.map((c: any) => [c.title, [c.amendment.change, c.rrule, c.dueDate]]))).toEqual(
    {
      'Облыстық жастар форумы': ['changed', 'FREQ=MONTHLY;INTERVAL=3;UNTIL=20271231', null],
      'Әдістемелік семинар': ['removed', null, '2030-05-15'],
      'Жазғы лагерь': ['added', null, '2027-07-01'],
    },
  );
  expect(listed.frozen).toBe(false);

  // The proposal in kk, ru and en on both sizes.
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    for (const lang of LANGS) {
      await switchLanguage(page, lang);
      await page.goto(`/app/memoranda/${id}?tab=commitments`);
      await expect(proposal.locator('li[data-change]')).toHaveCount(3);
      await expect(proposal.locator('li[data-change=changed] .change-badge')).toHaveText(
        MSG[lang].amend.change_changed,
      );
      await expect(page.getByText(MSG[lang].common.loading)).toHaveCount(0);
      if (size === 'desktop') await forumItem.getByRole('button', { name: MSG[lang].amend.edit }).click();
      await expectAccessible(page, `amendment-draft ${lang} ${size}`);
      await screenshot(page, `amendment-draft-${lang}-${size}`);
    }
  }
  await switchLanguage(page, 'ru');

  // Submitted: read-only.
  await coordinator('POST', `/memoranda/${id}/submit`, {});
  await page.goto(`/app/memoranda/${id}?tab=commitments`);
  await expect(proposal).toHaveAttribute('data-frozen', 'true');
  await expect(proposal).toContainText(ru_.amend.frozenIntro);
  await expect(proposal.getByRole('button')).toHaveCount(0);
  await expect(proposal.locator('details.add-text')).toHaveCount(0);
  await expect(proposal.locator('li[data-change]')).toHaveCount(3);

  // A report is corrected: version 2, the history keeps both.
  const card = page.locator(`section.commitment[data-commitment="${forum}"]`);
  await card.getByRole('button', { name: new RegExp(ru_.amend.correct) }).click();
  const correction = card.locator('.correct-report form');
  await correction.getByLabel(ru_.followup.summary).fill('Форум Тараз қаласында өтті; 230 қатысушы, 12 аудан.');
  await correction.getByLabel(ru_.followup.participants).fill('245');
  await correction.getByLabel(ru_.amend.reason).fill('Қатысушылар саны нақтыланды');
  await correction.getByRole('button', { name: ru_.amend.correct }).click();
  await expect(card.getByRole('status')).toHaveText(ru_.amend.corrected);
  await expect(card.locator(`[data-report="${report}"]`)).toContainText(
    fill(ru_.amend.correctedVersion, { version: 2 }),
  );
  await expect(card.locator(`[data-report="${report}"]`)).toContainText('12 аудан');
  const corrected = await coordinator('GET', `/reports/${report}`);
  expect(corrected).toMatchObject({ version: 2, participants: 245 });
  const history = await coordinator('GET', `/memoranda/${id}/history`);
  const event = history.items.find((e: any) => e.action === 'report.corrected');
  expect(event.data.before).toMatchObject({ summary: 'Форум Тараз қаласында өтті.', participants: 230 });
  expect(event.data.after).toMatchObject({ participants: 245 });

  // A plan commitment is edited while active.
  const planCard = page.locator(`section.commitment[data-commitment="${plan}"]`);
  await planCard.locator('details > summary', { hasText: ru_.amend.edit }).click();
  await planCard.getByLabel(ru_.followup.title).fill('Ashyq esik — open day for schools');
  await planCard.getByLabel(ru_.followup.dueDate).fill('2029-05-20');
  await planCard.getByRole('button', { name: ru_.amend.save }).click();
  await expect(planCard.locator('h3')).toHaveText('Ashyq esik — open day for schools');
  expect(await coordinator('GET', `/commitments/${plan}`)).toMatchObject({
    title: 'Ashyq esik — open day for schools',
    dueDate: '2029-05-20',
  });

  for (const lang of LANGS) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await switchLanguage(page, lang);
      await page.goto(`/app/memoranda/${id}?tab=commitments`);
      await expect(proposal).toHaveAttribute('data-frozen', 'true');
      await expect(page.getByText(MSG[lang].common.loading)).toHaveCount(0);
      await expectAccessible(page, `amendment-submitted ${lang} ${size}`);
      await screenshot(page, `amendment-submitted-${lang}-${size}`);
    }
  }
  await coordinator('PATCH', '/me', { language: PEOPLE.coordinator.language });
  await context.close();
});
