/**
 * Browser tests: Debian's chromium (never a downloaded browser) against the real app started by
 * global-setup.ts (`kelisim start`: API + worker, real PostgreSQL with the migrations, real Redis).
 * Two workers, each with its own server, database and people (global-setup.ts starts one per
 * worker); the tests of a file run in order in one worker. Generous timeouts: the machine may be
 * busy; every wait is a web-first assertion, no sleeps.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.browser.ts',
  outputDir: '../../test-results/browser',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  fullyParallel: false,
  workers: Number(process.env.BROWSER_WORKERS ?? 2),
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.KELISIM_BROWSER_BASE_URL,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
    viewport: { width: 1440, height: 900 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
