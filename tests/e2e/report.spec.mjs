// One visit's report (issue 22, "reports"): the page a store manager is
// handed, one click from the response: the visit's header, the score by
// section, critical failures first with the shopper's comment, the photo at
// full size and the corrective action; printed to PDF it reads the same and
// carries none of the app's controls.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, question, storedResponses, pdfText, startQuickAudit, QUICK } from './helpers.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const WINDOW = 'Is the shop window clean?';
const GREETED = 'Were you greeted?';
const TILL = 'Is the till area safe?';

test('a visit report lists critical failures first with comment, photo and action, and prints without controls', async ({ page }) => {
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'New blank questionnaire' }).click();
  await page.getByLabel('Title (English)', { exact: true }).fill('Store visit');
  await page.getByLabel('Title (Russian)', { exact: true }).fill('Визит в магазин');
  const section = page.getByRole('region', { name: /^Section 1:/ });
  for (const [n, en, ru] of [[1, WINDOW, 'Витрина чистая?'], [2, GREETED, 'Поздоровались?'], [3, TILL, 'Зона кассы безопасна?']]) {
    await section.getByRole('button', { name: /^Add question/ }).click();
    const q = page.getByRole('group', { name: new RegExp(`^Question ${n}:`) });
    await q.getByLabel('Question text (English)').fill(en);
    await q.getByLabel('Question text (Russian)').fill(ru);
  }
  const first = page.getByRole('group', { name: /^Question 1:/ });
  await first.getByLabel('Photo allowed').check();
  await first.getByLabel('Comment allowed').check();
  await page.getByRole('group', { name: /^Question 3:/ }).getByLabel('Critical', { exact: true }).check();
  await page.getByRole('button', { name: 'Publish' }).click();
  const link = await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue();

  // The manager fills it on this device.
  await page.goto(link);
  await page.getByRole('button', { name: 'Start' }).click();
  await question(page, WINDOW).getByRole('radio', { name: 'No' }).check();
  await page.getByLabel(`Comment · ${WINDOW}`).fill('Glass smeared at child height');
  await page.getByLabel(`Add photo · ${WINDOW}`).setInputFiles(join(fixtures, 'shop-front-2400x1800.jpg'));
  await expect(page.getByRole('list', { name: `Photos · ${WINDOW}` }).getByRole('listitem')).toHaveCount(1);
  await question(page, GREETED).getByRole('radio', { name: 'Yes' }).check();
  // A critical item's name carries its warning sign.
  await page.getByRole('group', { name: /^Is the till area safe\?/ }).getByRole('radio', { name: 'No' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
  const [visit] = await storedResponses(page);

  // An action on the window, from the response page.
  await page.goto(`./#/response/${visit.id}`);
  const item = page.getByRole('listitem').filter({ hasText: WINDOW });
  await item.getByRole('button', { name: 'Create corrective action' }).click();
  const form = item.getByRole('form', { name: 'Corrective action' });
  await form.getByLabel('Assignee').fill('Anna Petrova');
  await form.getByLabel('Note').fill('Clean the window every morning');
  await form.getByRole('button', { name: 'Save action' }).click();
  await expect(item.getByRole('status')).toContainText('Corrective action saved.');

  // One click to the report.
  await page.getByRole('link', { name: 'Visit report' }).click();
  await expect(page).toHaveURL(new RegExp(`#/report/${visit.id}$`));
  const report = page.getByRole('article', { name: 'Store visit' });
  await expect(report.getByRole('heading', { level: 1, name: 'Store visit' })).toBeVisible();
  await expect(report).toContainText('Visit report');
  await expect(report.getByText('1 of 3', { exact: true })).toBeVisible();
  await expect(report.getByRole('table', { name: 'Score by section' })).toBeVisible();
  const failures = report.getByRole('region', { name: 'Failed: critical first' }).getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) });
  await expect(failures).toHaveCount(2);
  await expect(failures.nth(0).getByRole('heading', { level: 3 })).toHaveText(`${TILL} · Critical`);
  await expect(failures.nth(1).getByRole('heading', { level: 3 })).toHaveText(WINDOW);
  await expect(failures.nth(1)).toContainText('Comment: Glass smeared at child height');
  await expect(failures.nth(1)).toContainText('Clean the window every morning · Anna Petrova · Open');
  const photo = failures.nth(1).getByRole('img', { name: `Photos 1: ${WINDOW}` });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img) => img.complete && img.naturalWidth)).toBeGreaterThan(1000);
  expect((await photo.boundingBox()).width, 'full width, not a thumbnail').toBeGreaterThan(300);

  // Printed to PDF: the same report, none of the app's controls.
  await page.emulateMedia({ media: 'print' });
  const text = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
  for (const words of ['Visit report', 'Store visit', 'Report made', 'Score by section', TILL, 'Glass smeared at child height', 'Clean the window every morning']) {
    expect(text, words).toContain(words);
  }
  for (const control of ['Print report', 'All answers', 'Responses', 'Questionnaires', 'Settings']) {
    expect(text, control).not.toContain(control);
  }
  expect(text.indexOf(TILL), 'critical first on paper too').toBeLessThan(text.indexOf('Glass smeared'));
});

test('the dashboard prints with a header naming the report, the period and the filters in words, and none of the controls', async ({ page }) => {
  await page.goto('./');
  await startQuickAudit(page);
  for (const q of Object.values(QUICK)) await question(page, q).getByRole('radio', { name: 'Yes', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
  await page.goto('./#/dashboard?period=30d');
  await expect(page.getByRole('region', { name: 'KPI overview' }).getByRole('article').first()).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  const text = await pdfText(await page.pdf({ format: 'A4' }));
  for (const words of ['Report: dashboard', 'Period', '(last 30 days)', 'all locations', 'all employees', 'all questionnaires', 'Report made']) {
    expect(text, words).toContain(words);
  }
  for (const control of ['Print report', 'Export this view', 'Import and export', 'Locations and staff']) {
    expect(text, control).not.toContain(control);
  }
});
