// What a browser transfers before each journey is usable (issue 20), the
// `transfer` step of `make bench` (scripts/bench.mjs): dist/ served
// gzip-encoded on 127.0.0.1 as a static host serves it, each journey opened
// in headless Chromium at phone size with a cold cache and the service
// worker blocked (a first visit: nothing installed yet), and the bytes the
// browser's own network log reports (CDP `Network.loadingFinished`,
// encodedDataLength: encoded body plus response headers) summed over the
// requests that finished before the journey was usable:
//   home       ./                    the main heading visible
//   dashboard  ./#/dashboard         with 1,000 stored responses, the KPI cards drawn
//   shopper    a checklist's link    Start pressed, the first question answerable
//   survey     a customer link       (respond.html) the same
// What the page fetches after that, until its network is quiet, is listed
// apart as `after_usable`, outside the total.
//
//   node scripts/transfer.mjs [--json]     (dist/ as built; port TRANSFER_PORT or 4197)
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transferSplit, transferSummary } from './bench-lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const JOURNEYS = ['home', 'dashboard', 'shopper', 'survey'];
// How many stored responses the dashboard opens with.
const DASHBOARD_RESPONSES = 1000;
const USABLE_TIMEOUT = 120_000;
// The network counts as quiet after this long without a request in flight.
const QUIET_MS = 1000;
const AFTER_USABLE_MAX_MS = 10_000;

/** The browser and phone settings of the end-to-end suite. */
async function suiteSettings() {
  const { default: config } = await import('../tests/e2e/playwright.config.mjs');
  const phone = config.projects.find((p) => p.name === 'phone').use;
  return { launchOptions: config.use.launchOptions, phone, locale: config.use.locale };
}

/**
 * The network log of one page over CDP: every request with its URL, the
 * type the server sent and, once finished, the bytes received.
 */
async function networkLog(page) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  const finished = [];
  let lastActivity = Date.now();
  const touch = () => (lastActivity = Date.now());
  cdp.on('Network.requestWillBeSent', (e) => {
    touch();
    // A redirect reuses the request's id: the hop that ends is counted with
    // the bytes of its response.
    const hop = requests.get(e.requestId);
    if (hop && e.redirectResponse) {
      finished.push({ url: hop.url, mimeType: e.redirectResponse.mimeType, bytes: e.redirectResponse.encodedDataLength });
    }
    requests.set(e.requestId, { url: e.request.url, mimeType: '', done: false });
  });
  cdp.on('Network.responseReceived', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (r) r.mimeType = e.response.mimeType;
  });
  cdp.on('Network.loadingFinished', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (!r) return;
    r.done = true;
    finished.push({ url: r.url, mimeType: r.mimeType, bytes: e.encodedDataLength });
  });
  cdp.on('Network.loadingFailed', (e) => {
    touch();
    const r = requests.get(e.requestId);
    if (!r) return;
    r.done = true;
    r.failed = e.errorText;
  });
  await cdp.send('Network.enable');
  // A first visit: nothing from the HTTP cache or the memory cache.
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return {
    /** The requests finished so far (a copy). */
    finished: () => [...finished],
    failed: () => [...requests.values()].filter((r) => r.failed).map((r) => `${r.url}: ${r.failed}`),
    /** Resolves once no request has been in flight for QUIET_MS (or after `max` ms). */
    async quiet(max) {
      const until = Date.now() + max;
      while (Date.now() < until) {
        const inFlight = [...requests.values()].some((r) => !r.done);
        if (!inFlight && Date.now() - lastActivity >= QUIET_MS) return;
        await new Promise((ok) => setTimeout(ok, 100));
      }
    },
  };
}

/**
 * Opens `url` in `page` with its network logged, runs `usable` (which
 * resolves once the journey is usable), and sums what finished by then.
 */
async function measure(page, url, usable, origin) {
  const log = await networkLog(page);
  const t0 = Date.now();
  // `commit`: the journey's own `usable` decides when it is done, not the load event.
  await page.goto(url, { waitUntil: 'commit' });
  await usable(page);
  const usableMs = Date.now() - t0;
  const before = log.finished();
  await log.quiet(AFTER_USABLE_MAX_MS);
  const after = log.finished().slice(before.length);
  const summary = transferSummary(before, `${origin}/`);
  const later = transferSummary(after, `${origin}/`);
  const failed = log.failed();
  return {
    ...summary,
    usable_ms: usableMs,
    after_usable: { total_kb: later.total_kb, requests: later.requests, files: later.files.map((f) => f.file) },
    ...(failed.length ? { failed } : {}),
  };
}

/** Publishes built-in templates in the app, as tests/e2e/link.spec.mjs does,
 * and returns the links its editor offers: a shopper's and a customer's. */
export async function publishedLinks(browser, origin, locale) {
  const context = await browser.newContext({ locale, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const publish = async (template) => {
      await page.goto(`${origin}/#/questionnaires`);
      await page.getByRole('button', { name: `Use template: ${template}` }).click();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 2, name: 'Links for filling' }).waitFor({ timeout: 60_000 });
    };
    await publish('Quick store audit');
    const shopper = await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue();
    await publish('Loyalty Button');
    const survey = await page.getByLabel('Link for customers (survey)', { exact: true }).inputValue();
    return { shopper, survey };
  } finally {
    await context.close();
  }
}

const visible = (locator) => locator.waitFor({ state: 'visible', timeout: USABLE_TIMEOUT });

/**
 * The dashboard journey's stored responses, written through `page`: the app
 * creates its database on its first read, then `DASHBOARD_RESPONSES` go in
 * over the last 60 days (the default view of 30 days and the one it is
 * compared with). Resolves to how many were written.
 */
export async function seedDashboard(page, origin) {
  const { seedResponses } = await import('../tests/e2e/seed.mjs');
  await page.goto(`${origin}/#/dashboard`);
  await visible(page.getByRole('heading', { level: 2, name: 'KPI overview' }));
  const span = 60 * 86_400_000;
  const n = await seedResponses(page, { n: DASHBOARD_RESPONSES, start: Date.now() - span, span });
  if (n !== DASHBOARD_RESPONSES) throw new Error(`seeded ${n} responses`);
  return n;
}

/** Measures every journey in `journeys` against dist/ served on `port`. */
export async function measureTransfer({ dist = join(root, 'dist'), port = 4197, journeys = JOURNEYS } = {}) {
  const { startServer } = await import('../tests/e2e/serve.mjs');
  const { chromium } = await import('@playwright/test');
  const { launchOptions, phone, locale } = await suiteSettings();
  const server = await startServer({ root: () => dist, port, gzip: true });
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch(launchOptions);
  const out = {};
  try {
    let links = {};
    if (journeys.includes('shopper') || journeys.includes('survey')) {
      try {
        links = await publishedLinks(browser, origin, locale);
      } catch (e) {
        links = { error: `making the links: ${String(e.message ?? e).split('\n')[0]}` };
      }
    }
    // A fresh phone per journey: its own storage, cache and network log.
    const phoneContext = () => browser.newContext({ ...phone, locale, serviceWorkers: 'block' });
    const run = {
      home: async (context) =>
        measure(await context.newPage(), `${origin}/`, (p) => visible(p.getByRole('heading', { level: 1 })), origin),
      dashboard: async (context) => {
        // The responses go in first; the measured visit comes after.
        const setup = await context.newPage();
        await seedDashboard(setup, origin);
        await setup.close();
        const r = await measure(
          await context.newPage(),
          `${origin}/#/dashboard`,
          async (p) => {
            const overview = p.getByRole('region', { name: 'KPI overview' });
            await visible(overview.getByRole('article').first());
            // Drawn from the stored responses, not an empty view.
            await overview
              .getByRole('article', { name: 'Audit score', exact: true })
              .filter({ hasText: 'n = ' })
              .waitFor({ timeout: USABLE_TIMEOUT });
          },
          origin,
        );
        return { responses: DASHBOARD_RESPONSES, ...r };
      },
      shopper: async (context) => {
        if (!links.shopper) throw new Error(links.error ?? 'no shopper link');
        return measure(
          await context.newPage(),
          links.shopper,
          async (p) => {
            await p.getByRole('button', { name: 'Start', exact: true }).click({ timeout: USABLE_TIMEOUT });
            await visible(p.getByRole('radio').first());
          },
          origin,
        );
      },
      survey: async (context) => {
        if (!links.survey) throw new Error(links.error ?? 'no survey link');
        return measure(
          await context.newPage(),
          links.survey,
          async (p) => {
            // Five questions: the survey starts with them, no Start tap.
            await visible(p.getByRole('radio').first());
          },
          origin,
        );
      },
    };
    for (const journey of journeys) {
      const context = await phoneContext();
      try {
        out[journey] = await run[journey](context);
        console.log(`transfer ${journey}: ${out[journey].total_kb} KB (${transferSplit(out[journey])}), usable after ${out[journey].usable_ms} ms`);
      } catch (e) {
        out[journey] = { error: String(e.message ?? e).split('\n')[0] };
        console.log(`transfer ${journey}: error: ${out[journey].error}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

/** One journey's figures for people: each file, then the total. */
export function transferReport(journey, r) {
  if (r.error) return `${journey}: error: ${r.error}`;
  const lines = [`${journey}: ${r.total_kb} KB transferred before usable (${r.total_bytes} bytes; ${transferSplit(r)})`];
  for (const f of r.files) lines.push(`${(f.bytes / 1024).toFixed(1).padStart(9)} KB  ${f.type.padEnd(5)} ${f.file}`);
  if (r.after_usable.requests) lines.push(`  then, after usable: ${r.after_usable.total_kb} KB in ${r.after_usable.requests} requests (${r.after_usable.files.join(', ')})`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await measureTransfer({ port: Number(process.env.TRANSFER_PORT ?? 4197) });
  if (process.argv.includes('--json')) console.log(JSON.stringify(out, null, 2));
  else for (const [journey, r] of Object.entries(out)) console.log(transferReport(journey, r));
}
