// The manager dashboard (issue 7). A known data set is written into
// IndexedDB; every card must show what the KPI engine computes for it. The
// data set and the expected figures come from tests/fixtures/dashboard.json,
// which a native Rust test (src/dashboard/fixture.rs) writes from the engine
// and keeps current. Then: a filter change updates every card and the URL,
// a reload restores the view, and a weak spot drills down to the responses
// that failed it and to one response with its photo.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, showFilters, saveScreen } from './helpers.mjs';

const fixture = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dashboard.json'), 'utf8'),
);
const [all, south] = fixture.views;

// The fixture's days are UTC days.
test.use({ timezoneId: 'UTC' });

/** Writes the fixture's locations and responses, and one photo, straight
 * into the app's database (created by the app on its first read). */
async function seed(page, photo) {
  await page.evaluate(
    ({ locations, employees, responses, photo }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = async () => {
          const db = open.result;
          // A 2×2 PNG made here, so the photo is a real decodable picture.
          const canvas = new OffscreenCanvas(2, 2);
          canvas.getContext('2d').fillRect(0, 0, 2, 2);
          const blob = await canvas.convertToBlob({ type: 'image/png' });
          const tx = db.transaction(['locations', 'employees', 'responses', 'photos'], 'readwrite');
          for (const l of locations) tx.objectStore('locations').put(l);
          for (const e of employees) tx.objectStore('employees').put(e);
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
    { locations: fixture.locations, employees: fixture.employees, responses: fixture.responses, photo },
  );
}

async function expectCards(page, view) {
  await expectTiles(page.getByRole('region', { name: 'KPI overview' }), view.cards);
  // The operations group: its tiles with operations reports, else nothing.
  const ops = page.getByRole('region', { name: 'Sales and contact centre' });
  if (view.operations.length) await expectTiles(ops, view.operations);
  else await expect(ops).toHaveCount(0);
}

async function expectTiles(region, cards) {
  await expect(region.getByRole('article')).toHaveCount(cards.length);
  for (const card of cards) {
    const el = region.getByRole('article', { name: card.name, exact: true });
    await expect(el, card.name).toContainText(card.value ?? 'no data');
    await expect(el, card.name).toContainText(card.n);
    if (card.interval) await expect(el, card.name).toContainText(`95% interval${card.interval}`);
    if (card.change) await expect(el, card.name).toContainText(`Vs previous period${card.change}${card.verdict ? ` · ${card.verdict}` : ''}`);
    else await expect(el, card.name).not.toContainText('Vs previous period');
  }
}

/** Clicks point or bar `index` of the chart drawn on `canvas`, where
 * Chart.js placed it (its element's centre, in CSS pixels). */
async function clickChart(canvas, index) {
  const position = await canvas.evaluate((el, i) => {
    const { x, y } = window.Chart.getChart(el).getDatasetMeta(0).data[i].getCenterPoint();
    return { x: Math.round(x), y: Math.round(y) };
  }, index);
  await canvas.scrollIntoViewIfNeeded();
  await canvas.click({ position });
}

/** Opens the dashboard, seeds the fixture, and opens `view` from its URL. */
async function openSeeded(page, view, photo) {
  await page.goto('./#/dashboard');
  await expect(page.getByRole('heading', { level: 2, name: 'KPI overview' })).toBeVisible();
  await seed(page, photo);
  await page.goto(`./#/dashboard?${view.query}`);
  await page.reload();
  await showFilters(page);
}

test('cards show the engine figures, follow the filters and the URL, and drill down to a photo', async ({ page }, testInfo) => {
  const spot = south.top_weak_spot;
  // A shared link opens exactly its view.
  await openSeeded(page, all, { response_id: spot.newest_response, question_id: spot.question_id });
  await expect(page.getByRole('combobox', { name: 'Period' })).toHaveValue('custom');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2026-02-01');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('2026-03-31');
  await expectCards(page, all);
  await saveScreen(page, testInfo, 'dashboard-seeded');
  // A laptop's first screen shows KPI tiles, not a form of filters.
  const tiles = page.getByRole('region', { name: 'KPI overview' }).getByRole('article');
  if (testInfo.project.name === 'desktop') await expect(tiles.first()).toBeInViewport({ ratio: 1 });
  // A tile opens its trend: the chart switches to that KPI and the view follows.
  await tiles.getByRole('button', { name: 'Trend: Net Promoter Score' }).click();
  const picker = page.getByRole('combobox', { name: 'KPI on the chart' });
  await expect(picker).toHaveValue('nps');
  await expect(picker).toBeFocused();
  await expect(picker).toBeInViewport();

  // One location: every card changes to that location's figures.
  await page.getByRole('button', { name: 'Locations: all' }).click();
  await page.getByRole('checkbox', { name: 'South store' }).check();
  await expect(page).toHaveURL(new RegExp(`#/dashboard\\?${south.query.replace(/[?&]/g, '\\$&')}$`));
  await expect(page.getByRole('button', { name: 'Locations: 1' })).toBeVisible();
  await expectCards(page, south);

  // A reload restores the view from the URL.
  await page.reload();
  await showFilters(page);
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
  const open = item.getByRole('button', { name: `Open the photo full size: Photos 1: ${spot.text}` });
  await expect(open).toBeVisible();
  await open.click();
  const view = page.getByRole('dialog', { name: `Photos 1: ${spot.text}` });
  const img = view.getByRole('img', { name: `Photos 1: ${spot.text}` });
  await expect(img).toBeVisible();
  expect(await img.evaluate((i) => i.complete && i.naturalWidth)).toBe(2);
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();

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

test('a point of each chart opens the responses behind it; employees appear by name', async ({ page }) => {
  const spot = south.top_weak_spot;
  await openSeeded(page, all, { response_id: spot.newest_response, question_id: spot.question_id });
  await expectCards(page, all);
  const charts = page.getByRole('region', { name: 'Trend' });
  const status = page.getByRole('status');
  const back = async () => {
    await page.goBack();
    await expect(page).toHaveURL(/#\/dashboard\?from=2026-02-01&to=2026-03-31$/);
    await expectCards(page, all);
  };

  // NPS: the bar of the most frequent score lists exactly its answers.
  const byScore = all.nps_by_score;
  const score = byScore.indexOf(Math.max(...byScore));
  await clickChart(charts.getByRole('img', { name: 'NPS answers 0–10' }), score);
  await expect(page).toHaveURL(new RegExp(`#/responses\\?from=2026-02-01&to=2026-03-31&nps=${score}$`));
  await expect(page.getByText(`NPS answer: ${score}`)).toBeVisible();
  await expect(status).toHaveText(`Responses: ${byScore[score]}`);
  await expect(page.getByRole('table', { name: 'Responses' }).getByRole('row')).toHaveCount(byScore[score] + 1);
  await back();

  // Trend by day: the busiest day with an audit score lists that day's responses.
  const day = all.trend.reduce((best, p, i) => (p.audits > 0 && p.responses > all.trend[best].responses ? i : best), all.trend.findIndex((p) => p.audits > 0));
  const point = all.trend[day];
  await clickChart(charts.getByRole('img', { name: 'Trend: Audit score' }), day);
  await expect(page).toHaveURL(new RegExp(`#/responses\\?from=${point.label}&to=${point.label}$`));
  await expect(status).toHaveText(`Responses: ${point.responses}`);
  await back();

  // Employees are named: in the filter, the ranking's table and the list.
  await showFilters(page);
  await page.getByRole('button', { name: 'Employees: all' }).click();
  for (const e of all.employee_bars) await expect(page.getByRole('checkbox', { name: e.name, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Employees: all' }).click();
  const best = charts.getByRole('figure', { name: 'Best employee: audit score' });
  await best.getByText('Show as a table').click();
  const ranking = best.getByRole('table', { name: 'Best employee: audit score' });
  for (const e of all.employee_bars) await expect(ranking.getByRole('link', { name: e.name, exact: true })).toBeVisible();
  await expect(ranking.getByRole('link', { name: 'emp-anna' })).toHaveCount(0);
  // Gleb has no staff record: his id stands in.
  await expect(ranking.getByRole('link', { name: 'emp-gleb', exact: true })).toBeVisible();

  // The ranking's bar of the third employee lists their responses, by name.
  const third = all.employee_bars[2];
  await clickChart(charts.getByRole('img', { name: 'Best employee: audit score' }), 2);
  await expect(page).toHaveURL(new RegExp(`#/responses\\?from=2026-02-01&to=2026-03-31&emp=${third.id}$`));
  await expect(page.getByText(`Employee: ${third.name}`)).toBeVisible();
  await expect(status).toHaveText(`Responses: ${third.responses}`);
  const rows = page.getByRole('table', { name: 'Responses' }).getByRole('row');
  await expect(rows).toHaveCount(third.responses + 1);
  await expect(rows.nth(1).getByRole('cell', { name: third.name, exact: true })).toBeVisible();
});

test('a bar of the section-scores and of the weak-spots chart opens the responses behind it', async ({ page }) => {
  const spot = south.top_weak_spot;
  await openSeeded(page, all, { response_id: spot.newest_response, question_id: spot.question_id });
  await expectCards(page, all);
  const charts = page.getByRole('region', { name: 'Trend' });
  const status = page.getByRole('status');
  const rows = page.getByRole('table', { name: 'Responses' }).getByRole('row');
  const enc = (s) => encodeURIComponent(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  // Sections: the second bar lists the visits that scored that section
  // (its neighbour has another section id, so a miss shows in the URL).
  expect(all.section_bars.length).toBeGreaterThanOrEqual(2);
  const section = all.section_bars[1];
  await clickChart(charts.getByRole('img', { name: 'Section scores' }), 1);
  await expect(page).toHaveURL(
    new RegExp(`#/responses\\?from=2026-02-01&to=2026-03-31&section=${enc(section.questionnaire_id)}/${enc(section.section_id)}$`),
  );
  await expect(page.getByText(`Section: ${section.title}`)).toBeVisible();
  await expect(status).toHaveText(`Responses: ${section.scored}`);
  await expect(rows).toHaveCount(section.scored + 1);
  await page.goBack();
  await expect(page).toHaveURL(/#\/dashboard\?from=2026-02-01&to=2026-03-31$/);
  await expectCards(page, all);

  // Weak spots: a bar whose failure count differs from both neighbours'
  // lists exactly the responses that failed that item.
  const bars = all.weak_spot_bars;
  const i = bars.findIndex((w, k) => k > 0 && k < bars.length - 1 && w.failed !== bars[k - 1].failed && w.failed !== bars[k + 1].failed);
  expect(i).toBeGreaterThan(0);
  const weak = bars[i];
  await clickChart(charts.getByRole('img', { name: 'Weak spots: most often failed' }), i);
  await expect(page).toHaveURL(
    new RegExp(`#/responses\\?from=2026-02-01&to=2026-03-31&item=${enc(weak.questionnaire_id)}/${enc(weak.question_id)}$`),
  );
  await expect(page.getByText(`Failed item: ${weak.text}`)).toBeVisible();
  await expect(status).toHaveText(`Responses: ${weak.failed}`);
  await expect(rows).toHaveCount(weak.failed + 1);
  // Every listed response did fail it: its record shows the item failed.
  await rows.nth(1).getByRole('link').click();
  await expect(page).toHaveURL(/#\/response\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('listitem').filter({ hasText: weak.text })).toContainText('No — Failed');
});

test('an empty dashboard says what to do next instead of empty cards and charts', async ({ page }) => {
  await page.goto('./#/dashboard');
  const overview = page.getByRole('region', { name: 'KPI overview' });
  const empty = overview.getByRole('note');
  await expect(empty).toContainText('Nothing to count here yet');
  await expect(overview.getByRole('article')).toHaveCount(0);
  await expect(page.getByRole('figure')).toHaveCount(0);
  await empty.getByRole('link', { name: 'Open QR codes and links' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Customer surveys: QR codes, posters, kiosk' })).toBeVisible();
});

test("rankings by what customers said: locations by NPS and by CSAT, staff by the staff answers, each row to its responses", async ({ page }) => {
  const spot = all.top_weak_spot;
  await openSeeded(page, all, { response_id: spot.newest_response, question_id: spot.question_id });
  const charts = page.getByRole('region', { name: 'Trend' });
  for (const r of all.rankings) {
    const figure = charts.getByRole('figure', { name: r.title });
    await figure.getByText('Show as a table').click();
    const table = figure.getByRole('table', { name: r.title });
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) {
      const line = table.getByRole('row').filter({ has: page.getByRole('link', { name: row.name, exact: true }) });
      await expect(line).toHaveCount(1);
      if (row.value) await expect(line).toContainText(row.value);
    }
  }
  // A row opens that place's responses.
  const nps = all.rankings[0];
  await charts.getByRole('figure', { name: nps.title }).getByRole('link', { name: nps.rows[0].name, exact: true }).click();
  await expect(page).toHaveURL(/#\/responses\?/);
});
