import { defineConfig } from '@playwright/test';

// Debian's Chromium: test drivers cannot download a browser of their own here.
const chromium = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

// E2E_PORT lets two checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
const origin = `http://127.0.0.1:${port}`;
// Suites that run once, not per viewport.
const once = ['dist.spec.mjs', 'update.spec.mjs'];
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const desktop = { viewport: { width: 1280, height: 800 } };

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '.artifacts',
  use: {
    baseURL: `${origin}/`,
    locale: 'en-US',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'dist', testMatch: 'dist.spec.mjs' },
    // Swaps builds under a server of its own.
    { name: 'update', testMatch: 'update.spec.mjs', use: { ...desktop } },
    { name: 'phone', testIgnore: once, use: { ...phone } },
    { name: 'desktop', testIgnore: once, use: { ...desktop } },
    // The same journeys with dist/ served under a sub-path.
    { name: 'phone-subpath', testIgnore: once, use: { ...phone, baseURL: `${origin}/some/sub/path/` } },
  ],
  webServer: {
    command: `node serve.mjs`,
    env: { PORT: String(port) },
    url: `${origin}/index.html`,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
