// Field devices deliver on their own (issue 18): a customer's phone that
// opens a link naming the team's inbox seals the answer (with the courier
// module, fetched once the customer answers), keeps it while offline, and
// creates it in the inbox once online; the thank-you says which, in the
// customer's words. The page talks to no origin but the
// app's and the team server's. Each test starts its own dev server and
// checks its inbox directly (the manager's pull is another journey's).
// A kiosk tablet and a shopper's phone deliver the same way, the audit's
// photo in parts of its own, and the shopper's outbox says it arrived.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, collectPageErrors, storedRecords, answerLoyaltyButton, question, mainMenu } from './helpers.mjs';
import { startCouch, ADMIN } from './couch.mjs';
import { withInbox } from './inbox-link.mjs';

let couch;
test.beforeAll(async () => {
  couch = await startCouch();
});
test.afterAll(async () => {
  await couch?.stop();
});

/** Publishes the built-in Loyalty Button survey; its customer link. */
async function customerLink(page) {
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'Use template: Loyalty Button' }).click();
  await page.getByRole('button', { name: 'Publish' }).click();
  return page.getByLabel('Link for customers (survey)', { exact: true }).inputValue();
}

const inboxIds = async () => (await couch.get('/inbox/_all_docs')).json.rows.map((r) => r.id);

/**
 * Answers the Loyalty Button's first question online (which brings the
 * courier, the page's sealing), then the rest and Submit with `context`
 * offline; `context` stays offline.
 */
async function beginOnlineSubmitOffline(context, phone) {
  const fetched = [];
  phone.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
  await expect(phone.getByRole('group')).toHaveCount(4);
  // Nothing of the sealing is fetched before the customer answers.
  expect(fetched.filter((p) => /courier-/.test(p))).toEqual([]);
  const groups = await phone.getByRole('group').all();
  const courier = phone.waitForResponse((r) => /\/courier-[0-9a-f]+_bg\.wasm$/.test(new URL(r.url()).pathname));
  await groups[0].getByRole('radio', { name: 'Yes', exact: true }).check();
  await courier;
  await context.setOffline(true);
  for (const group of groups.slice(1)) await group.getByRole('radio', { name: 'Yes', exact: true }).check();
  await phone.getByRole('button', { name: 'Submit' }).click();
}

test('a customer answers offline; the answer reaches the inbox once online, and the thank-you says so', async ({ page, browser, baseURL }) => {
  const link = withInbox(await customerLink(page), couch.url);
  const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  const origins = new Set();
  phone.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:') origins.add(url.origin);
  });
  const assertNoErrors = collectPageErrors(phone);
  await phone.goto(link);
  await expect(phone.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();

  // Offline before the first answer: the page's sealing (the courier
  // module, fetched as the customer starts answering) cannot arrive.
  await context.setOffline(true);
  const before = await inboxIds();
  await answerLoyaltyButton(phone);
  const thanks = phone.getByRole('status');
  await expect(thanks).toContainText('Your answers are saved on this phone and will be sent when it is online.');
  const [answer] = (await storedRecords(phone, 'responses')).filter((r) => r.status === 'submitted');
  expect(answer).toBeTruthy();
  expect(await inboxIds()).toEqual(before);

  await context.setOffline(false);
  await expect(thanks).toContainText('Your answers have reached the shop.', { timeout: 15_000 });
  expect(await inboxIds()).toContain(`resp:${answer.id}`);
  const doc = (await couch.get(`/inbox/resp:${answer.id}`)).json;
  expect(doc).toMatchObject({ type: 'sealed' });
  expect(JSON.stringify(doc)).not.toContain('Loyalty');
  const [delivered] = await storedRecords(phone, 'outbox');
  expect(delivered).toMatchObject({ response_id: answer.id, delivery: { state: 'delivered' } });

  // The customer's page asked nothing of any origin but the app's and the server's.
  expect([...origins].sort()).toEqual([new URL(baseURL).origin, new URL(couch.url).origin].sort());
  assertNoErrors();
  await context.close();
});

test('an answer begun online and submitted offline is sealed in the outbox before any try, and goes once online', async ({ page, browser, baseURL }) => {
  const link = withInbox(await customerLink(page), couch.url);
  const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  const assertNoErrors = collectPageErrors(phone);
  await phone.goto(link);
  await beginOnlineSubmitOffline(context, phone);
  const thanks = phone.getByRole('status');
  await expect(thanks).toContainText('Your answers are saved on this phone and will be sent when it is online.');
  // Kept sealed in the outbox before any try; nothing in the inbox yet.
  await expect.poll(async () => (await storedRecords(phone, 'outbox')).length).toBe(1);
  const [waiting] = await storedRecords(phone, 'outbox');
  expect(waiting.delivery.state).toBe('pending');
  expect(JSON.stringify(waiting)).not.toContain('"yes"');
  expect(await inboxIds()).not.toContain(`resp:${waiting.response_id}`);

  await context.setOffline(false);
  await expect(thanks).toContainText('Your answers have reached the shop.', { timeout: 15_000 });
  expect(await inboxIds()).toContain(`resp:${waiting.response_id}`);
  assertNoErrors();
  await context.close();
});

test('answers left waiting go out when the link is opened again', async ({ page, browser, baseURL }) => {
  const link = withInbox(await customerLink(page), couch.url);
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  const submittedIds = async (p) => (await storedRecords(p, 'responses')).filter((r) => r.status === 'submitted').map((r) => r.id);

  // An answer given wholly offline: stored, never handed to the courier.
  const first = await context.newPage();
  await first.goto(link);
  await context.setOffline(true);
  await answerLoyaltyButton(first);
  const [never] = await submittedIds(first);
  expect(await storedRecords(first, 'outbox')).toEqual([]);
  await first.close();
  await context.setOffline(false);
  expect(await inboxIds()).not.toContain(`resp:${never}`);
  const reopened = await context.newPage();
  await reopened.goto(link);
  await expect.poll(inboxIds, { timeout: 15_000 }).toContain(`resp:${never}`);
  await reopened.close();

  // An answer begun online and submitted offline: sealed and waiting.
  const second = await context.newPage();
  await second.goto(link);
  await beginOnlineSubmitOffline(context, second);
  await expect.poll(async () => (await storedRecords(second, 'outbox')).map((r) => r.delivery.state).sort()).toEqual(['delivered', 'pending']);
  const waiting = (await submittedIds(second)).find((id) => id !== never);
  await second.close();
  await context.setOffline(false);
  expect(await inboxIds()).not.toContain(`resp:${waiting}`);

  const again = await context.newPage();
  await again.goto(link);
  await expect.poll(inboxIds, { timeout: 15_000 }).toContain(`resp:${waiting}`);
  await expect.poll(async () => (await storedRecords(again, 'outbox')).map((r) => r.delivery.state)).toEqual(['delivered', 'delivered']);
  await context.close();
});

const PIN = '246813';
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const outboxStates = async (page) => (await storedRecords(page, 'outbox')).map((r) => r.delivery.state);

test('a kiosk answer is delivered while the kiosk goes on', async ({ page, browser, baseURL }, testInfo) => {
  await page.goto('./#/distribute');
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Loyalty Button (v2)' });
  const plain = await page.getByRole('textbox', { name: 'Link that starts this kiosk on a tablet' }).inputValue();
  const link = withInbox(plain, couch.url);

  const tablet = await browser.newContext({ ...testInfo.project.use, baseURL });
  const t = await tablet.newPage();
  const assertNoErrors = collectPageErrors(t);
  await t.goto('./#/settings');
  await t.getByLabel('New manager PIN (6–12 digits)').fill(PIN);
  await t.getByLabel('Repeat the PIN').fill(PIN);
  await t.getByRole('button', { name: 'Save PIN' }).click();
  await expect(t.getByText('The manager PIN is set.')).toBeVisible();
  await t.goto(link);
  await t.getByRole('button', { name: 'Start kiosk' }).click();
  await expect(t).toHaveURL(/#\/kiosk$/);
  // The kiosk's questions render after its start: wait for all four before listing.
  await expect(t.getByRole('radio', { name: 'Yes', exact: true })).toHaveCount(4);
  for (const radio of await t.getByRole('radio', { name: 'Yes', exact: true }).all()) await radio.check();
  await t.getByRole('button', { name: 'Submit' }).click();
  await expect(t.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toBeVisible();

  await expect.poll(() => outboxStates(t), { timeout: 15_000 }).toEqual(['delivered']);
  const [record] = await storedRecords(t, 'outbox');
  expect(await inboxIds()).toContain(`resp:${record.response_id}`);
  assertNoErrors();
  await tablet.close();
});

test('a shopper audit with a photo is delivered as the answer and its parts; the outbox says it reached the shop', async ({ page, browser, baseURL }) => {
  const WINDOW = 'Is the shop window clean?';
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'New blank questionnaire' }).click();
  await page.getByLabel('Title (English)', { exact: true }).fill('Window check');
  await page.getByLabel('Title (Russian)', { exact: true }).fill('Проверка витрины');
  const section = page.getByRole('region', { name: /^Section 1:/ });
  await section.getByRole('button', { name: /^Add question/ }).click();
  const q = page.getByRole('group', { name: /^Question 1:/ });
  await q.getByLabel('Question text (English)').fill(WINDOW);
  await q.getByLabel('Question text (Russian)').fill('Витрина чистая?');
  await q.getByLabel('Photo allowed').check();
  await page.getByRole('button', { name: 'Publish' }).click();
  const link = withInbox(await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue(), couch.url);

  const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const shopper = await phone.newPage();
  const assertNoErrors = collectPageErrors(shopper);
  await shopper.goto(link);
  await shopper.getByRole('button', { name: 'Start' }).click();
  await question(shopper, WINDOW).getByRole('radio', { name: 'Yes' }).check();
  await shopper.getByLabel(`Add photo · ${WINDOW}`).setInputFiles(join(fixtures, 'shop-front-2400x1800.jpg'));
  await expect(shopper.getByRole('list', { name: `Photos · ${WINDOW}` }).getByRole('listitem')).toHaveCount(1);
  await shopper.getByRole('button', { name: 'Submit' }).click();
  await expect(shopper).toHaveURL(/#\/outbox\/[0-9a-f-]{36}$/);

  await expect(mainMenu(shopper).getByRole('link', { name: 'Waiting to be sent' })).toHaveAttribute('aria-current', 'page');
  // The confirmation says there is nothing to do: the link named the shop's server.
  const confirmation = shopper.getByRole('region', { name: 'Done: the result is saved on this phone' });
  await expect(confirmation).toContainText('This result goes to the shop by itself');
  await expect(confirmation.getByRole('status')).toHaveText('Reached the shop', { timeout: 15_000 });
  await expect(confirmation.getByRole('button', { name: 'Send the result' })).toHaveCount(0);
  const table = shopper.getByRole('table', { name: 'Results to send' });
  await expect(table.getByRole('row').nth(1)).toContainText('Reached the shop', { timeout: 15_000 });
  const [record] = await storedRecords(shopper, 'outbox');
  const id = record.response_id;
  const ids = await inboxIds();
  expect(ids).toContain(`resp:${id}`);
  expect(ids).toContain(`resp:${id}:1`);
  const answer = (await couch.get(`/inbox/resp:${id}`)).json;
  const part = (await couch.get(`/inbox/resp:${id}:1`)).json;
  expect(answer.parts).toBeGreaterThanOrEqual(1);
  expect(part.part).toBe(1);
  expect(ids.filter((x) => x.startsWith(`resp:${id}:`))).toHaveLength(answer.parts);
  // The file export stays as the fallback.
  await expect(shopper.getByRole('button', { name: 'Send selected' })).toBeEnabled();
  assertNoErrors();
  await phone.close();
});

test("an audit the server refused stays on the phone as not accepted, and Try again delivers it once the server takes it", async ({ page, browser, baseURL }) => {
  const CHECK = 'Is the entrance clear?';
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'New blank questionnaire' }).click();
  await page.getByLabel('Title (English)', { exact: true }).fill('Entrance check');
  await page.getByLabel('Title (Russian)', { exact: true }).fill('Проверка входа');
  await page.getByRole('region', { name: /^Section 1:/ }).getByRole('button', { name: /^Add question/ }).click();
  const q = page.getByRole('group', { name: /^Question 1:/ });
  await q.getByLabel('Question text (English)').fill(CHECK);
  await q.getByLabel('Question text (Russian)').fill('Вход свободен?');
  await page.getByRole('button', { name: 'Publish' }).click();
  const link = withInbox(await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue(), couch.url);

  // The team's server refuses every new document for now (403), as a
  // stricter validation or a full disk would.
  const closed = await couch.put('/inbox/_design/closed', { validate_doc_update: "function () { throw({ forbidden: 'closed for maintenance' }); }" }, ADMIN);
  expect(closed.status).toBe(201);

  const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const shopper = await phone.newPage();
  const assertNoErrors = collectPageErrors(shopper);
  await shopper.goto(link);
  await shopper.getByRole('button', { name: 'Start' }).click();
  await question(shopper, CHECK).getByRole('radio', { name: 'Yes' }).check();
  await shopper.getByRole('button', { name: 'Submit' }).click();
  await expect(shopper).toHaveURL(/#\/outbox\/[0-9a-f-]{36}$/);
  await expect(mainMenu(shopper).getByRole('link', { name: 'Waiting to be sent' })).toHaveAttribute('aria-current', 'page');
  const row = shopper.getByRole('table', { name: 'Results to send' }).getByRole('row').nth(1);
  await expect(row).toContainText('Not accepted', { timeout: 15_000 });
  await expect(row).toContainText('closed for maintenance');
  const [refused] = await storedRecords(shopper, 'outbox');
  expect(refused.delivery.state).toBe('failed');
  expect(await inboxIds()).not.toContain(`resp:${refused.response_id}`);

  // The server takes documents again; the shopper tries again.
  const rev = (await couch.get('/inbox/_design/closed')).json._rev;
  expect((await couch.put('/inbox/_design/closed', { _rev: rev, validate_doc_update: 'function () {}' }, ADMIN)).status).toBe(201);
  await row.getByRole('button', { name: /^Try again: Entrance check/ }).click();
  await expect(row).toContainText('Reached the shop', { timeout: 15_000 });
  expect(await inboxIds()).toContain(`resp:${refused.response_id}`);
  assertNoErrors();
  await phone.close();
});

test('a customer link made for the full app before the lean page delivers too, and its thank-you follows', async ({ page, browser, baseURL }) => {
  const link = withInbox(await customerLink(page), couch.url).replace('respond.html#', '#');
  expect(link).not.toContain('respond.html');
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  const phone = await context.newPage();
  const assertNoErrors = collectPageErrors(phone);
  await phone.goto(link);
  await answerLoyaltyButton(phone);
  await expect(phone.getByRole('status')).toContainText('Your answers have reached the shop.', { timeout: 15_000 });
  const [record] = await storedRecords(phone, 'outbox');
  expect(await inboxIds()).toContain(`resp:${record.response_id}`);
  assertNoErrors();
  await context.close();
});
