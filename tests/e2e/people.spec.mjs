// Locations and staff (#/people): what the person keeps there stays as they
// left it. Only a screen that starts a visit makes the default location,
// and only while there is none (issue 22: deleting the last location made
// the People screen create "Main location" again, and team sync then
// shared it).
import { test, expect, storedRecords, openMenu, openNewAudit } from './helpers.mjs';

test('the last location deleted stays deleted; a first visit still needs no set-up', async ({ page }) => {
  await page.goto('./');
  await openMenu(page, 'Locations and staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Locations and staff' })).toBeVisible();
  // A fresh device: nothing made for the person on this screen.
  await expect(page.getByRole('textbox', { name: /^Location name: / })).toHaveCount(0);
  expect(await storedRecords(page, 'locations')).toEqual([]);

  await page.getByLabel('New location').fill('Airport kiosk');
  await page.getByRole('button', { name: 'Add location' }).click();
  await expect(page.getByLabel('Location name: Airport kiosk')).toBeVisible();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete: Airport kiosk' }).click();
  await expect(page.getByLabel('Location name: Airport kiosk')).toHaveCount(0);

  // Back on the screen, and after a reload: still none.
  await openMenu(page, 'Audits');
  await openMenu(page, 'Locations and staff');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Locations and staff' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add location' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Location name: / })).toHaveCount(0);
  expect(await storedRecords(page, 'locations')).toEqual([]);

  // Starting a visit with no location offers the default one, as before.
  await openNewAudit(page);
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Quick store audit' });
  await expect(page.getByRole('combobox', { name: 'Location' })).toContainText('Main location');
  expect((await storedRecords(page, 'locations')).map((l) => l.name)).toEqual(['Main location']);
});

test('an employee is edited in place: name, role and location change, the id stays', async ({ page }) => {
  await page.goto('./#/people');
  await page.getByLabel('New location').fill('Tverskaya');
  await page.getByRole('button', { name: 'Add location' }).click();
  await expect(page.getByLabel('Location name: Tverskaya')).toBeVisible();
  const staff = page.getByRole('table', { name: 'Employees' });
  await page.getByLabel('Name', { exact: true }).fill('Anna');
  await page.getByRole('button', { name: 'Add employee' }).click();
  await expect(staff.getByRole('row', { name: /Anna/ })).toBeVisible();
  const [before] = await storedRecords(page, 'employees');

  await staff.getByRole('button', { name: 'Edit: Anna' }).click();
  await staff.getByRole('textbox', { name: 'Name: Anna' }).fill('Anna Petrova');
  await staff.getByRole('textbox', { name: 'Role: Anna' }).fill('Senior cashier');
  await staff.getByRole('combobox', { name: 'Location: Anna' }).selectOption({ label: 'Tverskaya' });
  await staff.getByRole('button', { name: 'Save: Anna' }).click();
  await expect(staff.getByRole('row').nth(1)).toContainText('Anna Petrova');
  await expect(staff.getByRole('row').nth(1)).toContainText('Senior cashier');
  await expect(staff.getByRole('row').nth(1)).toContainText('Tverskaya');

  await page.reload();
  await expect(staff.getByRole('row').nth(1)).toContainText('Anna Petrova');
  const [after] = await storedRecords(page, 'employees');
  const [place] = await storedRecords(page, 'locations');
  expect(after).toMatchObject({ id: before.id, name: 'Anna Petrova', role: 'Senior cashier', location_id: place.id });
  expect(after.updated_at).not.toBe(before.updated_at);

  // Cancel leaves it as it was.
  await staff.getByRole('button', { name: 'Edit: Anna Petrova' }).click();
  await staff.getByRole('textbox', { name: 'Name: Anna Petrova' }).fill('Someone else');
  await staff.getByRole('button', { name: 'Cancel' }).click();
  await expect(staff.getByRole('row').nth(1)).toContainText('Anna Petrova');
  expect((await storedRecords(page, 'employees'))[0].name).toBe('Anna Petrova');
});
