import { test as base, expect } from '@playwright/test';

export { expect };

/**
 * Playwright's `test` with one automatic guard: each test fails on a request
 * of its page outside the app's origin (nothing may come from a CDN), on an
 * uncaught page error (a Rust panic shows up as one) and on a CSP violation.
 * Pages a test opens itself get the same checks by calling
 * `forbidForeignRequests` and `collectPageErrors` on them.
 */
export const test = base.extend({
  guardPage: [
    async ({ page, baseURL }, use) => {
      const assertNoForeign = forbidForeignRequests(page, baseURL);
      const assertNoErrors = collectPageErrors(page);
      await use();
      assertNoForeign();
      assertNoErrors();
    },
    { auto: true },
  ],
});

/** Every stored response, read straight from IndexedDB, not through the app. */
/**
 * Every stored response as the app reads it: the single records, and the
 * imported ones kept many to a record in `response_pages` (src/formats/
 * pages.rs) that no single record shadows; ordered by id.
 */
export async function storedResponses(page) {
  const singles = await storedRecords(page, 'responses');
  const seen = new Set(singles.map((r) => r.id));
  const paged = (await storedRecords(page, 'response_pages'))
    .flatMap((p) => JSON.parse(p.json))
    .filter((r) => !seen.has(r.id));
  return [...singles, ...paged].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every record of an object store, read straight from IndexedDB. */
export async function storedRecords(page, storeName) {
  return page.evaluate(
    (storeName) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            resolve([]);
            return;
          }
          const req = db.transaction(storeName).objectStore(storeName).getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    storeName,
  );
}

/**
 * The team servers (dev CouchDB-protocol servers started by a spec) that
 * pages may contact besides the app's own origin: a spec that starts one
 * adds its URL here and removes it when it stops the server.
 */
export const allowedServers = new Set();

/** Fails the test on any request that leaves the app's own origin and the allowed servers. */
export function forbidForeignRequests(page, baseURL) {
  const origin = new URL(baseURL).origin;
  const foreign = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    const allowed = url.origin === origin || [...allowedServers].some((s) => new URL(s).origin === url.origin);
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && !allowed) foreign.push(req.url());
  });
  return () => expect(foreign, 'requests outside the app origin').toEqual([]);
}

/** Fails the test on uncaught page errors (a Rust panic shows up here) and
 * on anything the Content-Security-Policy refused. */
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });
  return () => expect(errors, 'uncaught page errors and CSP violations').toEqual([]);
}

/** The quick retail audit's six items (built-in template tpl-retail-quick). */
export const QUICK = {
  entrance: 'The entrance is clean; the sign and opening hours are easy to see',
  greeting: 'A staff member greeted you within the first 3 minutes',
  needs: 'The consultant asked what you needed before offering products',
  queue: 'You waited at the checkout no longer than 5 minutes',
  loyalty: 'The cashier offered a loyalty card',
  farewell: 'You were thanked for the purchase and said goodbye to',
};

/** Publishes a built-in template and returns the links its editor offers. */
export async function publishedLinks(page, template) {
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: `Use template: ${template}` }).click();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Links for filling' })).toBeVisible();
  const fill = await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue();
  const customer = (await page.getByLabel('Link for customers (survey)', { exact: true }).count())
    ? await page.getByLabel('Link for customers (survey)', { exact: true }).inputValue()
    : null;
  return { fill, customer };
}

/**
 * Saves a screenshot of the page for review in tests/e2e/.screens/ (outside
 * Playwright's output folder, which each run empties), named by project.
 */
export async function saveScreen(page, testInfo, name) {
  const { mkdirSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const dir = fileURLToPath(new URL('./.screens/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}${testInfo.project.name}-${name}.png` });
}

/** The main menu, in either language. */
export function mainMenu(page) {
  return page.getByRole('navigation', { name: /^(Main navigation|Основное меню)$/ });
}

/**
 * Opens a screen from the main menu as a person would: on a phone an entry
 * that is not in the bottom bar is behind "More" (the second tap).
 */
export async function openMenu(page, name) {
  const nav = mainMenu(page);
  await expect(nav).toBeVisible();
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) await nav.getByRole('button', { name: /^(More|Ещё)$/ }).click();
  await link.click();
}

/**
 * The dashboard's filters, opened: on a phone they are a sheet behind one
 * button ("Filters: <period>"); a laptop shows them as a bar.
 */
export async function showFilters(page) {
  const toggle = page.getByRole('button', { name: /^(Filters|Фильтры): / });
  await expect(page.getByRole('region', { name: /^(Filters|Фильтры)$/ })).toBeAttached();
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

/** From a manager's screens: Audits → Start audit, to the checklist choice. */
export async function openNewAudit(page) {
  await openMenu(page, 'Audits');
  await page.getByRole('link', { name: 'Start audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New audit' })).toBeVisible();
}

/** From anywhere on a manager's device: a new audit, the quick one, started. */
export async function startQuickAudit(page) {
  await openNewAudit(page);
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Quick store audit' });
  await page.getByRole('button', { name: 'Start audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
}

/** Resolves once a service worker controls the page. */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
}

export const question = (page, name) => page.getByRole('group', { name, exact: true });

/** Answers the built-in Loyalty Button survey on a customer's page: five
 * questions start at once, with no Start tap; Yes to its four yes/no
 * questions, Submit, then the thank-you. */
export async function answerLoyaltyButton(client) {
  // The questions render once the page has read the link: wait for them.
  await expect(client.getByRole('group')).toHaveCount(4);
  await expect(client.getByRole('button', { name: 'Start the survey' })).toHaveCount(0);
  for (const group of await client.getByRole('group').all()) {
    await group.getByRole('radio', { name: 'Yes', exact: true }).check();
  }
  await client.getByRole('button', { name: 'Submit' }).click();
  await expect(client.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toBeVisible();
}

/** axe-core's serious and critical violations on the page as it is now. The
 * page's context needs `bypassCSP`: axe is injected as a script, which the
 * app's own CSP rightly refuses. */
export async function seriousAxeViolations(page) {
  const { createRequire } = await import('node:module');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * The fields of a CSV text read as a spreadsheet reads it with the list
 * separator `delimiter`: a field is quoted only when it starts with `"`,
 * `""` inside quotes is a quote, and anything else is taken as it stands.
 * Returns rows of fields, the byte-order mark left out.
 */
export function spreadsheetRows(text, delimiter) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let atStart = true;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (atStart && c === '"') { quoted = true; atStart = false; continue; }
    if (c === delimiter) { row.push(field); field = ''; atStart = true; continue; }
    if (c === '\r' && s[i + 1] === '\n') continue;
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; atStart = true; continue; }
    field += c;
    atStart = false;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Whether a spreadsheet runs `field` as a formula (a number is a number). */
export const liveFormula = (field) => /^[=+\-@\t\r]/.test(field) && Number.isNaN(Number(field.replace(',', '.')));

/** The text of a PDF (Playwright's `page.pdf()`), read back by Mozilla's
 * PDF.js, one line per page. */
export async function pdfText(bytes) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((x) => x.str).join(' '));
  }
  await doc.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}
