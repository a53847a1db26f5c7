/** The Taraz organisations and people of the browser tests, and small helpers. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

/**
 * Playwright's `test`, failing any test during which a page logged a console error or threw an
 * uncaught exception: every page of every browser context the test opens (through `signedIn` or
 * `browser.newContext`) is watched — a CSP refusal, a missing favicon or script, a 5xx, a
 * console.error of the app all count. Only the browser's own line for an API refusal the page asked
 * for with fetch (a 4xx answer, which the page shows in the user's language) is not an error of the
 * page. A test that provokes another error on purpose names it with `allowConsoleError` (a pattern of
 * the message, prefixed by the page's URL). Browser test files import `test` and `expect` from here.
 */
export const test = base.extend<{ failOnConsoleErrors: void }>({
  failOnConsoleErrors: [
    async ({ browser }, use) => {
      const errors: Array<{ text: string; url: string }> = [];
      const refusals = new Set<string>();
      allowedConsoleErrors = [];
      const watch = (page: Page) => {
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push({ text: `${page.url()}: ${m.text()}`, url: m.location().url });
        });
        page.on('pageerror', (e) => errors.push({ text: `${page.url()}: uncaught ${e.message}`, url: '' }));
        page.on('response', (r) => {
          if (['fetch', 'xhr'].includes(r.request().resourceType()) && r.status() >= 400 && r.status() < 500)
            refusals.add(r.url());
        });
      };
      const newContext = browser.newContext;
      browser.newContext = async (options?: BrowserContextOptions) => {
        const context = await newContext.call(browser, options);
        context.on('page', watch);
        return context;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      const unexpected = errors
        .filter(
          (e) =>
            !(
              /Failed to load resource: the server responded with a status of 4\d\d/.test(e.text) && refusals.has(e.url)
            ),
        )
        .map((e) => e.text)
        .filter((text) => !allowedConsoleErrors.some((a) => a.test(text)));
      expect(unexpected, 'console errors of the pages (allowConsoleError names an expected one)').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

let allowedConsoleErrors: RegExp[] = [];
/** A console error this test provokes on purpose (e.g. the 404 of another organisation's draft). */
export function allowConsoleError(pattern: RegExp) {
  allowedConsoleErrors.push(pattern);
}

export const PASSWORD = 'Taraz-2021-kelisim';
export const STATE_FILE = join(__dirname, '..', '..', 'test-results', 'browser-state.json');
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

export interface BrowserState {
  base: string;
  port: number;
  database: string;
  /** DATA_DIR of the server (its sealing key, for the CLI run against the same database). */
  dataDir: string;
  pid: number;
  orgIds: Record<string, string>;
}
/** The server of this Playwright worker (global-setup.ts starts one per worker). */
export const state = (): BrowserState =>
  (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as BrowserState[])[Number(process.env.TEST_PARALLEL_INDEX ?? 0)];

type Lang = 'kk' | 'ru' | 'en';
export const ORGANISATIONS = [
  {
    key: 'qogam',
    name: '«Қоғамдық келісім» КММ',
    shortName: 'Қоғамдық келісім',
    kind: 'public_institution',
    language: 'kk',
  },
  {
    key: 'youth',
    name: 'Жамбыл облысының жастар саясаты басқармасы',
    shortName: 'Жастар саясаты',
    kind: 'government_office',
    language: 'kk',
  },
  {
    key: 'zhangyru',
    name: '«Жаңғыру жолы» қозғалысының облыстық штабы',
    shortName: 'Жаңғыру жолы',
    kind: 'youth_organisation',
    language: 'kk',
  },
  {
    key: 'jasotan',
    name: '«Jas Otan» жастар қанаты',
    shortName: 'Jas Otan',
    kind: 'youth_organisation',
    language: 'ru',
  },
  {
    key: 'zhasulan',
    name: '«Жас Ұлан» балалар мен жасөспірімдер ұйымы',
    shortName: 'Жас Ұлан',
    kind: 'youth_organisation',
    language: 'kk',
  },
  {
    key: 'university',
    name: 'М.Х. Дулати атындағы Тараз өңірлік университеті',
    shortName: 'ТарӨУ',
    kind: 'university',
    language: 'ru',
  },
  { key: 'media', name: '«Aq Jol» газеті', shortName: 'Aq Jol', kind: 'media', language: 'kk' },
] as const;

/** The oversight office of the supervisor (not a party of the memoranda). */
export const OVERSIGHT = {
  key: 'oversight',
  name: 'Жамбыл облысы әкімдігінің ішкі саясат басқармасы',
  shortName: 'Ішкі саясат',
  kind: 'government_office',
  language: 'kk',
} as const;

type Person = { fullName: string; email: string; organisation: string; roles: string[]; language: Lang };
const rep = (organisation: string, fullName: string, language: Lang): Person => ({
  fullName,
  email: `${organisation}@kelisim.test`,
  organisation,
  roles: ['party_representative', 'signatory'],
  language,
});
export const PEOPLE = {
  admin: {
    fullName: 'Әкімші Kelisim',
    email: 'admin@kelisim.test',
    organisation: 'Kelisim',
    roles: ['admin'],
    language: 'kk',
  },
  coordinator: {
    fullName: 'Парида Мамедова',
    email: 'coordinator@kelisim.test',
    organisation: 'qogam',
    roles: ['coordinator', 'party_representative', 'signatory'],
    language: 'ru',
  },
  youth: rep('youth', 'Айгүл Сәрсенова', 'kk'),
  zhangyru: rep('zhangyru', 'Ерлан Жұмабеков', 'kk'),
  jasotan: rep('jasotan', 'Дмитрий Ким', 'ru'),
  zhasulan: rep('zhasulan', 'Aliya Nurlanqyzy', 'en'),
  university: rep('university', 'Гүлнар Оспанова', 'ru'),
  media: rep('media', 'Нұрлан Әбдіров', 'kk'),
  supervisor: {
    fullName: 'Сәуле Бекова',
    email: 'supervisor@kelisim.test',
    organisation: 'oversight',
    roles: ['supervisor'],
    language: 'kk',
  },
} satisfies Record<string, Person>;
export type PersonKey = keyof typeof PEOPLE;

/** A browser context of its own (own cookies) signed in as the person, at the home page. */
export async function signedIn(
  browser: Browser,
  who: PersonKey,
  viewport = { width: 1440, height: 900 },
  options: BrowserContextOptions = {},
) {
  const context = await browser.newContext({ ...options, baseURL: state().base, viewport });
  const page = await context.newPage();
  await page.goto('/app/sign-in');
  await page.locator('#email').fill(PEOPLE[who].email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('header.top')).toContainText(PEOPLE[who].fullName);
  return { context, page };
}

/** The API as a person, with a bearer token (setting up what a test does not click through). */
export async function apiAs(who: PersonKey) {
  const base = state().base;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: PEOPLE[who].email, password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(method === 'PATCH' ? { 'if-match': '*' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = res.status === 204 ? null : await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * Submits a draft, has each of `parties` approve and sign it through the API (electronically, in
 * parallel signing) and waits until the worker has made it active; answers the executed revision's hash.
 */
export async function executeThroughApi(memorandumId: string, parties: readonly PersonKey[]): Promise<string> {
  const coordinator = await apiAs('coordinator');
  const revisionHash = (await coordinator('POST', `/memoranda/${memorandumId}/submit`)).currentRevision.hash as string;
  for (const who of parties)
    await (
      await apiAs(who)
    )('POST', `/memoranda/${memorandumId}/approvals`, { decision: 'approve', revisionHash });
  await coordinator('POST', `/memoranda/${memorandumId}/open-signing`, { mode: 'parallel' });
  for (const who of parties)
    await (
      await apiAs(who)
    )('POST', `/memoranda/${memorandumId}/signatures`, {
      method: 'electronic',
      revisionHash,
      typedName: PEOPLE[who].fullName,
      consent: true,
    });
  await expect(async () => {
    expect((await coordinator('GET', `/memoranda/${memorandumId}`)).status).toBe('active');
  }).toPass({ timeout: 120_000 });
  return revisionHash;
}

/** No serious or critical accessibility violation on the page as it is. */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}
