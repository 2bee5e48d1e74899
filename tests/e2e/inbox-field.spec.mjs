// Field devices deliver on their own (issue 18): a customer's phone that
// opens a link naming the team's inbox seals the answer, keeps it while
// offline, and creates it in the inbox once online; the thank-you says
// which, in the customer's words. The page talks to no origin but the
// app's and the team server's. Each test starts its own dev server and
// checks its inbox directly (the manager's pull is another journey's).
import { test, expect, collectPageErrors, storedRecords, answerLoyaltyButton } from './helpers.mjs';
import { startCouch } from './couch.mjs';
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
  return page.getByLabel('Link for customers (survey)').inputValue();
}

const inboxIds = async () => (await couch.get('/inbox/_all_docs')).json.rows.map((r) => r.id);

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
  await expect(phone.getByRole('heading', { level: 1, name: 'Loyalty Button' })).toBeVisible();

  await context.setOffline(true);
  const before = await inboxIds();
  await answerLoyaltyButton(phone);
  const thanks = phone.getByRole('status');
  await expect(thanks).toContainText('Your answers are saved on this phone and will be sent when it is online.');
  // Kept sealed in the outbox before any try; nothing in the inbox yet.
  const [waiting] = await storedRecords(phone, 'outbox');
  expect(waiting.delivery.state).toBe('pending');
  expect(JSON.stringify(waiting)).not.toContain('"yes"');
  const id = waiting.response_id;
  expect(await inboxIds()).toEqual(before);

  await context.setOffline(false);
  await expect(thanks).toContainText('Your answers have reached the shop.', { timeout: 15_000 });
  expect(await inboxIds()).toContain(`resp:${id}`);
  const doc = (await couch.get(`/inbox/resp:${id}`)).json;
  expect(doc).toMatchObject({ type: 'sealed' });
  expect(JSON.stringify(doc)).not.toContain('Loyalty');
  const [delivered] = await storedRecords(phone, 'outbox');
  expect(delivered.delivery.state).toBe('delivered');

  // The customer's page asked nothing of any origin but the app's and the server's.
  expect([...origins].sort()).toEqual([new URL(baseURL).origin, new URL(couch.url).origin].sort());
  assertNoErrors();
  await context.close();
});

test('an answer left waiting goes out when the link is opened again', async ({ page, browser, baseURL }) => {
  const link = withInbox(await customerLink(page), couch.url);
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  const phone = await context.newPage();
  await phone.goto(link);
  await context.setOffline(true);
  await answerLoyaltyButton(phone);
  const [waiting] = await storedRecords(phone, 'outbox');
  await phone.close();
  await context.setOffline(false);
  expect(await inboxIds()).not.toContain(`resp:${waiting.response_id}`);

  const again = await context.newPage();
  await again.goto(link);
  await expect.poll(inboxIds, { timeout: 15_000 }).toContain(`resp:${waiting.response_id}`);
  await context.close();
});
