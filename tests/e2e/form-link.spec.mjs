// Form links (issue 18, short links through the team's server): a form
// published to the forms database opens from a link that names the form,
// the server and the key; a damaged link or a form that is not there gets
// a clear message and stores nothing.
import { test, expect, allowedServers, storedRecords, answerLoyaltyButton } from './helpers.mjs';
import { startCouch } from './couch.mjs';
import { publishForm, teamKey, templateFile } from './forms.mjs';

let couch;
test.beforeAll(async () => {
  couch = await startCouch();
  allowedServers.add(couch.url);
});
test.afterAll(async () => {
  allowedServers.delete(couch.url);
  await couch.stop();
});

test('a customer form link reads the survey from the team server and runs it', async ({ page }) => {
  const key = teamKey();
  const fragment = await publishForm(couch, { file: templateFile('loyalty_button_survey.json'), key, location: { id: 'loc-7', name: 'Tverskaya 12' } });
  // Form, key and server: short enough for an SMS with the app's address
  // in front (the location's name adds its own length).
  expect(fragment.split('/').slice(0, 4).join('/').length).toBeLessThan(110);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).origin));
  await page.goto(`./${fragment}`);
  await expect(page.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await answerLoyaltyButton(page);
  const [response] = await storedRecords(page, 'responses');
  expect(response.location_id).toBe('loc-7');
  expect(response.questionnaire_id).toBe('tpl-loyalty-button');
  expect(requests).toContain(new URL(couch.url).origin);
});

test('a damaged form link or a form that is not published changes nothing', async ({ page }) => {
  const key = teamKey();
  const fragment = await publishForm(couch, { file: templateFile('csi_nps_survey.json'), key });
  const [, , name, target] = fragment.split('/');
  await page.goto(`./#/f/${name}/${target.slice(0, -6)}`);
  await expect(page.getByRole('alert')).toContainText('The link is damaged');
  await page.goto(`./#/f/000000000000/${target}`);
  await expect(page.getByRole('alert')).toContainText('no longer published');
  expect(await storedRecords(page, 'questionnaires')).toEqual([]);
  expect(await storedRecords(page, 'responses')).toEqual([]);
});

test("a shopper's checklist form link brings the manager's stores and staff: the result names them, and no default place is made", async ({ page }) => {
  const key = teamKey();
  const q = templateFile('retail_quick_audit.json');
  const file = { format: 'servicelens.questionnaire', format_version: 1, questionnaire: q };
  const at = '2026-12-01T09:00:00+03:00';
  const fragment = await publishForm(couch, {
    file,
    mode: 'fill',
    key,
    locations: [{ id: 'loc-tv', name: 'Tverskaya 12' }, { id: 'loc-ar', name: 'Arbat 5' }],
    employees: [
      { id: 'emp-anna', name: 'Anna', role: 'cashier', location_id: 'loc-ar', updated_at: at },
      { id: 'emp-boris', name: 'Boris', role: '', location_id: 'loc-tv', updated_at: at },
    ],
  });
  await page.goto(`./${fragment}`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const place = page.getByRole('combobox', { name: 'Location' });
  // Listed by name, as everywhere.
  await expect(place.getByRole('option')).toHaveText(['Arbat 5', 'Tverskaya 12']);
  await place.selectOption({ label: 'Arbat 5' });
  await page.getByRole('combobox', { name: /employee/i }).selectOption({ label: 'Anna · cashier' });
  for (const group of await page.getByRole('group').all()) {
    const yes = group.getByRole('radio', { name: 'Yes', exact: true });
    if (await yes.count()) await yes.check();
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('region', { name: 'Done: the result is saved on this phone' })).toContainText('Arbat 5');
  const [response] = await storedRecords(page, 'responses');
  expect(response).toMatchObject({ location_id: 'loc-ar', employee_ids: ['emp-anna'], status: 'submitted' });
  // The manager's ids only: nothing a manager's device would meet as a
  // phantom default location.
  expect((await storedRecords(page, 'locations')).map((l) => l.id).sort()).toEqual(['loc-ar', 'loc-tv']);
  expect((await storedRecords(page, 'employees')).map((e) => e.id).sort()).toEqual(['emp-anna', 'emp-boris']);
});
