/**
 * The Taraz memorandum in the browser: the coordinator drafts it with seven parties, one party
 * requests changes, the coordinator revises, every party approves (each its own user, in its own
 * language), a ceremony is recorded, and the memorandum becomes active. Then its follow-up: the
 * coordinator adds activity-plan commitments, a party representative files a report with an
 * evidence file and marks a date completed, and the supervisor sees it on the dashboard, in the
 * party's scorecard and in the memorandum's timeline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, ORGANISATIONS, PEOPLE, type PersonKey, screenshot, signedIn, state } from './fixtures';

const MSG = { en, ru, kk };
const TEXT = readFileSync(join(__dirname, '..', '..', 'fixtures', 'taraz-memorandum.ru.txt'), 'utf8');
const PARTIES: PersonKey[] = ['coordinator', 'youth', 'zhangyru', 'jasotan', 'zhasulan', 'university', 'media'];

test('the Taraz memorandum: drafted, changed on request, approved by all seven parties, signed at the ceremony, active, followed up', async ({
  browser,
}) => {
  const ruMsg = MSG.ru;
  const { page: coord } = await signedIn(browser, 'coordinator');
  const coordErrors: string[] = [];
  coord.on('console', (m) => m.type() === 'error' && coordErrors.push(`${coord.url()}: ${m.text()}`));
  coord.on('pageerror', (e) => coordErrors.push(`${coord.url()}: ${e.message}`));
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
  await expect(critic.getByRole('heading', { name: ruMsg.waiting.title })).toBeVisible();
  await critic.locator('section[aria-labelledby=waiting] a').first().click();
  await critic.getByLabel(ruMsg.decision.request_changes).check();
  await critic.locator('#decision-comment').fill('Просим дополнить пунктом о ежеквартальном обмене планами.');
  await critic.getByRole('button', { name: ruMsg.review.submit }).click();
  await expect(critic.getByText(ruMsg.review.recorded)).toBeVisible();

  // The coordinator's home says what to do — revise — one click from the draft; the page says who asked.
  const title = 'Меморандум о сотрудничестве в сфере молодёжной политики';
  const coordWaiting = coord.locator('section[aria-labelledby=waiting]');
  await coord.goto('/app/');
  await coordWaiting.getByRole('link', { name: ruMsg.waiting.do_revise.replace('{title}', title) }).click();
  await expect(coord.getByTestId('next-step')).toContainText('Jas Otan');
  // The coordinator revises the text and submits again: revision 2.
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

  // Signing at the ceremony in Taraz, recorded by the coordinator with a scan as evidence: "all approved —
  // open signing" on the home page.
  await coord.goto('/app/');
  await coordWaiting.getByRole('link', { name: ruMsg.waiting.do_open_signing.replace('{title}', title) }).click();
  await expect(coord.getByTestId('next-step')).toContainText(
    ruMsg.next.approved.replace('{coordinator}', 'Қоғамдық келісім'),
  );
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

  // Executed, and active from the effective date (which has passed): the worker's timer. First the
  // status itself (through the API), then the page, reloaded once, shows it: no reload racing a
  // short timeout on a busy machine.
  const coordinatorApi = await apiAs('coordinator');
  await expect(async () => {
    expect((await coordinatorApi('GET', `/memoranda/${id}`)).status).toBe('active');
  }).toPass({ timeout: 120_000 });
  await coord.reload();
  await expect(coord.locator('.meta')).toContainText(ruMsg.status.active);
  await screenshot(coord, 'taraz-active-ru-desktop');

  await coord.goto(`/app/memoranda/${id}?tab=history`);
  await expect(coord.locator('.notice.ok')).toContainText('Цепочка истории цела');
  await screenshot(coord, 'taraz-history-ru-desktop');
  await coord.goto(`/app/memoranda/${id}?tab=signing`);
  await expect(coord.locator('table tbody tr')).toHaveCount(7);

  // The follow-up. The coordinator adds a joint event to the activity plan in the browser, for the
  // youth office with the university, due in ten days …
  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await coord.goto(`/app/memoranda/${id}?tab=commitments`);
  await coord.getByText(ruMsg.followup.addPlan).click();
  await coord
    .getByLabel(ruMsg.followup.title, { exact: true })
    .fill('Бірлік пен келісім күніне арналған бірлескен іс-шара');
  await coord.getByLabel(ruMsg.followup.lead, { exact: true }).selectOption({ label: 'Жастар саясаты' });
  await coord.getByRole('checkbox', { name: 'ТарӨУ' }).check();
  await coord.getByLabel(ruMsg.followup.dueDate, { exact: true }).fill(inTenDays);
  await coord.getByLabel(ruMsg.followup.targetQuantity, { exact: true }).fill('200');
  await coord.getByLabel(ruMsg.followup.targetUnit, { exact: true }).fill('участников');
  await coord.getByRole('button', { name: ruMsg.followup.add }).click();
  await expect(coord.getByText(ruMsg.followup.added)).toBeVisible();
  await expect(coord.locator('section.commitment h3')).toHaveText([
    'Бірлік пен келісім күніне арналған бірлескен іс-шара',
  ]);
  // … and (through the API) a half-yearly exchange of experience whose four dates have all passed.
  await coordinatorApi('POST', `/memoranda/${id}/commitments`, {
    title: 'Тәжірибе алмасу семинары',
    leadOrganisationId: state().orgIds.youth,
    rrule: 'FREQ=MONTHLY;INTERVAL=6;COUNT=4',
  });
  await expect(async () => {
    const list = await coordinatorApi('GET', `/memoranda/${id}/commitments`);
    const exchange = list.items.find((c: { title: string }) => c.title === 'Тәжірибе алмасу семинары');
    expect(exchange.status).toBe('overdue');
    // The worker's timer marks each past date overdue, one after another.
    expect(exchange.occurrences.map((o: { status: string }) => o.status)).toEqual(Array(4).fill('overdue'));
  }).toPass({ timeout: 180_000 });

  // The youth office's representative (Kazakh) sees what is due, overdue first, and files a report.
  const kkMsg = MSG.kk;
  const { page: rep } = await signedIn(browser, 'youth', { width: 390, height: 844 });
  await rep.getByRole('link', { name: kkMsg.followup.navMine }).click();
  await expect(rep.getByRole('heading', { level: 1 })).toHaveText(kkMsg.followup.myTitle);
  const rows = rep.locator('table.urgent tbody tr');
  await expect(rows.first()).toContainText('Тәжірибе алмасу семинары');
  await expect(rows.first()).toContainText(kkMsg.followup.status_overdue);
  // Grouped: overdue first, then this month, then later (collapsed); each group names its count.
  await expect(rep.locator('[data-group=overdue] table.urgent tbody tr')).toHaveCount(4);
  await expect(rep.locator('main')).toContainText('Бірлік пен келісім күніне арналған бірлескен іс-шара');
  await screenshot(rep, 'taraz-our-commitments-kk-phone');
  await rows.first().getByRole('link').click();
  const exchange = rep.locator('section.commitment', { hasText: 'Тәжірибе алмасу семинары' });
  await exchange.getByText(kkMsg.followup.fileReport).click();
  await exchange.getByLabel(kkMsg.followup.reportFor, { exact: true }).selectOption({ index: 1 });
  await exchange
    .getByLabel(kkMsg.followup.summary, { exact: true })
    .fill('Тараз қаласында жастар ұйымдарының тәжірибе алмасу семинары өтті.');
  await exchange.getByLabel(kkMsg.followup.participants, { exact: true }).fill('45');
  await exchange.getByLabel(kkMsg.followup.outcome, { exact: true }).fill('Бірлескен жоспар жасалды.');
  // A file of a type that is not accepted is refused before anything is sent …
  const files = exchange.getByLabel(kkMsg.followup.files, { exact: true });
  await files.setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.from('PK zip') });
  await expect(exchange.locator('[data-code=file_check]')).toContainText('photos.zip');
  await expect(exchange.getByRole('button', { name: kkMsg.followup.submitReport })).toBeDisabled();
  // … and an attendance list as PDF is filed with the report.
  const pdf = Buffer.from('%PDF-1.4\n% қатысушылар тізімі\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
  await files.setInputFiles({ name: 'қатысушылар-тізімі.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(exchange.locator('[data-code=file_check]')).toHaveCount(0);
  await screenshot(rep, 'taraz-report-form-kk-phone');
  await exchange.getByRole('button', { name: kkMsg.followup.submitReport }).click();
  await expect(exchange.getByText(kkMsg.followup.reportFiled)).toBeVisible();
  const download = exchange.getByRole('link', { name: /қатысушылар-тізімі\.pdf/ });
  await expect(download).toBeVisible();
  const served = await rep.request.get((await download.getAttribute('href'))!);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toContain('application/pdf');
  expect(Buffer.compare(await served.body(), pdf)).toBe(0);
  // The report was for an open date: the form offers to mark it completed (one click more, not on
  // its own); it was overdue, so it counts as late.
  const firstDate = (await exchange.locator('table.occurrences tbody tr').first().locator('td').first().textContent())!;
  const offer = exchange.locator('[data-report-filed]');
  await expect(offer).toContainText(kkMsg.followLoop.offerComplete.replace('{date}', firstDate));
  await expect(exchange.locator('table.occurrences tbody tr').first()).toContainText(kkMsg.followup.status_overdue);
  await screenshot(rep, 'taraz-report-offer-kk-phone');
  await offer.getByRole('button', { name: kkMsg.followup.completeDate.replace('{date}', firstDate) }).click();
  await expect(offer).toContainText(kkMsg.followLoop.dateCompleted.replace('{date}', firstDate));
  await expect(exchange.getByText(kkMsg.followup.completed, { exact: true })).toBeVisible();
  await expect(exchange.locator('table.occurrences tbody tr').first()).toContainText(kkMsg.followup.status_completed);
  await screenshot(rep, 'taraz-commitments-kk-phone');

  // The admin puts the youth office in the supervisor's scope (its memoranda: in the browser tests,
  // only the Taraz memorandum has commitments among them) …
  const { page: admin } = await signedIn(browser, 'admin');
  await admin.getByRole('link', { name: kkMsg.supervision.scopes, exact: true }).click();
  await admin
    .getByLabel(kkMsg.supervision.supervisor, { exact: true })
    .selectOption({ label: `${PEOPLE.supervisor.fullName} (${PEOPLE.supervisor.email})` });
  await admin.getByLabel(kkMsg.supervision.orgScope, { exact: true }).check();
  await admin.getByLabel(kkMsg.supervision.organisation, { exact: true }).selectOption({ label: 'Жастар саясаты' });
  await admin.getByRole('button', { name: kkMsg.supervision.assign, exact: true }).click();
  await expect(admin.locator('table tbody tr', { hasText: PEOPLE.supervisor.fullName })).toContainText(
    'Жастар саясаты',
  );
  await screenshot(admin, 'taraz-scopes-kk-desktop');

  // … and the supervisor (Kazakh) sees the report: the dashboard, the youth office's scorecard, the timeline.
  const { page: sup } = await signedIn(browser, 'supervisor');
  await sup.getByRole('link', { name: kkMsg.supervision.dashboard, exact: true }).click();
  await expect(sup.locator('[data-kpi=overdue] strong')).toHaveText('3');
  // By state, by lead party, and the trend by quarter (one date completed late, three overdue).
  await expect(sup.locator('canvas[role=img]')).toHaveCount(3);
  const trend = sup.locator('[data-chart=trend]');
  await trend.locator('summary').click();
  const trendRows = trend.locator('tbody tr');
  await expect(trendRows).not.toHaveCount(0);
  await expect(trend.locator('tbody')).toContainText('1');
  // A chart drills down: the youth office's overdue figure opens the urgent list of exactly those.
  const byParty = sup.locator('figure', { hasText: kkMsg.supervision.overdueByParty });
  await byParty.locator('summary').click();
  await byParty.getByRole('link', { name: new RegExp(`^Жастар саясаты, ${kkMsg.supervision.overdue}: 3$`) }).click();
  await expect(sup).toHaveURL(/status=overdue/);
  await expect(sup).toHaveURL(new RegExp(`organisationId=${state().orgIds.youth}`));
  await expect(sup.locator('table.urgent tbody tr')).toHaveCount(3);
  for (const row of await sup.locator('table.urgent tbody tr').all())
    await expect(row).toContainText(kkMsg.followup.status_overdue);
  await screenshot(sup, 'taraz-dashboard-drilled-kk-desktop');
  // A click on a bar itself: the trend's first quarter (2021 Q3: the date completed late) — its
  // four quarters each one full bar, the first a quarter of the plot's width from the left axis.
  await sup.goto('/app/dashboard');
  const trendCanvas = sup.locator('[data-chart=trend] canvas');
  await expect(trend.locator('tbody tr')).toHaveCount(4);
  const box = (await trendCanvas.boundingBox())!;
  await trendCanvas.click({ position: { x: 30 + (box.width - 30) / 8, y: box.height * 0.4 } });
  await expect(sup).toHaveURL(/status=completed/);
  await expect(sup).toHaveURL(/from=2021-07-01/);
  await expect(sup).toHaveURL(/to=2021-09-30/);
  await expect(sup.locator('table.urgent tbody tr')).toHaveCount(1);
  await expect(sup.locator('table.urgent tbody tr')).toContainText('Тәжірибе алмасу семинары');
  await sup.goto('/app/dashboard');
  await expect(sup.locator('table.urgent tbody tr').first()).toContainText('Тәжірибе алмасу семинары');
  await sup.getByLabel(kkMsg.supervision.organisation, { exact: true }).selectOption({ label: 'Жастар саясаты' });
  await sup.getByLabel(kkMsg.supervision.commitmentStatus, { exact: true }).selectOption('completed');
  await sup.getByRole('button', { name: kkMsg.supervision.apply }).click();
  await expect(sup).toHaveURL(/status=completed/);
  await expect(sup.locator('table.urgent tbody tr')).toHaveCount(1);
  await expect(sup.locator('table.urgent tbody tr')).toContainText(kkMsg.followup.status_completed);
  await expect(sup.getByText(kkMsg.common.loading)).toHaveCount(0);
  await expect(sup.locator('canvas[role=img]')).toHaveCount(3);
  await screenshot(sup, 'taraz-dashboard-kk-desktop');
  await sup.getByRole('link', { name: kkMsg.supervision.scorecards }).click();
  const card = sup.locator(`[data-scorecard="${state().orgIds.youth}"]`);
  await expect(card.locator('[data-field=reportsFiled]')).toHaveText('1');
  await expect(card.locator('[data-field=completedLate]')).toHaveText('1');
  await expect(card.locator('[data-field=openOverdue]')).toHaveText('3');
  await expect(card.locator('[data-field=commitmentsLed]')).toHaveText('2');
  await screenshot(sup, 'taraz-scorecards-kk-desktop');
  await sup.goto(`/app/memoranda/${id}?tab=timeline`);
  await expect(sup.locator('.follow-up-timeline li[data-kind=report]')).toContainText('тәжірибе алмасу семинары өтті');
  await expect(
    sup.locator('.follow-up-timeline li[data-kind=history]', { hasText: kkMsg.historyAction['report.filed'] }),
  ).toHaveCount(1);
  await screenshot(sup, 'taraz-timeline-kk-desktop');
  expect(coordErrors).toEqual([]);
});
