/**
 * The follow-up and supervision pages: a calendar feed link is created, opens the feed and is
 * revoked; and the new pages (a memorandum's commitments and timeline, our commitments, the
 * dashboard with its charts, scorecards, exports, supervision scopes) in kk, ru and en on a phone
 * and a desktop, with no serious or critical accessibility violation and a screenshot of each.
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
  type PersonKey,
  screenshot,
  signedIn,
  state,
  test,
} from './fixtures';

const MSG = { en, ru, kk };
const LANGS = ['kk', 'ru', 'en'] as const;
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function bearer(who: PersonKey): Promise<string> {
  const res = await fetch(`${state().base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: PEOPLE[who].email, password: PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * An active memorandum with a text commitment (yearly, most dates past), a plan commitment and a
 * report. The youth office is not in it: the Taraz story counts that office's figures.
 */
async function activeMemorandumWithFollowUp(title: string) {
  const coordinator = await apiAs('coordinator');
  const { orgIds } = state();
  const m = await coordinator('POST', '/memoranda', {
    title,
    purpose: 'Бірлескен іс-шаралар',
    body: 'Тараптар жыл сайын бірлескен форум өткізеді.\n',
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
    title: 'Жастар форумы',
    description: 'Жыл сайынғы облыстық жастар форумы.',
    clauseRef: 'п. 2.1',
    leadOrganisationId: orgIds.university,
    organisationIds: [orgIds.zhasulan],
    target: { quantity: 200, unit: 'қатысушы' },
    rrule: 'FREQ=YEARLY;COUNT=8',
  });
  await executeThroughApi(m.id, parties);
  await coordinator('POST', `/memoranda/${m.id}/commitments`, {
    title: 'Ashyq esik — open day for schools',
    leadOrganisationId: orgIds.zhasulan,
    dueDate: day(20),
  });
  // The university reports on the first forum, with a photo.
  const form = new FormData();
  form.append(
    'report',
    JSON.stringify({
      date: '2021-12-10',
      summary: 'Облыстық жастар форумы Тараз қаласында өтті.',
      participants: 230,
      outcome: 'Бірлескен жоспар бекітілді.',
      links: ['https://example.org/forum-2021'],
      occurrenceDate: '2021-09-28',
    }),
  );
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('forum photo'),
  ]);
  form.append('files', new Blob([png], { type: 'image/png' }), 'форум-2021.png');
  const res = await fetch(`${state().base}/commitments/${forum.id}/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await bearer('university')}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return m.id as string;
}

async function switchLanguage(page: Page, lang: (typeof LANGS)[number]) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/me') && r.request().method() === 'PATCH');
  await page.locator('header .language select').selectOption(lang);
  expect((await saved).status()).toBe(200);
}

test('a calendar feed link is created (its token shown once), opens the feed, and is revoked', async ({ browser }) => {
  const { page, context } = await signedIn(browser, 'zhasulan');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: state().base });
  await page.goto('/app/exports');
  await page.getByLabel(en.supervision.feedName, { exact: true }).fill('Outlook');
  await page.getByRole('button', { name: en.supervision.createFeed }).click();
  // A party's representative: one link, their organisation's, labelled with it, and copied by a button.
  await expect(page.locator('[data-feed-url]')).toHaveCount(1);
  const org = (await (await apiAs('zhasulan'))('GET', `/organisations/${state().orgIds.zhasulan}`)).shortName;
  await expect(page.locator('.feed-links li')).toContainText(en.followLoop.feedFor.replace('{organisation}', org));
  const url = (await page.locator('[data-feed-url]').textContent())!;
  await page.getByRole('button', { name: en.followLoop.copyNamed.replace('{organisation}', org) }).click();
  await expect(page.locator('.feed-links li [role=status]')).toHaveText(en.followLoop.copied);
  expect(
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    ),
  ).toBe(url);
  await expectAccessible(page, 'exports with a new feed link');
  await screenshot(page, 'exports-feed-link-en-desktop');
  expect(url).toMatch(new RegExp(`/organisations/${state().orgIds.zhasulan}/calendar\\.ics\\?token=`));
  const feed = await fetch(url);
  expect(feed.status).toBe(200);
  expect(feed.headers.get('content-type')).toContain('text/calendar');
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  await page.getByRole('button', { name: en.supervision.revokeNamed.replace('{name}', 'Outlook') }).click();
  const dialog = page.getByRole('dialog', { name: en.confirm.revokeFeedTitle.replace('{name}', 'Outlook') });
  await expect(dialog).toContainText(en.confirm.revokeFeed);
  await dialog.getByRole('button', { name: en.supervision.revoke }).click();
  await expect(page.locator('tr', { hasText: 'Outlook' })).toContainText(en.supervision.revoked);
  const refused = await fetch(url);
  expect(refused.status).toBe(401);
  // The link is not shown again after a reload: only its name and dates.
  await page.reload();
  await expect(page.locator('[data-feed-url]')).toHaveCount(0);
});

test('every link the exports page shows opens: a supervisor’s feed links and the downloads', async ({ browser }) => {
  const admin = await apiAs('admin');
  const supervisorId = (await (await apiAs('supervisor'))('GET', '/me')).id;
  const scope = await admin('POST', '/supervision-scopes', {
    supervisorUserId: supervisorId,
    organisationId: state().orgIds.university,
  });
  await activeMemorandumWithFollowUp('Экспорт сілтемелері туралы меморандум');
  const { page, context } = await signedIn(browser, 'supervisor', SIZES.phone);
  await page.goto('/app/exports');
  await page.getByLabel(kk.supervision.feedName, { exact: true }).fill('Барлық күнтізбелер');
  await page.getByRole('button', { name: kk.supervision.createFeed }).click();
  // One link per organisation the supervisor may subscribe to (their own, the scope's, the partners').
  const links = page.locator('[data-feed-url]');
  await expect(links).not.toHaveCount(0);
  expect(await links.count()).toBeGreaterThan(1);
  await expect(page.locator('main tbody tr').first()).toBeVisible();
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
  const feeds = await links.allTextContents();
  expect(hrefs.length).toBeGreaterThan(0);
  for (const url of [...feeds, ...hrefs]) {
    const res = await page.request.get(url);
    expect({ url, status: res.status() }).toEqual({ url, status: 200 });
  }
  await expectAccessible(page, 'exports with feed links kk phone');
  await screenshot(page, 'exports-feed-links-kk-phone');
  await context.close();
  await admin('DELETE', `/supervision-scopes/${scope.id}`);
});

test('notification settings: reached from the header, e-mail per kind saved, a daily digest at a chosen hour', async ({
  browser,
}) => {
  const { page, context } = await signedIn(browser, 'zhasulan', SIZES.phone);
  await page.getByRole('link', { name: en.notificationPrefs.nav }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.notificationPrefs.title);
  await expect(page.getByRole('radio', { name: en.notificationPrefs.mode_each })).toBeChecked();
  await page.getByRole('checkbox', { name: en.notificationPrefs.topic_report_filed }).uncheck();
  await page.getByRole('button', { name: en.notificationPrefs.save }).click();
  await expect(page.getByText(en.notificationPrefs.saved)).toBeVisible();
  const api = await apiAs('zhasulan');
  expect(await api('GET', '/me/notification-preferences')).toEqual({
    email: true,
    emailMode: 'each',
    digestHour: 9,
    mutedTopics: ['report_filed'],
  });
  // A daily digest: the hour appears, with what the digest is.
  await page.getByRole('radio', { name: en.notificationPrefs.mode_digest }).check();
  await expect(page.locator('main')).toContainText(en.notificationPrefs.digestHint);
  await page.getByLabel(en.notificationPrefs.digestHour).selectOption('7');
  await page.getByRole('button', { name: en.notificationPrefs.save }).click();
  await expect(page.getByText(en.notificationPrefs.saved)).toBeVisible();
  expect(await api('GET', '/me/notification-preferences')).toMatchObject({ emailMode: 'digest', digestHour: 7 });
  await screenshot(page, 'notification-settings-digest-en-phone');
  // E-mail off: the kinds cannot be chosen; saved as such.
  await page.getByRole('radio', { name: en.notificationPrefs.mode_off }).check();
  await expect(page.getByRole('checkbox', { name: en.notificationPrefs.topic_overdue_notice })).toBeDisabled();
  await page.getByRole('button', { name: en.notificationPrefs.save }).click();
  await expect(page.getByText(en.notificationPrefs.saved)).toBeVisible();
  expect((await api('GET', '/me/notification-preferences')).email).toBe(false);
  await page.reload();
  await expect(page.getByRole('radio', { name: en.notificationPrefs.mode_off })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: en.notificationPrefs.topic_report_filed })).not.toBeChecked();
  await api('PUT', '/me/notification-preferences', { emailMode: 'each', digestHour: 9, mutedTopics: [] });
  await context.close();
});

test('follow-up pages in kk, ru and en on a phone and a desktop: screenshots, no serious accessibility violation', async ({
  browser,
}) => {
  test.setTimeout(900_000);
  const id = await activeMemorandumWithFollowUp('Жастар форумы туралы меморандум');
  await (
    await apiAs('admin')
  )('POST', '/supervision-scopes', {
    supervisorUserId: (await (await apiAs('supervisor'))('GET', '/me')).id,
    organisationId: state().orgIds.university,
  });
  const visits: Array<[PersonKey, Array<[string, string, (l: (typeof LANGS)[number]) => string]>]> = [
    [
      'university',
      [
        ['commitments-tab', `/app/memoranda/${id}?tab=commitments`, (l) => MSG[l].followup.reports],
        ['timeline-tab', `/app/memoranda/${id}?tab=timeline`, (l) => MSG[l].followup.timelineIntro],
        [
          'our-commitments',
          '/app/commitments',
          (l) => MSG[l].followup.myIntro.split('{')[0].trim() || MSG[l].followup.myTitle,
        ],
        ['notification-settings', '/app/notification-preferences', (l) => MSG[l].notificationPrefs.mode_digest],
      ],
    ],
    [
      'supervisor',
      [
        ['dashboard', '/app/dashboard', (l) => MSG[l].supervision.urgent],
        ['scorecards', '/app/dashboard/scorecards', (l) => MSG[l].supervision.scorecardsIntro],
        ['exports', '/app/exports', (l) => MSG[l].supervision.feeds],
      ],
    ],
    ['admin', [['scopes', '/app/admin/supervision-scopes', (l) => MSG[l].supervision.scopesIntro]]],
  ];
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const [who, pages] of visits) {
      const { page, context } = await signedIn(browser, who, viewport);
      for (const lang of LANGS) {
        await switchLanguage(page, lang);
        for (const [name, path, text] of pages) {
          await page.goto(path);
          await expect(page.locator('main')).toContainText(text(lang));
          await expect(page.getByText(MSG[lang].common.loading)).toHaveCount(0);
          if (name === 'commitments-tab') {
            await expect(page.locator('section.commitment')).toHaveCount(2);
            if (lang === 'kk') {
              // The downloads answer with the session cookie: CSV with a BOM (Kazakh letters in spreadsheets), XLSX.
              const csv = await page.request.get(
                (await page.getByRole('link', { name: kk.followup.csv, exact: true }).getAttribute('href'))!,
              );
              expect(csv.status()).toBe(200);
              const bytes = await csv.body();
              expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
              expect(bytes.toString('utf8')).toContain('Жастар форумы');
              const xlsx = await page.request.get(
                (await page.getByRole('link', { name: kk.followup.xlsx, exact: true }).getAttribute('href'))!,
              );
              expect(xlsx.status()).toBe(200);
              expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
            }
            await expect(page.getByRole('link', { name: /форум-2021\.png/ })).toBeVisible();
            await page
              .locator('section.commitment', { hasText: 'Жастар форумы' })
              .locator('details.report-form summary')
              .click();
          }
          if (name === 'dashboard') {
            await expect(page.locator('canvas[role=img]').nth(1)).toBeVisible();
            await expect(page.locator('[data-chart=trend]')).toContainText(MSG[lang].followLoop.trend);
          }
          if (name === 'our-commitments') {
            await expect(page.locator('[data-group=overdue] h2')).toContainText(MSG[lang].followLoop.groupOverdue);
            await expect(page.locator('[data-group=later] h2')).toContainText(MSG[lang].followLoop.groupLater);
          }
          if (name === 'scorecards') await expect(page.locator('[data-field=reportsFiled]').first()).not.toBeEmpty();
          await expectAccessible(page, `${name} ${lang} ${size}`);
          await screenshot(page, `${name}-${lang}-${size}`);
        }
      }
      await (
        await apiAs(who)
      )('PATCH', '/me', { language: PEOPLE[who].language });
      await context.close();
    }
  }
  // The scope was for these screenshots only: later tests give the supervisor their own.
  const admin = await apiAs('admin');
  for (const s of (await admin('GET', '/supervision-scopes')).items)
    await admin('DELETE', `/supervision-scopes/${s.id}`);
});
