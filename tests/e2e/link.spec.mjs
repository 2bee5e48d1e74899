// Questionnaires travel in links (issues 5 and 6): a published version's
// link opens on another device, is saved there and starts a fill; a broken,
// truncated or altered link gets a clear message and stores nothing.
import { test, expect, collectPageErrors, question, storedRecords, storedResponses, answerLoyaltyButton, publishedLinks } from './helpers.mjs';

test('a shopper link opens on another device and starts the checklist there', async ({ page, browser, baseURL }) => {
  const { fill } = await publishedLinks(page, 'Quick store audit');
  expect(fill).toMatch(/#\/q\/1\.[A-Za-z0-9_-]+$/);
  expect(fill.startsWith(new URL(baseURL).origin)).toBe(true);

  const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 } });
  const shopper = await phone.newPage();
  const noErrors = collectPageErrors(shopper);
  await shopper.goto(fill);
  await expect(shopper.getByRole('heading', { level: 1, name: 'Quick store audit' })).toBeVisible();
  await shopper.getByRole('button', { name: 'Start' }).click();
  await expect(shopper).toHaveURL(/#\/fill\/[0-9a-f-]{36}$/);
  await question(shopper, 'The cashier offered a loyalty card').getByRole('radio', { name: 'Yes' }).check();
  await expect.poll(async () => Object.keys((await storedResponses(shopper))[0]?.answers ?? {})).toEqual(['q-loyalty']);
  expect(await storedRecords(shopper, 'questionnaires')).toHaveLength(1);
  noErrors();
  await phone.close();
});

test('a customer survey link runs the survey and thanks the customer honestly', async ({ page, browser, baseURL }) => {
  const { customer } = await publishedLinks(page, 'Loyalty Button');
  expect(customer).toMatch(/#\/q\/1\./);
  const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 } });
  const client = await phone.newPage();
  await client.goto(customer);
  await answerLoyaltyButton(client);
  await expect(client.getByText('Your answers are kept on this phone only')).toBeVisible();
  const [stored] = await storedResponses(client);
  expect(stored.status).toBe('submitted');
  await phone.close();
});

test('broken links get a clear message and store nothing', async ({ page, baseURL }) => {
  const { fill } = await publishedLinks(page, 'Quick store audit');
  const fragment = fill.slice(fill.indexOf('#'));
  const payload = fragment.slice('#/q/'.length);
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const cases = {
    truncated: `#/q/${payload.slice(0, Math.floor(payload.length / 2))}`,
    altered: `#/q/${flip(payload, Math.floor(payload.length / 2))}`,
    newer: `#/q/9${payload.slice(1)}`,
    garbage: '#/q/not-a-link',
    empty: '#/q/',
  };
  for (const [name, hash] of Object.entries(cases)) {
    const before = (await storedRecords(page, 'questionnaires')).length;
    await page.goto(`./${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: 'This link cannot be opened' }), name).toBeVisible();
    await expect(page.getByRole('alert'), name).not.toBeEmpty();
    await expect(page.getByRole('button', { name: 'Start' })).toHaveCount(0);
    expect((await storedRecords(page, 'questionnaires')).length, name).toBe(before);
  }
});
