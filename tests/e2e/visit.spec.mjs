// The rest of the shopper's field app (issue 5): locations and staff kept
// by hand and as CSV; the visit header (when, which employee); a submitted
// visit amended by a corrected copy that supersedes it; deleting asks once
// for exported data and twice for data that exists only on this device.
import { readFile } from 'node:fs/promises';
import { test, expect, question, storedRecords, storedResponses, startQuickAudit, QUICK, spreadsheetRows, openMenu } from './helpers.mjs';

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

async function addStaff(page) {
  await page.goto('./');
  await openMenu(page, 'Locations and staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Locations and staff' })).toBeVisible();
  await page.getByLabel('New location').fill('Mall <b>Mega</b>');
  await page.getByRole('button', { name: 'Add location' }).click();
  await expect(page.getByLabel('Location name: Mall <b>Mega</b>')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Anna Petrova');
  await page.getByLabel('Role', { exact: true }).fill('Cashier');
  await page.getByRole('combobox', { name: 'Location' }).selectOption({ label: 'Mall <b>Mega</b>' });
  await page.getByRole('button', { name: 'Add employee' }).click();
  await expect(page.getByRole('table', { name: 'Employees' }).getByRole('row', { name: /Anna Petrova/ })).toContainText('Mall <b>Mega</b>');
}

test('locations and staff: added by hand, exported and imported as CSV; a bad file changes nothing', async ({ page }) => {
  await addStaff(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export employees (CSV)' }).click(),
  ]);
  const text = await readFile(await download.path(), 'utf8');
  // Every field quoted, so a spreadsheet's other list separator cannot
  // split one (see export/csv.rs).
  const [header, row] = spreadsheetRows(text, ',');
  expect(header).toEqual(['id', 'name', 'role', 'location_id']);
  const [anna] = await storedRecords(page, 'employees');
  const [mall] = (await storedRecords(page, 'locations')).filter((l) => l.name === 'Mall <b>Mega</b>');
  expect(row).toEqual([anna.id, 'Anna Petrova', 'Cashier', mall.id]);
  expect(text).toContain('"Anna Petrova"');

  // A spreadsheet the manager typed: Russian headers, `;`, a blank id, a
  // changed role for Anna.
  const typed = `\uFEFFid;Имя;Должность;Точка\n${anna.id};Anna Petrova;Senior cashier;${mall.id}\n;Boris;=1+1;\n`;
  await page.getByLabel('Import employees from CSV').setInputFiles(csvFile('staff.csv', typed));
  // The lists reload after an import (a 'Loading…' status may show too).
  await expect(page.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText('Imported 2: 1 new, 1 changed');
  const table = page.getByRole('table', { name: 'Employees' });
  await expect(table.getByRole('row', { name: /Boris/ })).toContainText('=1+1');
  await expect(table.getByRole('row', { name: /Anna Petrova/ })).toContainText('Senior cashier');
  const before = await storedRecords(page, 'employees');
  expect(before).toHaveLength(2);

  // One bad row: the whole file is refused with its line, nothing stored changes.
  const bad = 'name;location_id\nCarla;\nDmitry;no-such-place\n';
  await page.getByLabel('Import employees from CSV').setInputFiles(csvFile('bad.csv', bad));
  await expect(page.getByRole('alert')).toHaveText('Line 3: there is no location with the id “no-such-place”.');
  expect(await storedRecords(page, 'employees')).toEqual(before);
});

test('the visit header is stored as entered; an amended copy supersedes the submitted visit', async ({ page }) => {
  await addStaff(page);
  await startQuickAudit(page);
  await page.getByRole('combobox', { name: 'Location' }).selectOption({ label: 'Mall <b>Mega</b>' });
  await page.getByLabel('Visit date and time').fill('2026-11-20T14:30');
  await page.getByRole('combobox', { name: 'Employee observed' }).selectOption({ label: 'Anna Petrova · Cashier' });
  await page.getByLabel('If the employee is not in the list, describe them').fill('long hair, badge hidden');
  await expect.poll(async () => (await storedResponses(page))[0]?.employee_note).toBe('long hair, badge hidden');

  await page.reload();
  await expect(page.getByLabel('Visit date and time')).toHaveValue('2026-11-20T14:30');
  await expect(page.getByRole('combobox', { name: 'Employee observed' })).toHaveValue(/^emp-/);
  const [draft] = await storedResponses(page);
  expect(draft.visited_at).toMatch(/^2026-11-20T1\d:30:00/);
  expect(draft.employee_ids).toHaveLength(1);

  for (const q of Object.values(QUICK)) await question(page, q).getByRole('radio', { name: 'Yes', exact: true }).check();
  await question(page, QUICK.loyalty).getByRole('radio', { name: 'No', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);

  // Amend: a corrected copy, marked as such, with the same answers.
  await page.goto(`./#/fill/${draft.id}`);
  await expect(page.getByLabel('Visit date and time')).toBeDisabled();
  await page.getByRole('button', { name: 'Amend (make a corrected copy)' }).click();
  await expect(page).not.toHaveURL(new RegExp(draft.id));
  await expect(page.getByText('This is a corrected copy. Once you submit it, it replaces the original result.')).toBeVisible();
  await expect(page.getByLabel('Visit date and time')).toHaveValue('2026-11-20T14:30');
  await question(page, QUICK.loyalty).getByRole('radio', { name: 'Yes', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);

  const all = await storedResponses(page);
  expect(all).toHaveLength(2);
  const original = all.find((r) => r.id === draft.id);
  const copy = all.find((r) => r.id !== draft.id);
  expect(copy.supersedes).toBe(original.id);
  expect(original.answers['q-loyalty'].value.t).toBe('no');
  expect(copy.answers['q-loyalty'].value.t).toBe('yes');
  expect(copy.visited_at).toBe(original.visited_at);

  await page.goto(`./#/fill/${original.id}`);
  await expect(page.getByRole('status').filter({ hasText: 'This result has been replaced by a corrected copy.' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the corrected copy' }).click();
  await expect(page).toHaveURL(new RegExp(`#/fill/${copy.id}$`));
});

test('deleting asks twice for answers that exist only on this device', async ({ page }) => {
  await page.goto('./');
  await startQuickAudit(page);
  await question(page, QUICK.entrance).getByRole('radio', { name: 'Yes', exact: true }).check();
  await expect.poll(async () => Object.keys((await storedResponses(page))[0]?.answers ?? {})).toEqual(['q-entrance']);

  const asked = [];
  // Yes to the first question, no to the second: nothing is deleted.
  page.once('dialog', (d) => { asked.push(d.message()); d.accept(); page.once('dialog', (d2) => { asked.push(d2.message()); d2.dismiss(); }); });
  await page.getByRole('button', { name: 'Delete this record' }).click();
  await expect.poll(() => asked.length).toBe(2);
  expect(asked[1]).toBe('This record has not been sent anywhere: its answers exist only on this device. Delete it anyway?');
  expect(await storedResponses(page)).toHaveLength(1);

  page.on('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete this record' }).click();
  await expect(page).toHaveURL(/#\/$/);
  await expect.poll(async () => (await storedResponses(page)).length).toBe(0);
});
