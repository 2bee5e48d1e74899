// Kiosk mode on a shared tablet (issue 6): the manager sets a PIN and a
// short idle time in Settings and starts a kiosk; a partial answer is
// discarded after the idle time; a submit shows the thank-you and then a
// fresh survey; the kiosk survives a reload; every other screen and leaving
// need the PIN, and a wrong PIN is refused. A partial response left by a
// reload is discarded like an idle one.
import { test, expect, forbidForeignRequests, collectPageErrors, storedResponses, storedRecords, seriousAxeViolations } from './helpers.mjs';

const PIN = '246813';
const settingsRecord = async (page, key) => (await storedRecords(page, 'settings')).find((r) => r.key === key)?.value;

async function setUpKiosk(page, idleSeconds) {
  await page.goto('./#/distribute');
  await expect(page.getByRole('link', { name: 'Set the manager PIN in Settings first.' })).toBeVisible();
  await page.goto('./#/settings');
  await expect(page.getByText('No manager PIN is set.')).toBeVisible();
  await page.getByLabel('New manager PIN (6–12 digits)').fill('12');
  await page.getByLabel('Repeat the PIN').fill('12');
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByRole('alert')).toHaveText('The PIN must be 6 to 12 digits.');
  await page.getByLabel('New manager PIN (6–12 digits)').fill(PIN);
  await page.getByLabel('Repeat the PIN').fill('246814');
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByRole('alert')).toHaveText('The PINs do not match.');
  expect(await settingsRecord(page, 'kiosk.pin')).toBeUndefined();
  await page.getByLabel('Repeat the PIN').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'PIN saved.' })).toBeVisible();
  await expect(page.getByText('The manager PIN is set.')).toBeVisible();
  // Stored as a salted hash with its parameters, never in clear.
  const stored = await settingsRecord(page, 'kiosk.pin');
  expect(stored).toMatchObject({ params: { algorithm: 'pbkdf2-sha256' } });
  expect(stored.salt).toMatch(/^[0-9a-f]{32}$/);
  expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
  // The PIN's digits may turn up inside the random hex of the salt or hash
  // (about 1 run in 700 for a 4-digit PIN): look for it everywhere else.
  const hexFree = JSON.stringify(await storedRecords(page, 'settings')).replace(/"[0-9a-f]{32,}"/g, '""');
  expect(hexFree).not.toContain(PIN);

  const idle = page.getByLabel('Reset an unfinished kiosk survey after (seconds)');
  await expect(idle).toHaveValue('60');
  await idle.fill('1');
  await page.getByRole('button', { name: 'Save reset time' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter a whole number from 2 to 3600.');
  await idle.fill(String(idleSeconds));
  await page.getByRole('button', { name: 'Save reset time' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Reset time saved.' })).toBeVisible();
  expect(await settingsRecord(page, 'kiosk.idle_secs')).toBe(idleSeconds);

  await page.goto('./#/distribute');
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Loyalty Button (v2)' });
  await page.getByRole('button', { name: 'Start kiosk' }).click();
  await expect(page).toHaveURL(/#\/kiosk$/);
  await expect(page.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
}

const yesRadios = (page) => page.getByRole('radio', { name: 'Yes', exact: true });

test('kiosk: idle reset discards a partial answer; submit thanks then starts afresh', async ({ page }) => {
  await setUpKiosk(page, 2);
  await expect(page.getByRole('group')).toHaveCount(4);

  // A customer answers one question and walks away.
  await yesRadios(page).first().check();
  await expect.poll(async () => (await storedResponses(page)).length).toBe(1);
  expect((await storedResponses(page))[0].status).toBe('draft');
  // After 2 s without a touch: a fresh survey, and the partial response is gone.
  await expect(yesRadios(page).first()).not.toBeChecked({ timeout: 6_000 });
  await expect.poll(async () => (await storedResponses(page)).length, { timeout: 6_000 }).toBe(0);

  // The next customer answers everything and submits.
  for (const radio of await yesRadios(page).all()) await radio.check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toBeVisible();
  await expect(page.getByText('A new survey opens in a moment.')).toBeVisible();
  const [done] = await storedResponses(page);
  expect(done).toMatchObject({ status: 'submitted', questionnaire_id: 'tpl-loyalty-button', location_id: 'loc-main' });
  expect(Object.keys(done.answers)).toHaveLength(4);
  // Then a fresh survey for the next customer; the submitted one is kept.
  await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible({ timeout: 8_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toHaveCount(0);
  for (const radio of await yesRadios(page).all()) await expect(radio).not.toBeChecked();
  // Idle with nothing answered keeps the survey (and the submitted response).
  await page.waitForTimeout(2_500);
  expect(await storedResponses(page)).toHaveLength(1);
});

test('kiosk: survives a reload; other screens and leaving need the PIN; a wrong PIN is refused', async ({ page }) => {
  await setUpKiosk(page, 60);
  // A customer answers one question, then the page reloads (or the tablet
  // restarts): back in the kiosk, and that partial response is discarded.
  await yesRadios(page).first().check();
  await expect.poll(async () => (await storedResponses(page)).length).toBe(1);
  await expect.poll(async () => settingsRecord(page, 'kiosk.draft')).toBeTruthy();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect.poll(async () => (await storedResponses(page)).length).toBe(0);
  await expect(yesRadios(page).first()).not.toBeChecked();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  expect(await settingsRecord(page, 'kiosk.active')).toMatchObject({ questionnaire_id: 'tpl-loyalty-button', location_id: 'loc-main' });

  // Typing a manager screen's address asks for the PIN instead.
  for (const hash of ['#/settings', '#/dashboard', '#/', '#/outbox', '#/nowhere']) {
    await page.goto(`./${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' }), hash).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  }
  await page.getByRole('button', { name: 'Back to the kiosk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();

  // Leaving: a wrong PIN is refused and the kiosk stays on.
  await page.getByRole('button', { name: 'Leave kiosk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();
  await page.getByLabel('Manager PIN').fill('111111');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong PIN.');
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  expect(await settingsRecord(page, 'kiosk.active')).toBeTruthy();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();

  // The right PIN leaves kiosk mode and opens the screen asked for.
  await page.getByLabel('Manager PIN').fill(PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toHaveCount(0);
  // Cleared (stored as an absent value), so a reload stays out of the kiosk.
  expect((await storedRecords(page, 'settings')).map((r) => r.key)).toContain('kiosk.active');
  expect(await settingsRecord(page, 'kiosk.active')).toBeUndefined();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
});

test('a kiosk link opened on the tablet starts the kiosk for its survey and location, behind the PIN', async ({ page, browser, baseURL }, testInfo) => {
  // The manager's device makes the link.
  await page.goto('./#/distribute');
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Loyalty Button (v2)' });
  const link = await page.getByRole('textbox', { name: 'Link that starts this kiosk on a tablet' }).inputValue();
  expect(link).toMatch(/#\/q\/1\.[A-Za-z0-9_-]+$/);
  expect(link).not.toContain('respond.html');

  // A fresh tablet with no PIN: it is asked for first, nothing starts.
  const tablet = await browser.newContext({ ...testInfo.project.use, baseURL });
  const t = await tablet.newPage();
  const noErrors = collectPageErrors(t);
  const noForeign = forbidForeignRequests(t, baseURL);
  await t.goto(link);
  await expect(t.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect(t.getByRole('button', { name: 'Start kiosk' })).toHaveCount(0);
  await expect(t.getByRole('button', { name: 'Start the survey' })).toHaveCount(0);
  await t.getByRole('link', { name: 'Set the manager PIN in Settings first.' }).click();
  await expect(t).toHaveURL(/#\/settings$/);
  await t.getByLabel('New manager PIN (6–12 digits)').fill(PIN);
  await t.getByLabel('Repeat the PIN').fill(PIN);
  await t.getByRole('button', { name: 'Save PIN' }).click();
  await expect(t.getByText('The manager PIN is set.')).toBeVisible();
  expect(await settingsRecord(t, 'kiosk.active')).toBeUndefined();

  // With the PIN set, the link starts the kiosk for its survey and location.
  await t.goto(link);
  await t.getByRole('button', { name: 'Start kiosk' }).click();
  await expect(t).toHaveURL(/#\/kiosk$/);
  await expect(t.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect(t.getByText('Main location')).toBeVisible();
  await expect(t.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  expect(await settingsRecord(t, 'kiosk.active')).toMatchObject({ questionnaire_id: 'tpl-loyalty-button', questionnaire_version: 2, location_id: 'loc-main' });
  for (const radio of await yesRadios(t).all()) await radio.check();
  await t.getByRole('button', { name: 'Submit' }).click();
  await expect(t.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toBeVisible();
  expect((await storedResponses(t))[0]).toMatchObject({ status: 'submitted', questionnaire_id: 'tpl-loyalty-button', location_id: 'loc-main' });

  // Opening the link (or any screen) again while the kiosk runs needs the PIN.
  await t.goto(link);
  await expect(t.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();
  await t.getByLabel('Manager PIN').fill('000000');
  await t.getByRole('button', { name: 'Unlock' }).click();
  await expect(t.getByRole('alert')).toHaveText('Wrong PIN.');
  expect(await settingsRecord(t, 'kiosk.active')).toBeTruthy();
  noErrors();
  noForeign();
  await tablet.close();
});

test('axe finds no serious or critical violations on the distribution, poster, settings, kiosk and PIN screens', async ({ browser, baseURL }, testInfo) => {
  // axe is injected as a script, which the app's own CSP rightly refuses.
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, bypassCSP: true });
  const page = await context.newPage();
  async function check(name) {
    const result = await seriousAxeViolations(page);
    expect(result, `axe on ${name}`).toEqual([]);
  }
  await page.goto('./#/distribute');
  await expect(page.getByRole('img', { name: "QR code of the customers' link" })).toBeVisible();
  await check('distribution');
  await page.getByRole('link', { name: 'A4 poster' }).click();
  await expect(page.getByRole('article', { name: 'A4 poster' })).toBeVisible();
  await check('poster');
  await page.goto('./#/settings');
  await page.getByLabel('New manager PIN (6–12 digits)').fill(PIN);
  await page.getByLabel('Repeat the PIN').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByText('The manager PIN is set.')).toBeVisible();
  await check('settings');
  await page.goto('./#/distribute');
  await page.getByRole('button', { name: 'Start kiosk' }).click();
  await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
  await check('kiosk');
  await page.getByRole('button', { name: 'Leave kiosk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();
  await check('PIN prompt');
  await context.close();
});

test('a PIN brute force is slowed: after five wrong PINs a wait that doubles and survives a reload (test clock); a new PIN needs the current one', async ({ page }) => {
  // A test clock: Date is fixed and moved by hand, timers run as usual.
  const t0 = new Date('2026-06-01T10:00:00Z').getTime();
  await page.clock.setFixedTime(t0);
  await setUpKiosk(page, 60);
  await page.getByRole('button', { name: 'Leave kiosk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();
  const tryPin = async (pin, alert) => {
    await page.getByLabel('Manager PIN').fill(pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toHaveText(alert);
  };
  for (let i = 0; i < 4; i++) await tryPin(`00000${i}`, 'Wrong PIN.');
  await tryPin('000004', 'Wrong PIN. Too many wrong PINs. Try again in 30 s.');
  // During the wait even the right PIN is not tried, and a reload does not
  // reset the count.
  await page.clock.setFixedTime(t0 + 10_000);
  await tryPin(PIN, 'Too many wrong PINs. Try again in 20 s.');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Enter the manager PIN' })).toBeVisible();
  await tryPin(PIN, 'Too many wrong PINs. Try again in 20 s.');
  expect(await settingsRecord(page, 'kiosk.active')).toBeTruthy();
  expect(await settingsRecord(page, 'kiosk.pin_attempts')).toMatchObject({ failures: 5 });
  // Each further wrong PIN doubles the wait.
  await page.clock.setFixedTime(t0 + 30_000);
  await tryPin('000005', 'Wrong PIN. Too many wrong PINs. Try again in 60 s.');
  await page.clock.setFixedTime(t0 + 90_000);
  await page.getByLabel('Manager PIN').fill(PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  expect(await settingsRecord(page, 'kiosk.pin_attempts')).toMatchObject({ failures: 0 });

  // Changing the PIN asks for the current one.
  await page.goto('./#/settings');
  const stored = await settingsRecord(page, 'kiosk.pin');
  await page.getByLabel('Current manager PIN').fill('999999');
  await page.getByLabel('New manager PIN (6–12 digits)').fill('135790');
  await page.getByLabel('Repeat the PIN').fill('135790');
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong PIN.');
  expect(await settingsRecord(page, 'kiosk.pin')).toEqual(stored);
  await page.getByLabel('Current manager PIN').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'PIN saved.' })).toBeVisible();
  expect(await settingsRecord(page, 'kiosk.pin')).not.toEqual(stored);
});
