// Copies to choose from (issues 22 and 19): a location renamed on another
// device comes back in that device's file as a second copy; the import
// keeps both and decides nothing, the conflicts screen shows both names
// side by side, and the person's choice is stored and the list empties.
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, storedRecords, collectPageErrors } from './helpers.mjs';

const malformed = join(dirname(fileURLToPath(import.meta.url)), '..', 'malformed');
const asFile = (name, bytes) => ({ name, mimeType: 'application/json', buffer: Buffer.from(bytes) });

async function importFiles(page, files) {
  await page.goto('./#/exchange');
  await page.getByLabel('Choose files').setInputFiles(files);
  const report = page.getByRole('list', { name: 'Import report' });
  await expect(report.getByRole('heading', { level: 3 })).toHaveCount(files.length);
  await expect(page.getByRole('status').filter({ hasText: 'Importing…' })).toHaveCount(0);
  return report;
}

async function backup(page) {
  await page.goto('./#/exchange');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Backup (JSON)' }).click()]);
  return readFile(await file.path());
}

test('a record changed on another device is kept as a second copy, shown side by side, and the choice is stored', async ({ page, browser, baseURL }, testInfo) => {
  const assertNoErrors = collectPageErrors(page);
  const base = asFile('base.json', await readFile(join(malformed, 'base.json')));
  await importFiles(page, [base]);
  await page.goto('./#/conflicts');
  await expect(page.getByRole('heading', { level: 1, name: 'Copies to choose from' })).toBeVisible();
  await expect(page.getByText('Nothing to choose')).toBeVisible();

  // Another manager's device has the same location and renames it.
  const other = await browser.newContext({ ...testInfo.project.use, baseURL });
  const tablet = await other.newPage();
  await importFiles(tablet, [base]);
  await tablet.goto('./#/people');
  const name = tablet.getByRole('textbox', { name: 'Location name: Main street' });
  await name.fill('Main street, entrance from the yard');
  await name.press('Enter');
  await expect.poll(async () => (await storedRecords(tablet, 'locations')).map((l) => l.name)).toEqual(['Main street, entrance from the yard']);
  const file = await backup(tablet);
  await other.close();

  await importFiles(page, [asFile('tablet.json', file)]);
  // Nothing decided for the person: this device keeps its name.
  expect((await storedRecords(page, 'locations')).map((l) => l.name)).toEqual(['Main street']);
  await page.getByRole('link', { name: 'Choose between the copies' }).click();
  await expect(page).toHaveURL(/#\/conflicts$/);
  const copy = page.getByRole('article', { name: 'Locations: Main street, entrance from the yard' });
  const table = copy.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText(['Field', 'On this device', 'The other copy']);
  await expect(table.getByRole('row', { name: /name/ })).toContainText('Main street');
  await expect(table.getByRole('row', { name: /name/ })).toContainText('Main street, entrance from the yard');

  await copy.getByRole('button', { name: 'Use the other copy: Locations: Main street, entrance from the yard' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your choice is saved.' })).toBeVisible();
  await expect(page.getByText('Nothing to choose')).toBeVisible();
  expect((await storedRecords(page, 'locations')).map((l) => l.name)).toEqual(['Main street, entrance from the yard']);
  expect(await storedRecords(page, 'conflicts')).toEqual([]);
  // The same file again is nothing new.
  await importFiles(page, [asFile('tablet.json', file)]);
  await expect(page.getByRole('link', { name: 'Choose between the copies' })).toHaveCount(0);
  assertNoErrors();
});
