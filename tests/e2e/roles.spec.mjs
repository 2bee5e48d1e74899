// Navigation by role and the design system (issue 21): a manager's device
// reaches every manager screen from the menu in at most two taps; a device
// opened from a shopper's link shows that shopper's menu only; a customer's
// link shows no menu; the role can be switched in Settings; no serious or
// critical accessibility violation in either theme; a screenshot of each
// main screen in each theme is kept for review (tests/e2e/.screens/).
import { test, expect, mainMenu, openMenu, publishedLinks, question, seriousAxeViolations, collectPageErrors, saveScreen, QUICK } from './helpers.mjs';

const MANAGER_MENU = [
  'Dashboard', 'Responses', 'Actions', 'Audits', 'Questionnaires', 'QR & kiosk',
  'Locations and staff', 'Field answers', 'Team sync', 'Import and export', 'Settings',
];
const SHOPPER_MENU = ['My audits', 'New audit', 'Waiting to be sent', 'Settings'];

/** The names of the menu's entries, whether in the bar or behind "More". */
async function menuEntries(page) {
  return mainMenu(page).getByRole('link', { includeHidden: true }).evaluateAll((links) => links.map((a) => a.textContent.trim()));
}

test("every manager's screen is in the menu, at most two taps away", async ({ page }, testInfo) => {
  const phone = testInfo.project.name.startsWith('phone');
  await page.goto('./');
  await expect.poll(() => menuEntries(page)).toEqual(MANAGER_MENU);
  const more = mainMenu(page).getByRole('button', { name: 'More' });
  for (const name of MANAGER_MENU) {
    const link = mainMenu(page).getByRole('link', { name, exact: true });
    let taps = 0;
    if (!(await link.isVisible())) {
      // Only a phone keeps entries behind "More"; a laptop's side bar has all.
      expect(phone, `${name} hidden on a laptop`).toBe(true);
      await more.click();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      taps += 1;
    }
    await link.click();
    taps += 1;
    expect(taps).toBeLessThanOrEqual(2);
    // Marked as current even when the closed sheet hides it.
    await expect(mainMenu(page).getByRole('link', { name, exact: true, includeHidden: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (phone) {
      // The sheet closes once the screen is chosen.
      await expect(more).toHaveAttribute('aria-expanded', 'false');
    }
  }
  if (phone) {
    // Escape closes the sheet too, and the bottom bar holds four entries.
    await more.click();
    await saveScreen(page, testInfo, 'menu-more-open');
    await page.keyboard.press('Escape');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await expect(mainMenu(page).getByRole('link', { name: 'Questionnaires' })).toBeHidden();
  } else {
    await expect(more).toBeHidden();
  }
});

test("a device opened from a shopper's link shows only the shopper's menu", async ({ page, browser, baseURL }, testInfo) => {
  const { fill } = await publishedLinks(page, 'Quick store audit');
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, locale: 'en-US' });
  const shopper = await context.newPage();
  const assertNoErrors = collectPageErrors(shopper);
  await shopper.goto(fill);
  await expect(shopper.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
  await expect.poll(() => menuEntries(shopper)).toEqual(SHOPPER_MENU);
  await shopper.getByRole('button', { name: 'Start' }).click();
  await expect(mainMenu(shopper).getByRole('link', { name: 'My audits' })).toHaveAttribute('aria-current', 'page');
  await question(shopper, QUICK.loyalty).getByRole('radio', { name: 'Yes' }).check();
  await shopper.reload();
  // The role is the device's: it survives a reload and any screen opened.
  await expect.poll(() => menuEntries(shopper)).toEqual(SHOPPER_MENU);
  await openMenu(shopper, 'New audit');
  await expect(shopper.getByRole('heading', { level: 1, name: 'New audit' })).toBeVisible();
  for (const name of ['Dashboard', 'Questionnaires', 'Responses', 'More']) {
    await expect(mainMenu(shopper).getByRole('link', { name, exact: true })).toHaveCount(0);
  }
  await expect(mainMenu(shopper).getByRole('button')).toHaveCount(0);
  await saveScreen(shopper, testInfo, 'shopper-new-audit');

  // Switching in Settings gives the manager's menu, remembered.
  await openMenu(shopper, 'Settings');
  await shopper.getByRole('radio', { name: /^A manager/ }).check();
  await expect.poll(() => menuEntries(shopper)).toEqual(MANAGER_MENU);
  await shopper.reload();
  await expect.poll(() => menuEntries(shopper)).toEqual(MANAGER_MENU);
  await expect(shopper.getByRole('radio', { name: /^A manager/ })).toBeChecked();
  await shopper.getByRole('radio', { name: /^A mystery shopper/ }).check();
  await expect.poll(() => menuEntries(shopper)).toEqual(SHOPPER_MENU);
  assertNoErrors();
  await context.close();
});

test("a customer's link shows no menu, and a manager's device stays a manager's", async ({ page, browser, baseURL }, testInfo) => {
  const { customer } = await publishedLinks(page, 'Customer survey: CSI and NPS');
  // The full app's own page with a customer's link (links made before the
  // lean page), on a phone that never opened the app.
  const old = customer.replace('/respond.html#', '/index.html#');
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, locale: 'en-US' });
  const phone = await context.newPage();
  await phone.goto(old);
  await expect(phone.getByRole('heading', { level: 1, name: 'Tell us how we served you' })).toBeVisible();
  await expect(phone.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  await context.close();

  // The manager who opens a shopper's link to try it keeps their menu.
  const { fill } = await publishedLinks(page, 'Quick store audit');
  await page.goto(fill);
  await expect(page.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
  expect(await menuEntries(page)).toEqual(MANAGER_MENU);
});

test('the menu in Russian', async ({ page }) => {
  await page.goto('./');
  await openMenu(page, 'Settings');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
  await expect.poll(() => menuEntries(page)).toEqual([
    'Панель', 'Ответы', 'Задачи', 'Проверки', 'Анкеты', 'QR и киоск',
    'Точки и сотрудники', 'Ответы с мест', 'Синхронизация команды', 'Импорт и экспорт', 'Настройки',
  ]);
  await expect(page.getByRole('radio', { name: /^Менеджер/ })).toBeChecked();
});

const SCREENS = [
  ['home', './'],
  ['dashboard', './#/dashboard'],
  ['responses', './#/responses'],
  ['actions', './#/actions'],
  ['questionnaires', './#/questionnaires'],
  ['distribute', './#/distribute'],
  ['people', './#/people'],
  ['exchange', './#/exchange'],
  ['settings', './#/settings'],
  ['fill-start', './#/fill'],
];

for (const scheme of ['light', 'dark']) {
  test(`main screens in the ${scheme} theme: no serious accessibility violation, a screenshot each`, async ({ browser, baseURL }, testInfo) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ ...testInfo.project.use, baseURL, bypassCSP: true, colorScheme: scheme });
    const page = await context.newPage();
    const found = {};
    for (const [name, url] of SCREENS) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      const violations = await seriousAxeViolations(page);
      if (violations.length) found[name] = violations;
      await saveScreen(page, testInfo, `${name}-${scheme}`);
    }
    expect(found).toEqual({});
    await context.close();
  });
}

test("a manager's first run: the checklist advances as each step is done", async ({ page }, testInfo) => {
  await page.goto('./');
  const steps = page.getByRole('region', { name: 'Getting started' });
  const home = () => openMenu(page, 'Audits');
  await expect(steps).toContainText('0 of 5 done');
  await expect(steps.getByRole('listitem').filter({ hasText: 'Not done yet: Add your stores' })).toHaveAttribute('aria-current', 'step');

  await steps.getByRole('link', { name: 'Add stores' }).click();
  await page.getByLabel('New location').fill('Mall Mega');
  await page.getByRole('button', { name: 'Add location' }).click();
  await expect(page.getByLabel('Location name: Mall Mega')).toBeVisible();
  await home();
  await expect(steps).toContainText('1 of 5 done');
  await expect(steps.getByRole('listitem').filter({ hasText: 'Done: Add your stores' })).toBeVisible();

  await steps.getByRole('link', { name: 'Add staff' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Anna Petrova');
  await page.getByRole('button', { name: 'Add employee' }).click();
  await expect(page.getByRole('table', { name: 'Employees' }).getByRole('row', { name: /Anna Petrova/ })).toBeVisible();
  await home();
  await expect(steps).toContainText('2 of 5 done');

  await steps.getByRole('link', { name: 'Pick a template' }).click();
  await page.getByRole('button', { name: 'Use template: Quick store audit' }).click();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Links for filling' })).toBeVisible();
  await home();
  await expect(steps).toContainText('3 of 5 done');

  await steps.getByRole('link', { name: 'Open QR codes and links' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Customer surveys: QR codes, posters, kiosk' })).toBeVisible();
  await home();
  await expect(steps).toContainText('4 of 5 done');
  await saveScreen(page, testInfo, 'first-run-4-of-5');
  await expect(steps.getByRole('link', { name: 'Open the dashboard' })).toBeVisible();

  await page.getByRole('link', { name: 'Start audit' }).click();
  await page.getByRole('combobox', { name: 'Choose a checklist' }).selectOption({ label: 'Quick store audit' });
  await page.getByRole('button', { name: 'Start audit' }).click();
  for (const q of Object.values(QUICK)) await question(page, q).getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
  await home();
  await expect(page.getByRole('heading', { level: 1, name: 'Service quality' })).toBeVisible();
  await expect(steps).toHaveCount(0);
});

test('the first-run checklist can be hidden, and stays hidden', async ({ page }) => {
  await page.goto('./');
  const steps = page.getByRole('region', { name: 'Getting started' });
  await expect(steps).toBeVisible();
  await steps.getByRole('button', { name: 'Hide this checklist' }).click();
  await expect(steps).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Service quality' })).toBeVisible();
  await expect(steps).toHaveCount(0);
});
