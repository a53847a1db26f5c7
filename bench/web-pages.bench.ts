/**
 * How fast the web pages show their data (the goal: "a page shows data under 1 s on loopback with
 * the demo data loaded"), measured the way a newcomer runs the app after `npm run build`: a fresh
 * database, `kelisim start` on a free port (test/browser/global-setup.ts's startKelisim), the admin
 * from `kelisim create-admin`, the Taraz memorandum and its follow-up from `kelisim demo`. Debian's
 * chromium signs in through the sign-in page as the coordinator, a party representative, the
 * supervisor and the admin, and loads each main page: once cold (the browser cache cleared over
 * CDP) and BENCH_REPEATS times warm. A load is timed inside the page: from navigation start
 * (performance.timeOrigin) until the first element that only exists with the page's data is
 * rendered (checked on every animation frame). Baseline in the same run and browser: navigating
 * to `GET /health` and to the largest JS asset (until the response ends).
 * Prints figures; exits 1 only when a page never shows its data (timing is never judged).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { TARAZ_MEMORANDUM } from '../apps/cli/src/demo/taraz-memorandum';
import { en } from '../apps/web/src/i18n/en';
import { kk } from '../apps/web/src/i18n/kk';
import { ru } from '../apps/web/src/i18n/ru';
import { call, freePort, startKelisim } from '../test/browser/global-setup';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'bin', 'kelisim.js');
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
/** Only these users / pages (comma-separated, e.g. BENCH_WHO=supervisor BENCH_PAGES=dashboard). */
const ONLY_WHO = process.env.BENCH_WHO?.split(',');
const ONLY_PAGES = process.env.BENCH_PAGES?.split(',');
/** Cold loads per page (cache cleared before each); the table shows their median, each is printed. */
const COLD_REPEATS = Number(process.env.BENCH_COLD_REPEATS ?? 1);
const ADMIN = {
  email: 'bench-admin@kelisim.example.kz',
  name: 'Бенчмарк Әкімші',
  password: `Bench-${randomBytes(9).toString('base64url')}`,
};
/** The demo's people measured (apps/cli/src/demo/taraz-memorandum.ts). */
const DEMO_PEOPLE: Array<[Who, string]> = [
  ['coordinator', 'p.mamedova@kelisim.example.kz'],
  ['representative', 's.berikkozha@jastar.example.kz'],
  ['supervisor', 'n.abdirakhmanov@ishki.example.kz'],
];

/** The browser globals the in-page functions use (the project compiles without the DOM lib). */
interface InPage {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getClientRects(): { length: number } }>;
  };
  performance: {
    now(): number;
    getEntriesByType(
      type: 'resource' | 'navigation',
    ): Array<{ name: string; transferSize: number; decodedBodySize: number; responseEnd: number }>;
  };
}

/**
 * What proves a page has its data: every group has an element matching one of its alternatives
 * ([CSS selector, text it contains]); several groups when the page shows several answers.
 */
type Proof = Array<Array<[string, string]>>;
type Who = 'coordinator' | 'representative' | 'supervisor' | 'admin';
interface PageSpec {
  name: string;
  path: (id: string) => string;
  proof: (who: Who) => Proof;
  adminOnly?: true;
}
const TITLE = TARAZ_MEMORANDUM.title;
const CATALOGUES = [en, ru, kk];
/** The message of an empty answer, in any of the three languages (the people speak different ones). */
const empty = (selector: string, message: (m: typeof en) => string): Array<[string, string]> =>
  CATALOGUES.map((m) => [selector, message(m)]);
const PAGES: PageSpec[] = [
  {
    name: 'home',
    path: () => '/app/',
    // Parties: what waits for their organisation; coordinators, supervisors, admins: memoranda by state.
    proof: (who) => [
      ...(who === 'coordinator' || who === 'representative'
        ? [[['main ul.list > li', ''], ...empty('main p', (m) => m.home.nothingWaiting)] as Array<[string, string]>]
        : []),
      ...(who === 'representative' ? [] : [[['main ul.bars > li', '']] as Array<[string, string]>]),
    ],
  },
  { name: 'memoranda list', path: () => '/app/memoranda', proof: () => [[['main tbody tr', TITLE]]] },
  { name: 'memorandum overview', path: (id) => `/app/memoranda/${id}`, proof: () => [[['main h1', TITLE]]] },
  {
    name: 'commitments tab',
    path: (id) => `/app/memoranda/${id}?tab=commitments`,
    proof: () => [[['section.commitment', '']]],
  },
  { name: 'history tab', path: (id) => `/app/memoranda/${id}?tab=history`, proof: () => [[['ol.timeline > li', '']]] },
  {
    name: 'timeline tab',
    path: (id) => `/app/memoranda/${id}?tab=timeline`,
    proof: () => [[['ol.follow-up-timeline > li', '']]],
  },
  {
    name: 'inbox',
    path: () => '/app/inbox',
    // Either a notification or the answer that there is none (both need the API's answer).
    proof: () => [[['main ul.list > li', ''], ...empty('main p', (m) => m.inbox.empty)]],
  },
  {
    name: 'dashboard',
    path: () => '/app/dashboard',
    // The urgent list and the overview's charts (a chart, or "none" where there is nothing to chart).
    proof: () => [
      [['table.urgent tbody tr', ''], ...empty('main p', (m) => m.supervision.noUrgent)],
      [['main canvas[role=img]', ''], ...empty('.charts p', (m) => m.supervision.none)],
    ],
  },
  { name: 'scorecards', path: () => '/app/dashboard/scorecards', proof: () => [[['[data-scorecard] h2', '']]] },
  {
    name: 'admin users',
    path: () => '/app/admin/users',
    proof: () => [[['main tbody tr', 'Мамедова']]],
    adminOnly: true,
  },
  {
    name: 'admin organisations',
    path: () => '/app/admin/organisations',
    proof: () => [[['main tbody tr', 'Қоғамдық келісім']]],
    adminOnly: true,
  },
];

const say = (line: string) => process.stdout.write(`${line}\n`);
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x: number) => x.toFixed(0);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Navigates and returns the in-page time (ms from navigation start) at which the proof rendered. */
async function timeToData(page: Page, url: string, proof: Proof): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (groups) => {
      const shown = (selector: string, text: string) =>
        Array.from((globalThis as unknown as InPage).document.querySelectorAll(selector)).some(
          (el) => (!text || (el.textContent ?? '').includes(text)) && el.getClientRects().length > 0,
        );
      return groups.every((alternatives) => alternatives.some(([selector, text]) => shown(selector, text)))
        ? (globalThis as unknown as InPage).performance.now()
        : false;
    },
    proof,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** Bytes of JavaScript the current document fetched over the network (0 for cached responses). */
const jsTransferred = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as InPage).performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.js'))
      .reduce((sum, e) => sum + e.transferSize, 0),
  );

async function clearCache(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

/** Navigation to a URL until its response has ended (ms from navigation start). */
async function timeToResponse(page: Page, url: string): Promise<number> {
  await page.goto(url);
  return page.evaluate(
    () => (globalThis as unknown as InPage).performance.getEntriesByType('navigation')[0].responseEnd,
  );
}

async function signIn(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/app/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('header.top').waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'), { timeout: 30_000 });
}

async function main() {
  const database = `kelisim_webbench_${randomBytes(4).toString('hex')}`;
  const queuePrefix = `kwb_${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kelisim-webbench-'));
  const adminDb = new Client({ connectionString: ADMIN_URL });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE "${database}"`);
  await adminDb.end();
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${database}`;
  const port = Number(process.env.BENCH_PORT ?? (await freePort()));
  const base = `http://localhost:${port}`;
  const env = {
    ...process.env,
    // As `npm start` runs it (no NODE_ENV set: the default, development).
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '100000',
    DATA_DIR: dataDir,
    KELISIM_ADMIN_PASSWORD: ADMIN.password,
  };
  let app: ChildProcess | undefined;
  let failures = 0;
  try {
    say(`web pages: database ${database}, queue prefix ${queuePrefix}, ${base}; load average ${load()}`);
    const started = Date.now();
    app = await startKelisim(env, base);
    say(`kelisim start ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${app.pid})`);
    execFileSync(process.execPath, [CLI, 'create-admin', '--email', ADMIN.email, '--name', ADMIN.name], {
      env,
      cwd: ROOT,
      stdio: 'pipe',
    });
    let demoOut: string;
    try {
      demoOut = execFileSync(process.execPath, [CLI, 'demo'], { env, cwd: ROOT, stdio: 'pipe' }).toString();
    } catch (e) {
      const out = String((e as { stdout?: Buffer }).stdout ?? e);
      // Its last step (fetching the evidence PDF) can meet the worker still rendering it on a busy
      // machine (202): everything the pages show was loaded by then.
      if (!/evidence\.pdf → 202/.test(out)) throw new Error(`kelisim demo failed:\n${out}`);
      say('kelisim demo: its evidence PDF was still being rendered (202); the pages do not need it');
      demoOut = out;
    }
    const id = /Черновик создан: «.*» \(([0-9a-f-]{36})\)/.exec(demoOut)?.[1];
    if (!id) throw new Error(`kelisim demo printed no memorandum id:\n${demoOut}`);
    const passwords = new Map<string, string>();
    for (const m of demoOut.matchAll(/; (\S+@\S+) \/ (\S+)$/gm)) passwords.set(m[1], m[2]);
    const users: Array<[Who, string, string]> = [
      ...DEMO_PEOPLE.map(([who, email]): [Who, string, string] => {
        const password = passwords.get(email);
        if (!password) throw new Error(`kelisim demo printed no password for ${email}`);
        return [who, email, password];
      }),
      ['admin', ADMIN.email, ADMIN.password],
    ];
    // The memorandum exists for the API too (the demo ran against the same database).
    const token = (await call(base, 'POST', '/auth/login', null, { email: ADMIN.email, password: ADMIN.password }))
      .token as string;
    await call(base, 'GET', `/memoranda/${id}`, token);
    say(`demo loaded: memorandum ${id}; ${REPEATS} warm repeats per page; load average ${load()}`);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      // Baseline: the same browser fetching GET /health and the largest JS asset.
      {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${base}/app/sign-in`);
        const assets = await page.evaluate(() =>
          (globalThis as unknown as InPage).performance
            .getEntriesByType('resource')
            .filter((e) => new URL(e.name).pathname.endsWith('.js'))
            .sort((a, b) => b.decodedBodySize - a.decodedBodySize)
            .map((e) => [e.name, e.decodedBodySize] as const),
        );
        const initialJs = await jsTransferred(page);
        const decoded = assets.reduce((sum, [, size]) => sum + size, 0);
        say(
          `sign-in page (cold): ${(initialJs / 1024).toFixed(1)} KiB of JS transferred (${(decoded / 1024).toFixed(1)} KiB decoded) in ${assets.length} files`,
        );
        for (const [what, url] of [
          ['GET /health', `${base}/health`],
          [`largest JS asset (${(assets[0][1] / 1024).toFixed(0)} KiB)`, assets[0][0]],
        ] as const) {
          const times: number[] = [];
          for (let i = 0; i < REPEATS + 1; i++) times.push(await timeToResponse(page, url));
          say(
            `baseline ${what}: first ${ms(times[0])} ms, then p50 ${ms(p50(times.slice(1)))} max ${ms(Math.max(...times.slice(1)))} ms`,
          );
        }
        await context.close();
      }
      const rows: string[] = [];
      for (const [who, email, password] of users) {
        if (ONLY_WHO && !ONLY_WHO.includes(who)) continue;
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await signIn(page, base, email, password);
        for (const spec of PAGES) {
          if (spec.adminOnly && who !== 'admin') continue;
          if (ONLY_PAGES && !ONLY_PAGES.includes(spec.name)) continue;
          const url = base + spec.path(id);
          try {
            const colds: number[] = [];
            let js = 0;
            for (let i = 0; i < COLD_REPEATS; i++) {
              await clearCache(context, page);
              colds.push(await timeToData(page, url, spec.proof(who)));
              js = await jsTransferred(page);
            }
            const cold = p50(colds);
            if (process.env.BENCH_TRACE) {
              // What the last cold load fetched, and when (ms from navigation start).
              const entries = await page.evaluate(() =>
                (globalThis as unknown as InPage).performance.getEntriesByType('resource').map((e) => ({
                  name: e.name,
                  start: (e as unknown as { startTime: number }).startTime,
                  end: e.responseEnd,
                })),
              );
              for (const e of entries)
                say(
                  `  ${ms(e.start).padStart(5)} → ${ms(e.end).padStart(5)} ms  ${new URL(e.name).pathname}${new URL(e.name).search}`,
                );
            }
            if (COLD_REPEATS > 1) say(`${who} ${spec.name} cold: ${colds.map(ms).join(', ')} ms`);
            const warm: number[] = [];
            for (let i = 0; i < REPEATS; i++) warm.push(await timeToData(page, url, spec.proof(who)));
            rows.push(
              `| ${who} | ${spec.name} | ${ms(cold)} | ${ms(p50(warm))} | ${ms(Math.max(...warm))} | ${(js / 1024).toFixed(1)} |`,
            );
          } catch (e) {
            failures++;
            rows.push(`| ${who} | ${spec.name} | NO DATA | | | |`);
            say(`FAILED: ${who} ${spec.name} (${url}): ${(e as Error).message.split('\n')[0]}`);
          }
        }
        await context.close();
      }
      say('');
      say('| user | page | cold ms | warm p50 ms | warm max ms | JS KiB transferred (cold) |');
      say('|---|---|---|---|---|---|');
      for (const r of rows) say(r);
      say('');
      say(`load average after: ${load()}`);
    } finally {
      await browser.close();
    }
  } finally {
    if (app?.pid && app.exitCode === null) {
      process.kill(app.pid, 'SIGTERM');
      for (let i = 0; i < 60 && app.exitCode === null; i++) await new Promise((r) => setTimeout(r, 250));
    }
    const cleanup = new Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await cleanup.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    rmSync(dataDir, { recursive: true, force: true });
    say(`cleaned up: server stopped, database ${database} dropped, ${deleted} Redis keys under ${queuePrefix} deleted`);
  }
  if (failures > 0) {
    say(`${failures} page(s) did not show their data`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
