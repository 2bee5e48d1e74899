// Import and export screens (issue 8): export → wipe → import gives the
// same data; two devices' files merge to the union in one pick; the same
// file again changes nothing; every malformed file is refused with its
// message and nothing stored changes; CSV and XLSX downloads.
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, question, storedRecords, storedResponses, startQuickAudit, QUICK, spreadsheetRows, liveFormula, openMenu } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const malformed = join(here, '..', 'malformed');

/** A submitted quick audit with one photo, made on `page`. */
async function submitAudit(page, loyalty, description = '') {
  await page.goto('./');
  await startQuickAudit(page);
  if (description) await page.getByLabel('If the employee is not in the list, describe them').fill(description);
  for (const q of Object.values(QUICK)) await question(page, q).getByRole('radio', { name: 'Yes', exact: true }).check();
  await question(page, QUICK.loyalty).getByRole('radio', { name: loyalty, exact: true }).check();
  const photo = page.getByLabel(`Add photo · ${QUICK.entrance}`);
  if (await photo.count()) {
    await photo.setInputFiles(join(fixtures, 'shop-front-2400x1800.jpg'));
    await expect(page.getByRole('list', { name: `Photos · ${QUICK.entrance}` }).getByRole('listitem')).toHaveCount(1);
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
}

async function download(page, buttonName) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Everything the app stores, photos without their Blob, in a stable order. */
async function everything(page) {
  const out = {};
  for (const store of ['questionnaires', 'responses', 'locations', 'employees', 'actions', 'settings', 'photos']) {
    const rows = store === 'responses' ? await storedResponses(page) : await storedRecords(page, store);
    out[store] = rows
      .map((r) => {
        const { blob, ...rest } = r;
        if (blob) rest.blob_size = blob.size;
        return JSON.parse(JSON.stringify(rest, (k, v) => (v === null ? undefined : v)));
      })
      .sort((a, b) => JSON.stringify(a.id ?? a.key).localeCompare(JSON.stringify(b.id ?? b.key)));
  }
  return out;
}

async function importFiles(page, files) {
  await page.getByLabel('Choose files').setInputFiles(files);
  const report = page.getByRole('list', { name: 'Import report' });
  await expect(report.getByRole('heading', { level: 3 })).toHaveCount(files.length);
  await expect(page.getByRole('status').filter({ hasText: 'Importing…' })).toHaveCount(0);
  return report;
}

const asFile = (name, bytes) => ({ name, mimeType: 'application/json', buffer: Buffer.from(bytes) });

test('export → wipe → import gives identical data; the same file again changes nothing', async ({ page }) => {
  await submitAudit(page, 'No');
  await page.goto('./');
  await openMenu(page, 'Import and export');
  await expect(page.getByRole('heading', { level: 1, name: 'Import and export' })).toBeVisible();
  const before = await everything(page);
  expect(before.responses).toHaveLength(1);
  const backup = await download(page, 'Backup (JSON)');
  expect(backup.name).toMatch(/^servicelens-backup-.*\.json$/);

  // Wipe the device.
  await page.evaluate(() => new Promise((ok, fail) => {
    const req = indexedDB.deleteDatabase('servicelens');
    req.onsuccess = ok; req.onerror = fail; req.onblocked = ok;
  }));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Import and export' })).toBeVisible();
  await expect.poll(async () => (await everything(page)).responses.length).toBe(0);

  let report = await importFiles(page, [asFile(backup.name, backup.bytes)]);
  await expect(report.getByRole('listitem').first()).toContainText('Import done.');
  const after = await everything(page);
  expect(after).toEqual(before);

  report = await importFiles(page, [asFile(backup.name, backup.bytes)]);
  await expect(report).toContainText('Nothing changed: everything in the file is already here.');
  expect(await everything(page)).toEqual(before);
});

test("two devices' files merge to the union in one pick", async ({ page, browser, baseURL }) => {
  const files = [];
  for (const loyalty of ['Yes', 'No']) {
    const device = await browser.newContext({ baseURL, locale: 'en-US', acceptDownloads: true });
    const p = await device.newPage();
    await submitAudit(p, loyalty);
    await p.goto('./#/exchange');
    const f = await download(p, 'Backup (JSON)');
    files.push(asFile(`${loyalty}-${f.name}`, f.bytes));
    await device.close();
  }
  await page.goto('./#/exchange');
  const report = await importFiles(page, files);
  await expect(report.getByRole('heading', { level: 3 })).toHaveText(files.map((f) => f.name));
  const responses = await storedResponses(page);
  expect(responses.map((r) => r.answers['q-loyalty'].value.t).sort()).toEqual(['no', 'yes']);
});

test('every malformed file is refused with a message and nothing stored changes', async ({ page }) => {
  test.setTimeout(180_000);
  await submitAudit(page, 'Yes');
  await page.goto('./#/exchange');
  const before = await everything(page);
  const pagesBefore = await storedRecords(page, 'response_pages');
  // INDEX.tsv: file, parser, expected error (or accept). The import screen
  // reads both formats, so a file that is merely the other format
  // (wrong_format) is a good file here; the rest must be refused.
  const index = (await readFile(join(malformed, 'INDEX.tsv'), 'utf8'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  // Files of the `merge` cases are valid and change nothing of a device
  // that holds base.json: the next test imports them.
  const refused = index
    .filter(([, parser, expected]) => parser !== 'merge' && expected !== 'accept' && expected !== 'wrong_format')
    .map(([name]) => name);
  expect(refused.length).toBeGreaterThanOrEqual(20);
  const files = await Promise.all(refused.map(async (n) => asFile(n, await readFile(join(malformed, n)))));
  const report = await importFiles(page, files);
  const items = report.locator(':scope > li');
  await expect(items).toHaveCount(refused.length);
  for (let i = 0; i < refused.length; i++) {
    await expect(items.nth(i), refused[i]).toHaveClass(/error/);
    expect((await items.nth(i).innerText()).length, refused[i]).toBeGreaterThan(refused[i].length + 10);
  }
  expect(await everything(page)).toEqual(before);
  expect(await storedRecords(page, 'response_pages')).toEqual(pagesBefore);

  // Script and HTML in every text field: accepted, stored verbatim, shown as text.
  const hostile = 'script_in_every_text_field.json';
  const ok = await importFiles(page, [asFile(hostile, await readFile(join(malformed, hostile)))]);
  await expect(ok).toContainText('Import done.');
  await page.goto('./#/dashboard');
  await page.waitForTimeout(500);
  expect(await page.locator('script:not([src]), img[onerror], [onerror], iframe').count()).toBe(0);
});

/** The rows of a CSV as objects keyed by its header row. */
function records(text, delimiter) {
  const [header, ...rows] = spreadsheetRows(text, delimiter);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

test('CSV and XLSX exports are in the reader\'s words: headers, names, answer labels, the employee description', async ({ page }) => {
  await submitAudit(page, 'No', 'tall, in glasses');
  await page.goto('./#/exchange');
  const long = await download(page, 'One row per answer (CSV)');
  const text = long.bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const en = records(text, ',');
  expect(en.header.slice(0, 6)).toEqual(['Response ID', 'Questionnaire', 'Questionnaire ID', 'Version', 'Status', 'Date']);
  expect(en.rows).toHaveLength(Object.keys(QUICK).length);
  const loyalty = en.rows.find((r) => r.Question === QUICK.loyalty);
  expect(loyalty.Answer).toBe('No');
  expect(loyalty['Answer as a number']).toBe('0');
  expect(en.rows.find((r) => r.Question === QUICK.greeting).Answer).toBe('Yes');
  for (const r of en.rows) {
    expect(r['Employee description']).toBe('tall, in glasses');
    expect(r.Status).toBe('Submitted');
    expect(r.Location).not.toBe('');
    expect(r.Date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  }
  const xlsx = await download(page, 'Excel workbook (XLSX)');
  expect(xlsx.name).toMatch(/\.xlsx$/);
  expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');

  await page.goto('./#/settings');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
  await page.goto('./#/exchange');
  const ru = records((await download(page, 'Ответы построчно (CSV)')).bytes.toString('utf8'), ';');
  expect(ru.header.slice(0, 6)).toEqual(['Ответ (ID)', 'Анкета', 'Анкета (ID)', 'Версия', 'Статус', 'Дата']);
  expect(ru.header).toContain('Описание сотрудника');
  expect(new Set(ru.rows.map((r) => r['Ответ']))).toEqual(new Set(['Да', 'Нет']));
  for (const r of ru.rows) {
    expect(r['Описание сотрудника']).toBe('tall, in glasses');
    expect(r['Статус']).toBe('Завершён');
    expect(r['Дата'], 'as a Russian Excel reads a date').toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  }
  const wide = records((await download(page, 'Анкеты построчно (CSV)')).bytes.toString('utf8'), ';');
  expect(wide.rows).toHaveLength(1);
  expect(wide.rows[0]['Описание сотрудника']).toBe('tall, in glasses');
  expect(wide.rows[0]['Оценка'], 'rounded as the response screen shows it').toMatch(/^\d{1,3}(,\d{1,2})?$/);
  expect(wide.header.slice(15), 'one column per question, headed by its text').toHaveLength(Object.keys(QUICK).length);
  expect(wide.header.slice(15).every((h) => /[а-яё]/i.test(h))).toBe(true);
});

test('files that try to change the device from outside change nothing: kiosk settings, a far-future copy, foreign corrections and photos, a built-in template, a skipped status', async ({ page }) => {
  await page.goto('./#/exchange');
  const base = await importFiles(page, [asFile('base.json', await readFile(join(malformed, 'base.json')))]);
  await expect(base).toContainText('Import done.');
  await page.goto('./#/dashboard?period=all');
  const overview = page.getByRole('region', { name: 'KPI overview' });
  await expect(overview.getByRole('article').first()).toBeVisible();
  const cardsBefore = await overview.innerText();
  await page.goto('./#/exchange');
  const before = await everything(page);

  const index = (await readFile(join(malformed, 'INDEX.tsv'), 'utf8'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .filter(([, parser]) => parser === 'merge');
  expect(index.map(([name]) => name)).toContain('kiosk_settings.json');
  expect(index.map(([name]) => name)).toContain('far_future_copy.json');
  const files = await Promise.all(index.map(async ([n]) => asFile(n, await readFile(join(malformed, n)))));
  const report = await importFiles(page, files);
  const items = report.locator(':scope > li');
  await expect(items).toHaveCount(files.length);
  for (let i = 0; i < files.length; i++) {
    await expect(items.nth(i), files[i].name).toContainText(/Nothing (was stored|changed)/);
  }
  await expect(items.nth(index.findIndex(([n]) => n === 'far_future_copy.json'))).toContainText('dated later than now');
  await expect(items.nth(index.findIndex(([n]) => n === 'kiosk_settings.json'))).toContainText('device settings (kiosk, PIN) never come from another device');
  expect(await everything(page)).toEqual(before);
  expect((await storedRecords(page, 'settings')).filter((r) => r.key.startsWith('kiosk.'))).toEqual([]);

  // After a reload the device is no kiosk and the dashboard says the same.
  await page.goto('./#/dashboard?period=all');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(overview.getByRole('article').first()).toBeVisible();
  expect(await overview.innerText()).toBe(cardsBefore);
});

test('CSV exports of formula payloads read back with no live formula under either list separator', async ({ page }) => {
  await page.goto('./#/exchange');
  const hostile = 'script_in_every_text_field.json';
  await expect(await importFiles(page, [asFile(hostile, await readFile(join(malformed, hostile)))])).toContainText('Import done.');
  for (const [lang, own] of [['English', ','], ['Русский', ';']]) {
    if (lang === 'Русский') {
      await page.goto('./#/settings');
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
      await page.goto('./#/exchange');
    }
    const buttons = lang === 'English' ? ['One row per answer (CSV)'] : ['Ответы построчно (CSV)'];
    for (const name of buttons) {
      const csv = (await download(page, name)).bytes.toString('utf8');
      let payloads = 0;
      for (const delimiter of [',', ';']) {
        for (const field of spreadsheetRows(csv, delimiter).flat()) {
          expect(liveFormula(field), `${lang} ${name} read with ${delimiter}: ${field}`).toBe(false);
          if (field.includes('HYPERLINK')) payloads++;
        }
      }
      expect(payloads, 'the payloads are in the file, made inert').toBeGreaterThan(0);
      expect(spreadsheetRows(csv, own)[0][0]).toBe(lang === 'English' ? 'Response ID' : 'Ответ (ID)');
    }
  }
});
