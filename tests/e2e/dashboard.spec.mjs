// The manager dashboard (issue 7). A known data set is written into
// IndexedDB; every card must show what the KPI engine computes for it. The
// data set and the expected figures come from tests/fixtures/dashboard.json,
// which a native Rust test (src/dashboard/fixture.rs) writes from the engine
// and keeps current. Then: a filter change updates every card and the URL,
// a reload restores the view, and a weak spot drills down to the responses
// that failed it and to one response with its photo.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forbidForeignRequests, collectPageErrors } from './helpers.mjs';

const fixture = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dashboard.json'), 'utf8'),
);
const [all, south] = fixture.views;

// The fixture's days are UTC days.
test.use({ timezoneId: 'UTC' });

let assertNoForeign;
let assertNoErrors;
test.beforeEach(async ({ page, baseURL }) => {
  assertNoForeign = forbidForeignRequests(page, baseURL);
  assertNoErrors = collectPageErrors(page);
});
test.afterEach(async () => {
  assertNoForeign();
  assertNoErrors();
});

/** Writes the fixture's locations and responses, and one photo, straight
 * into the app's database (created by the app on its first read). */
async function seed(page, photo) {
  await page.evaluate(
    ({ locations, responses, photo }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = async () => {
          const db = open.result;
          // A 2×2 PNG made here, so the photo is a real decodable picture.
          const canvas = new OffscreenCanvas(2, 2);
          canvas.getContext('2d').fillRect(0, 0, 2, 2);
          const blob = await canvas.convertToBlob({ type: 'image/png' });
          const tx = db.transaction(['locations', 'responses', 'photos'], 'readwrite');
          for (const l of locations) tx.objectStore('locations').put(l);
          for (const r of responses) tx.objectStore('responses').put(r);
          tx.objectStore('photos').put({
            id: '0e1f0000-0000-4000-8000-00000000f001',
            response_id: photo.response_id,
            question_id: photo.question_id,
            mime: 'image/png',
            width: 2,
            height: 2,
            bytes: blob.size,
            taken_at: '2026-03-30T10:00:00Z',
            blob,
          });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { locations: fixture.locations, responses: fixture.responses, photo },
  );
}

async function expectCards(page, view) {
  const overview = page.getByRole('region', { name: 'KPI overview' });
  await expect(overview.getByRole('article')).toHaveCount(view.cards.length);
  for (const card of view.cards) {
    const el = overview.getByRole('article', { name: card.name, exact: true });
    await expect(el, card.name).toContainText(card.value ?? 'no data');
    await expect(el, card.name).toContainText(card.n);
    if (card.interval) await expect(el, card.name).toContainText(`95% interval${card.interval}`);
    if (card.change) await expect(el, card.name).toContainText(`Vs previous period${card.change}`);
    else await expect(el, card.name).not.toContainText('Vs previous period');
  }
}

/** Opens the dashboard, seeds the fixture, and opens `view` from its URL. */
async function openSeeded(page, view, photo) {
  await page.goto('./#/dashboard');
  await expect(page.getByRole('heading', { level: 2, name: 'KPI overview' })).toBeVisible();
  await seed(page, photo);
  await page.goto(`./#/dashboard?${view.query}`);
  await page.reload();
}

test('cards show the engine figures, follow the filters and the URL, and drill down to a photo', async ({ page }) => {
  const spot = south.top_weak_spot;
  // A shared link opens exactly its view.
  await openSeeded(page, all, { response_id: spot.newest_response, question_id: spot.question_id });
  await expect(page.getByRole('combobox', { name: 'Period' })).toHaveValue('custom');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2026-02-01');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('2026-03-31');
  await expectCards(page, all);

  // One location: every card changes to that location's figures.
  await page.getByRole('button', { name: 'Locations: all' }).click();
  await page.getByRole('checkbox', { name: 'South store' }).check();
  await expect(page).toHaveURL(new RegExp(`#/dashboard\\?${south.query.replace(/[?&]/g, '\\$&')}$`));
  await expect(page.getByRole('button', { name: 'Locations: 1' })).toBeVisible();
  await expectCards(page, south);

  // A reload restores the view from the URL.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Locations: 1' })).toBeVisible();
  await expectCards(page, south);

  // Weak spot → the responses that failed it → one response with its photo.
  const weak = page.getByRole('table', { name: 'Weak spots: most often failed' });
  const first = weak.getByRole('row').nth(1);
  await expect(first.getByRole('cell').first()).toHaveText(String(spot.failed));
  await first.getByRole('link', { name: spot.text }).click();
  await expect(page).toHaveURL(/#\/responses\?.*loc=loc-south.*item=tpl-retail-quick\/q-/);
  await expect(page.getByText(`Failed item: ${spot.text}`)).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(`Responses: ${spot.failed}`);
  const list = page.getByRole('table', { name: 'Responses' });
  await expect(list.getByRole('row')).toHaveCount(spot.failed + 1);
  await list.getByRole('row').nth(1).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`#/response/${spot.newest_response}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Response: Quick store audit' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ hasText: spot.text });
  await expect(item).toContainText('No — Failed');
  const img = item.getByRole('img', { name: `Photos 1: ${spot.text}` });
  await expect(img).toBeVisible();
  expect(await img.evaluate((i) => i.complete && i.naturalWidth)).toBe(2);

  // Back to the dashboard keeps the filters.
  await page.goBack();
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`#/dashboard\\?${south.query.replace(/[?&]/g, '\\$&')}$`));
  await expectCards(page, south);
});

test('the view prints as an A4 report without navigation or controls', async ({ page }) => {
  const spot = south.top_weak_spot;
  await openSeeded(page, south, { response_id: spot.newest_response, question_id: spot.question_id });
  await expectCards(page, south);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print report' })).toBeHidden();
  await expect(page.getByRole('region', { name: 'KPI overview' })).toBeVisible();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  console.log(`dashboard report: ${pages} A4 page(s), ${pdf.length} bytes`);
  expect(pages).toBeGreaterThanOrEqual(1);
});
