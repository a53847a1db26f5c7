/**
 * Templates and the evidence PDF in the browser: the coordinator makes the Taraz memorandum from its
 * shipped template (a refused value and a missing lead shown on their fields) and lands on the
 * draft with its commitments; the demo's memorandum (`kelisim demo` on the test database) is
 * downloaded as an evidence PDF from its page (202 while the worker makes it, then the file) and
 * verified on the public page without sign-in — valid, then with one byte changed, not valid,
 * naming what broke. Accessibility and screenshots of these pages in kk/ru/en at both sizes.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en';
import { kk } from '../../apps/web/src/i18n/kk';
import { ru } from '../../apps/web/src/i18n/ru';
import { apiAs, expectAccessible, PEOPLE, screenshot, signedIn, state } from './fixtures';

const MSG = { en, ru, kk };
type Lang = keyof typeof MSG;
const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-results', 'evidence');
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const JOINT_EVENT = 'Совместные мероприятия по укреплению единства и согласия (Тараз)';

let draftId = '';
let demoId = '';

/** Switches the interface language with the header's switcher (waiting until the profile saved it) or the public page's. */
async function switchTo(page: Page, lang: Lang, saves = false) {
  const current = (await page.locator('html').getAttribute('lang')) as Lang;
  if (current === lang) return;
  const saved = saves
    ? page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/me')
    : null;
  await page.getByRole('combobox', { name: MSG[current].common.language }).selectOption(lang);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  if (saved) expect((await saved).ok()).toBe(true);
}

test('the coordinator makes the Taraz memorandum from its template and lands on the draft with its commitments', async ({
  browser,
}) => {
  const msg = ru;
  const { page, context } = await signedIn(browser, 'coordinator');
  await page.getByRole('link', { name: msg.nav.memoranda }).click();
  await page.getByRole('link', { name: msg.templates.fromTemplate }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg.templates.title);
  await expect(page.locator('#tpl-template')).toContainText('Тараз, 2021');
  // Version 2 of the shipped template carries the memorandum's own text (version 1, the news report, stays listed).
  await expect(page.locator('#tpl-version')).toContainText(msg.templates.versionCurrent.replace('{version}', '2'));
  // The form is made from the template's placeholders: place (with its default), the two dates.
  await expect(page.locator('#ph-place')).toHaveValue('Тараз');
  await expect(page.locator('#ph-signingDate')).toHaveAttribute('type', 'date');
  // The blueprints: their titles filled with the values as typed, their recurrence in words.
  await expect(page.locator('label[for=lead-joint_event]')).toContainText(JOINT_EVENT);
  await expect(page.locator('#lead-joint_event-hint')).toContainText('ежеквартально');
  await expect(page.locator('#lead-yearly_report-hint')).toContainText('ежегодно');

  // zod first: a required date left empty is refused on its field before anything is sent.
  await page.getByRole('button', { name: msg.templates.create }).click();
  await expect(page.locator('#ph-signingDate-error')).toHaveText(msg.validation.required);

  // The API's 422 naming the placeholder lands on that field (a date the API does not accept).
  await page.locator('#ph-signingDate').fill('1800-01-01');
  await page.locator('#ph-endDate').fill('2024-09-28');
  await page.getByRole('button', { name: msg.templates.create }).click();
  await expect(page.locator('#ph-signingDate-error')).toContainText('1900');
  await expect(page.locator('[role=alert][data-code=invalid_placeholder_values]')).toContainText(
    msg.errors.invalid_placeholder_values,
  );

  // Parties: the coordinating institution left out, so the blueprints have no lead: 422 on each lead.
  await page.locator('#ph-signingDate').fill('2021-09-28');
  const { orgIds } = state();
  await page.getByLabel('«Қоғамдық келісім» КММ').uncheck();
  for (const name of [
    'Жамбыл облысының жастар саясаты басқармасы',
    '«Жаңғыру жолы» қозғалысының облыстық штабы',
    '«Jas Otan» жастар қанаты',
    '«Жас Ұлан» балалар мен жасөспірімдер ұйымы',
    'М.Х. Дулати атындағы Тараз өңірлік университеті',
  ])
    await page.getByLabel(name).check();
  await page.getByLabel(msg.templates.roleOf.replace('{name}', 'ТарӨУ')).selectOption('witness');
  await page.getByRole('button', { name: msg.templates.create }).click();
  await expect(page.locator('#lead-joint_event-error')).toHaveText(msg.templates.leadMissing);
  await expect(page.locator('#lead-yearly_report-error')).toBeVisible();

  // With the institution a party again it leads by default; Jas Otan leads the joint events.
  await page.getByLabel('«Қоғамдық келісім» КММ').check();
  await page.locator('#lead-joint_event').selectOption(orgIds.jasotan);
  await expectAccessible(page, 'from-template-filled');
  await screenshot(page, 'from-template-filled-ru-desktop');
  await page.getByRole('button', { name: msg.templates.create }).click();

  await expect(page).toHaveURL(/\/app\/memoranda\/[0-9a-f-]{36}/);
  draftId = /memoranda\/([0-9a-f-]{36})/.exec(page.url())![1];
  await expect(page.locator('.meta')).toContainText(msg.status.draft);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Меморандум о многостороннем партнерстве между молодежью региона',
  );
  const origin = page.locator('section[aria-labelledby=origin-title]');
  await expect(origin).toContainText(msg.templates.versionN.replace('{version}', '2'));
  const commitments = origin.getByRole('list', { name: msg.templates.textCommitments }).getByRole('listitem');
  await expect(commitments).toHaveCount(4);
  await expect(commitments.filter({ hasText: JOINT_EVENT })).toContainText('Jas Otan');
  await expect(commitments.filter({ hasText: 'Совместные исследования' })).toContainText('Қоғамдық келісім');
  await expect(origin).toContainText('2022');
  await expectAccessible(page, 'draft-from-template');
  await screenshot(page, 'draft-from-template-ru-desktop');

  // What the page showed is what the API holds.
  const coordinator = await apiAs('coordinator');
  const list = await coordinator('GET', `/memoranda/${draftId}/commitments`);
  expect(list.items.map((c: { title: string }) => c.title)).toContain(JOINT_EVENT);
  const m = await coordinator('GET', `/memoranda/${draftId}`);
  expect(m.parties).toHaveLength(6);
  await context.close();
});

test("the demo memorandum's evidence PDF is downloaded from its page and verified on the public page; one changed byte is caught", async ({
  browser,
}) => {
  // `kelisim demo` on the test database (its own queue prefix: the test server makes the PDF).
  const base = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${state().database}`;
  let output: Buffer;
  try {
    output = execFileSync(process.execPath, [join(ROOT, 'bin', 'kelisim.js'), 'demo'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: base.toString(),
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: `kbd_${randomBytes(3).toString('hex')}`,
        LOG_LEVEL: 'warn',
        DATA_DIR: state().dataDir,
        PORT: '0',
      },
      stdio: 'pipe',
      timeout: 240_000,
    });
  } catch (e) {
    // A failed demo says why on its stderr: keep both streams beside the screenshots.
    const failed = e as { stdout?: Buffer; stderr?: Buffer };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(
      join(OUT, 'demo-failed.log'),
      Buffer.concat([failed.stdout ?? Buffer.alloc(0), failed.stderr ?? Buffer.alloc(0)]),
    );
    throw new Error(`kelisim demo failed: ${String(failed.stderr ?? '').slice(-2000)}`);
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'demo.log'), output);
  // The demo took a while: a kept-alive connection to the server may have been closed meanwhile.
  const admin = await apiAs('admin').catch(() => apiAs('admin'));
  const found = await admin('GET', `/memoranda?q=${encodeURIComponent('многостороннем')}&pageSize=100`);
  const demo = found.items.find((x: { id: string; status: string }) => x.id !== draftId && x.status !== 'draft');
  expect(demo).toBeDefined();
  demoId = demo.id;

  // Downloaded from the memorandum's page by the admin: progress while 202, then the file.
  const { page, context } = await signedIn(browser, 'admin');
  await page.goto(`/app/memoranda/${demoId}`);
  // The admin's language is the one create-admin gave them: read it from the page.
  await expect(page.locator('.meta')).toBeVisible();
  const adminMsg = MSG[(await page.locator('html').getAttribute('lang')) as Lang];
  const panel = page.locator('section[aria-labelledby=evidence-title]');
  await expect(panel.getByRole('heading')).toHaveText(adminMsg.evidence.title);
  const downloading = page.waitForEvent('download', { timeout: 180_000 });
  await panel.getByRole('button', { name: adminMsg.evidence.download }).click();
  const download = await downloading;
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'demo-evidence.pdf');
  await download.saveAs(file);
  await expect(panel.getByRole('status')).toContainText(adminMsg.evidence.ready);
  const pdf = readFileSync(file);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await expectAccessible(page, 'memorandum-evidence');

  // Verified by the admin, who may see the memorandum: the server's records name who was issued the file.
  await page.goto('/app/verify');
  await page.getByLabel(adminMsg.verify.file).setInputFiles(file);
  await page.getByRole('button', { name: adminMsg.verify.submit }).click();
  const record = page.locator('section[aria-labelledby=server-record]');
  await expect(record.locator('[data-record=issued]')).toBeVisible();
  await expect(record.locator('[data-history=holds]')).toHaveText(adminMsg.verify.historyHolds);
  await expect(record.locator('[data-events-since]')).toHaveAttribute('data-events-since', '0');
  await expect(record.locator('ul.plain li')).toContainText([PEOPLE.admin.fullName]);
  await expectAccessible(page, 'verify-signed-in');
  await screenshot(page, 'verify-signed-in-desktop');
  await context.close();

  // The public page, reached from the sign-in page without signing in.
  const anon = await browser.newContext({ baseURL: state().base, viewport: SIZES.desktop });
  const pub = await anon.newPage();
  await pub.goto('/app/sign-in');
  await switchTo(pub, 'en');
  await pub.getByRole('link', { name: en.verify.signInLink }).click();
  await expect(pub.getByRole('heading', { level: 1 })).toHaveText(en.verify.title);
  await pub.getByRole('button', { name: en.verify.submit }).click();
  await expect(pub.locator('#evidence-file-error')).toHaveText(en.verify.chooseFile);
  await pub.getByLabel(en.verify.file).setInputFiles(file);
  await pub.getByRole('button', { name: en.verify.submit }).click();
  const verdict = pub.locator('section[aria-labelledby=verdict]');
  await expect(verdict.locator('#verdict')).toHaveText(en.verify.valid);
  for (const check of ['revision_hash', 'history_chain', 'approvals', 'signatures', 'seal', 'file_integrity'])
    await expect(verdict.locator(`li[data-check=${check}]`)).toHaveClass('check-ok');
  await expect(verdict).toContainText(demoId);
  await expect(verdict.locator('[data-title]')).toContainText('многостороннем');
  // Anyone holding the file learns it was issued here, not who was issued it nor what happened since.
  await expect(verdict.locator('[data-record=issued]')).toContainText('Issued by this server on');
  await expect(verdict.locator('[data-history=holds]')).toHaveText(en.verify.historyHolds);
  await expect(verdict.locator('[data-events-since]')).toHaveCount(0);
  await expect(verdict).toContainText(en.verify.recordMembersOnly);
  await expectAccessible(pub, 'verify-valid');

  // One byte changed in the attached evidence JSON (the title of the revision): not valid, naming what broke.
  const changed = Buffer.from(pdf);
  const at = changed.indexOf('"title": "Меморандум', 0, 'utf8');
  expect(at).toBeGreaterThan(0);
  changed[at + '"title": "'.length + 1] ^= 0x01; // М (D0 9C) becomes Н (D0 9D)
  const bad = join(OUT, 'demo-evidence-changed.pdf');
  writeFileSync(bad, changed);
  await pub.getByLabel(en.verify.file).setInputFiles(bad);
  await pub.getByRole('button', { name: en.verify.submit }).click();
  await expect(verdict.locator('#verdict')).toHaveText(en.verify.invalid);
  await expect(verdict.locator('li[data-check=file_integrity]')).toHaveClass('check-fail');
  await expect(verdict.locator('li.check-fail').first()).toContainText(en.verify.failed);
  await expect(verdict.locator('[data-record=not-issued]')).toHaveText(en.verify.notIssuedHere);
  await expectAccessible(pub, 'verify-invalid');
  await screenshot(pub, 'verify-invalid-en-desktop');
  await anon.close();
});

test('the new pages in kk, ru and en at 390×844 and 1440×900: no serious accessibility violation, screenshots', async ({
  browser,
}) => {
  expect(draftId && demoId).toBeTruthy();
  const file = join(OUT, 'demo-evidence.pdf');
  for (const [size, viewport] of Object.entries(SIZES)) {
    const { page, context } = await signedIn(browser, 'coordinator', viewport);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const msg = MSG[lang];
      await switchTo(page, lang, true);
      await page.goto('/app/memoranda/from-template');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg.templates.title);
      await expect(page.locator('#ph-place')).toBeVisible();
      await expectAccessible(page, `from-template ${lang} ${size}`);
      await screenshot(page, `from-template-${lang}-${size}`);
      await page.goto(`/app/memoranda/${draftId}`);
      await expect(page.locator('section[aria-labelledby=origin-title] li')).toHaveCount(4);
      await expectAccessible(page, `memorandum ${lang} ${size}`);
      await screenshot(page, `memorandum-template-evidence-${lang}-${size}`);
      await page.goto(`/app/memoranda/${draftId}?tab=reminders`);
      await expect(page.getByRole('heading', { name: msg.reminders.commitment_overdue })).toBeVisible();
      await expectAccessible(page, `reminders ${lang} ${size}`);
      await screenshot(page, `reminders-${lang}-${size}`);
    }
    await switchTo(page, PEOPLE.coordinator.language, true);
    await context.close();

    const anon = await browser.newContext({ baseURL: state().base, viewport });
    const pub = await anon.newPage();
    await pub.goto('/app/verify');
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const msg = MSG[lang];
      await switchTo(pub, lang);
      await pub.getByLabel(msg.verify.file).setInputFiles(file);
      await pub.getByRole('button', { name: msg.verify.submit }).click();
      await expect(pub.locator('#verdict')).toHaveText(msg.verify.valid);
      await expect(pub.locator('li[data-check=history_chain]')).toContainText(msg.verify.check_history_chain);
      await expect(pub.locator('li[data-check=seal] summary')).toHaveText(msg.verify.technicalDetail);
      await expect(pub.locator('[data-history=holds]')).toHaveText(msg.verify.historyHolds);
      await expect(pub.locator('#server-record')).toHaveText(msg.verify.recordTitle);
      await expectAccessible(pub, `verify ${lang} ${size}`);
      await screenshot(pub, `verify-valid-${lang}-${size}`);
    }
    await anon.close();
  }
});
