// Offline-first and durability (issue 9): the app works with the network
// off after the first visit; reloads at random moments lose no answer;
// storage status is shown; every main screen passes axe; an audit can be
// filled with the keyboard alone.
import { test, expect, question, storedResponses, startQuickAudit, waitForServiceWorker, QUICK, seriousAxeViolations } from './helpers.mjs';


const QUICK_IDS = {
  [QUICK.entrance]: 'q-entrance',
  [QUICK.greeting]: 'q-greeting',
  [QUICK.needs]: 'q-needs',
  [QUICK.queue]: 'q-queue',
  [QUICK.loyalty]: 'q-loyalty',
  [QUICK.farewell]: 'q-farewell',
};

const PATTERN = [
  [QUICK.entrance, 'Yes'],
  [QUICK.greeting, 'No'],
  [QUICK.needs, 'N/A'],
  [QUICK.queue, 'Yes'],
  [QUICK.loyalty, 'No'],
  [QUICK.farewell, 'Yes'],
];

test('after the first visit the app opens, fills and submits with the network off', async ({ page, context }) => {
  await page.goto('./');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Service quality' })).toBeVisible();
  await startQuickAudit(page);
  for (const [q, a] of PATTERN) await question(page, q).getByRole('radio', { name: a, exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  const row = page.getByRole('table', { name: 'Visits' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(3)).toHaveText('58.33');

  // A fresh tab, still offline, opens straight into a screen by its link.
  const second = await context.newPage();
  await second.goto(page.url().replace(/#.*$/, '#/settings'));
  await expect(second.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await context.setOffline(false);
});

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('reloads at 50 random points during a fill lose not one answer', async ({ page }) => {
  test.setTimeout(180_000);
  const rand = prng(20261123);
  await page.goto('./');
  await startQuickAudit(page);
  const questions = Object.values(QUICK);
  const choices = ['Yes', 'No', 'N/A'];
  const code = { Yes: 'yes', No: 'no', 'N/A': 'na' };
  const given = {};
  let reloads = 0;
  for (let step = 0; reloads < 50; step++) {
    const q = questions[Math.floor(rand() * questions.length)];
    const a = choices[Math.floor(rand() * choices.length)];
    await question(page, q).getByRole('radio', { name: a, exact: true }).check();
    given[q] = code[a];
    // Reload right after the answer, without waiting for anything.
    if (rand() < 0.6) {
      await page.reload();
      reloads += 1;
      await expect(page.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
      const [stored] = await storedResponses(page);
      for (const [text, value] of Object.entries(given)) {
        expect(stored.answers[QUICK_IDS[text]]?.value?.t, `step ${step}, reload ${reloads}: ${text}`).toBe(value);
        await expect(question(page, text).getByRole('radio', { name: Object.keys(code).find((k) => code[k] === value), exact: true })).toBeChecked();
      }
    }
  }
  test.info().annotations.push({ type: 'reload points', description: String(reloads) });
  console.log(`durability: ${reloads} reload points, every answer kept`);
});

test('settings show persistent-storage status and usage', async ({ page }) => {
  await page.goto('./#/settings');
  await expect(page.getByRole('heading', { level: 2, name: 'Storage on this device' })).toBeVisible();
  await expect(page.getByText(/The browser (will not clear|may clear|does not say)/)).toBeVisible();
  await expect(page.getByText(/^Used [\d,]+\.\d MB of [\d,]+\.\d MB/)).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Storage on this device' })).toBeVisible();
});

test('an audit can be filled and submitted with the keyboard alone', async ({ page }) => {
  await page.goto('./#/fill');
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Quick store audit' });
  await page.getByRole('button', { name: 'Start audit' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
  const focusedIs = (role) =>
    page.evaluate((role) => {
      const el = document.activeElement;
      return role === 'radio' ? el?.type === 'radio' : el?.tagName === 'BUTTON' && el.textContent.trim() === role;
    }, role);
  // Arrow keys move within a radio group and select; Tab goes to the next.
  const moves = { Yes: [], No: ['ArrowRight'], 'N/A': ['ArrowRight', 'ArrowRight'] };
  for (const [, answer] of PATTERN) {
    for (let i = 0; i < 40 && !(await focusedIs('radio')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (const key of moves[answer]) await page.keyboard.press(key);
    await page.keyboard.press('Tab');
  }
  for (let i = 0; i < 40 && !(await focusedIs('Submit')); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const row = page.getByRole('table', { name: 'Visits' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(3)).toHaveText('58.33');
});

test('axe finds no serious or critical violations on any main screen', async ({ browser, baseURL }, testInfo) => {
  // axe is injected as a script, which the app's own CSP rightly refuses.
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, bypassCSP: true });
  const page = await context.newPage();
  const screens = [];
  async function check(name) {
    const result = await seriousAxeViolations(page);
    screens.push(name);
    expect(result, `axe on ${name}`).toEqual([]);
  }
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await check('home');
  await page.goto('./#/fill');
  await expect(page.getByRole('button', { name: 'Start audit' })).toBeVisible();
  await check('fill start');
  await page.getByRole('button', { name: 'Start audit' }).click();
  await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
  await check('fill form');
  for (const [q, a] of PATTERN) await question(page, q).getByRole('radio', { name: a, exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('table', { name: 'Visits' })).toBeVisible();
  await check('dashboard');
  await page.goto('./#/questionnaires');
  await expect(page.getByRole('button', { name: 'New blank questionnaire' })).toBeVisible();
  await check('library');
  await page.getByRole('button', { name: /^Use template: Quick store audit/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaire editor' })).toBeVisible();
  await check('editor');
  await page.goto('./#/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await check('settings');
  await page.goto('./#/people');
  await expect(page.getByRole('button', { name: 'Add employee' })).toBeVisible();
  await check('locations and staff');
  expect(screens).toHaveLength(8);
  await context.close();
});

test('a failed write shows a clear message, keeps the answer in memory and stores it on retry', async ({ page }) => {
  // Simulates a full disk: every IndexedDB put throws while the flag is set.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.__failWrites) throw new DOMException('Simulated: the quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await page.goto('./');
  await startQuickAudit(page);
  await page.evaluate(() => (window.__failWrites = true));
  await question(page, QUICK.greeting).getByRole('radio', { name: 'No' }).check();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not save the answer on this device. It is kept in memory; please try again.');
  await expect(alert).toContainText('quota');
  await expect(question(page, QUICK.greeting).getByRole('radio', { name: 'No' })).toBeChecked();
  expect((await storedResponses(page))[0].answers).toEqual({});

  await page.evaluate(() => (window.__failWrites = false));
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(alert).toHaveCount(0);
  await expect.poll(async () => (await storedResponses(page))[0].answers['q-greeting']?.value).toEqual({ t: 'no' });
});
