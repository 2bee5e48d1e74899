// The first journey (issue 2): start the quick retail audit, answer half,
// reload, find the answers still there, finish, submit, and read the exact
// score on the dashboard.
import { test, expect, storedResponses, question, openMenu, openNewAudit } from './helpers.mjs';

const Q = {
  entrance: 'The entrance is clean; the sign and opening hours are easy to see',
  greeting: 'A staff member greeted you within the first 3 minutes',
  needs: 'The consultant asked what you needed before offering products',
  queue: 'You waited at the checkout no longer than 5 minutes',
  loyalty: 'The cashier offered a loyalty card',
  farewell: 'You were thanked for the purchase and said goodbye to',
};

async function startAudit(page) {
  await page.goto('./');
  await openNewAudit(page);
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Quick store audit' });
  await expect(page.getByRole('combobox', { name: 'Location' })).toContainText('Main location');
  await page.getByRole('button', { name: 'Start audit' }).click();
  await expect(page).toHaveURL(/#\/fill\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
}

const answer = (page, q, choice) => question(page, q).getByRole('radio', { name: choice, exact: true }).check();

test('answers survive a reload; the dashboard shows the score with N/A left out', async ({ page }) => {
  await startAudit(page);
  const jump = page.getByRole('navigation', { name: 'Jump to section' });
  await expect(jump.getByRole('button')).toHaveText(['Arrival and greeting', 'Checkout and farewell']);
  await jump.getByRole('button', { name: 'Checkout and farewell' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Checkout and farewell' })).toBeInViewport();
  await answer(page, Q.entrance, 'Yes');
  await answer(page, Q.greeting, 'No');
  await answer(page, Q.needs, 'N/A');
  await expect(page.getByText('Answered 3 of 6')).toBeVisible();

  // Each answer is in IndexedDB as soon as it is given, before any submit.
  await expect
    .poll(async () => {
      const [r] = await storedResponses(page);
      return r && Object.fromEntries(Object.entries(r.answers).map(([k, a]) => [k, a.value.t]));
    })
    .toEqual({ 'q-entrance': 'yes', 'q-greeting': 'no', 'q-needs': 'na' });

  await page.reload();
  await expect(question(page, Q.entrance).getByRole('radio', { name: 'Yes' })).toBeChecked();
  await expect(question(page, Q.greeting).getByRole('radio', { name: 'No' })).toBeChecked();
  await expect(question(page, Q.needs).getByRole('radio', { name: 'N/A' })).toBeChecked();
  await expect(question(page, Q.queue).getByRole('radio', { name: 'Yes' })).not.toBeChecked();
  await expect(page.getByText('Answered 3 of 6')).toBeVisible();

  await answer(page, Q.queue, 'Yes');
  await answer(page, Q.loyalty, 'No');
  await answer(page, Q.farewell, 'Yes');
  await page.getByRole('button', { name: 'Submit' }).click();

  await expect(page).toHaveURL(/#\/dashboard$/);
  const table = page.getByRole('table', { name: 'Visits' });
  await expect(table.getByRole('row')).toHaveCount(2);
  const row = table.getByRole('row').nth(1);
  // Section 1: 1 of 2 (N/A leaves the denominator) = 50; section 2: 2 of 3
  // = 66.67; equal section weights: 58.33.
  await expect(row.getByRole('cell').nth(3)).toHaveText('58.33');
  await expect(row.getByRole('cell').nth(1)).toHaveText('Main location');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Quick store audit');

  // The visit reopens read-only with its score, failed items and duration.
  await row.getByRole('link').click();
  await expect(page.getByText('This audit is submitted and read-only.')).toBeVisible();
  const failed = page.getByRole('list').filter({ hasText: Q.greeting });
  // Each failed item also offers 'Create corrective action' (issue 7).
  await expect(failed.getByRole('listitem')).toHaveCount(2);
  await expect(failed.getByRole('listitem')).toContainText([Q.greeting, Q.loyalty]);
  await expect(page.getByText(/^The visit took \d+ min$/)).toBeVisible();
  await expect(question(page, Q.entrance).getByRole('radio', { name: 'Yes' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Submit' })).toHaveCount(0);

  const [stored] = await storedResponses(page);
  expect(stored.status).toBe('submitted');
  expect(stored.submitted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/);
  // Scores are derived, never stored: the record holds exactly these fields.
  expect(Object.keys(stored).sort()).toEqual([
    'answers', 'device_id', 'employee_ids', 'id', 'location_id', 'questionnaire_id',
    'questionnaire_version', 'started_at', 'status', 'submitted_at', 'updated_at',
  ]);
});

test('submit lists unanswered required items, each a way to its question, and changes nothing', async ({ page }) => {
  await startAudit(page);
  await answer(page, Q.entrance, 'Yes');
  await page.getByRole('button', { name: 'Submit' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Answer the required questions:');
  await expect(alert.getByRole('listitem')).toHaveCount(5);
  await expect(alert).toContainText(Q.farewell);
  // Each item of the list takes the person to its question.
  await alert.getByRole('button', { name: Q.farewell }).click();
  const first = question(page, Q.farewell).getByRole('radio').first();
  await expect(first).toBeFocused();
  await expect(first).toBeInViewport();
  await alert.getByRole('button', { name: Q.greeting }).click();
  await expect(question(page, Q.greeting).getByRole('radio').first()).toBeFocused();
  const [stored] = await storedResponses(page);
  expect(stored.status).toBe('draft');
  await expect(page).toHaveURL(/#\/fill\//);
});

test('a draft is listed on Home and resumes where it was left', async ({ page }) => {
  await startAudit(page);
  await answer(page, Q.loyalty, 'Yes');
  await expect.poll(async () => Object.keys((await storedResponses(page))[0].answers)).toEqual(['q-loyalty']);
  await openMenu(page, 'Audits');
  await page.getByRole('link', { name: /^Continue: Quick store audit/ }).click();
  await expect(question(page, Q.loyalty).getByRole('radio', { name: 'Yes' })).toBeChecked();
});

test('Russian UI: switch in Settings, remembered after reload, decimal comma', async ({ page }) => {
  await startAudit(page);
  for (const [q, a] of [
    [Q.entrance, 'Yes'],
    [Q.greeting, 'No'],
    [Q.needs, 'N/A'],
    [Q.queue, 'Yes'],
    [Q.loyalty, 'No'],
    [Q.farewell, 'Yes'],
  ]) {
    await answer(page, q, a);
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);

  await openMenu(page, 'Settings');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
  const nav = page.getByRole('navigation', { name: 'Основное меню' });
  await expect(nav.getByRole('link', { name: 'Проверки' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

  await page.reload();
  await nav.getByRole('link', { name: 'Панель' }).click();
  const row = page.getByRole('table', { name: 'Проверки' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(3)).toHaveText('58,33');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Быстрая проверка магазина');
});

test('the browser language picks the first UI language', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: 'ru-RU', baseURL });
  const page = await context.newPage();
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Качество обслуживания' })).toBeVisible();
  await context.close();
});
