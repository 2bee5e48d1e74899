// The customer's lean survey page (issue 6, "lean first load"): a customer's
// link opens respond.html, a second small build, never the full app; the
// answers land in the same IndexedDB, where the full app reads them; links
// to the full app made before the split still work.
import { test, expect, forbidForeignRequests, collectPageErrors, storedResponses, storedRecords, waitForServiceWorker, answerLoyaltyButton, publishedLinks } from './helpers.mjs';

/** A customer's phone: a browser profile of its own at phone size. */
async function customerPhone(browser, baseURL, locale = 'en-US') {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  return { context, page, requested, assertNoErrors: collectPageErrors(page), assertNoForeign: forbidForeignRequests(page, baseURL) };
}

/** Paths of the full app's own files (its page and its wasm build). */
const fullApp = (paths) => paths.filter((p) => /\/(index\.html|servicelens-[0-9a-f]+(_bg\.wasm|\.js))$/.test(p) || p.endsWith('/'));

test('customers read wording written for them: their own heading and introduction, no method names; the manager sets it in the editor', async ({ page, browser, baseURL }) => {
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'Use template: Loyalty Button' }).click();
  // The manager's own name stays in the title field; what customers read is
  // a field of its own.
  await expect(page.getByLabel('Title (English)', { exact: true })).toHaveValue('Loyalty Button');
  await expect(page.getByLabel('Heading for the people answering (English)')).toHaveValue('How was your visit?');
  await page.getByLabel('Heading for the people answering (English)').fill('Two minutes for us?');
  await page.getByRole('button', { name: 'Publish' }).click();
  const customer = await page.getByLabel('Link for customers (survey)', { exact: true }).inputValue();

  for (const [locale, heading, intro] of [
    ['en-US', 'Two minutes for us?', 'Five short questions, under a minute.'],
    ['ru-RU', 'Как вам у нас?', 'Пять коротких вопросов, меньше минуты.'],
  ]) {
    const phone = await customerPhone(browser, baseURL, locale);
    await phone.page.goto(customer);
    await expect(phone.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(phone.page.getByText(intro)).toBeVisible();
    // Five questions: straight to them, no Start tap.
    await expect(phone.page.getByRole('group')).toHaveCount(4);
    await expect(phone.page.getByRole('button', { name: /^(Start the survey|Начать опрос)$/ })).toHaveCount(0);
    const text = await phone.page.locator('body').innerText();
    for (const jargon of ['Loyalty Button', 'Кнопка лояльности', 'ИНК', 'ИЭЛ', 'index', 'индекс', 'офис', 'office']) {
      expect(text, `${locale}: ${jargon}`).not.toContain(jargon);
    }
    phone.assertNoErrors();
    await phone.context.close();
  }
});

test('a customer link opens the lean page, never the full app, and the app reads the answers', async ({ page, browser, baseURL }) => {
  const { customer } = await publishedLinks(page, 'Loyalty Button');
  expect(customer).toMatch(/\/respond\.html#\/q\/1\.[A-Za-z0-9_-]+$/);
  expect(customer.startsWith(new URL('respond.html', baseURL).href)).toBe(true);

  const phone = await customerPhone(browser, baseURL);
  const client = phone.page;
  await client.goto(customer);
  await expect(client.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect(client.getByRole('navigation')).toHaveCount(0);
  await answerLoyaltyButton(client);
  await expect(client.getByText('Your answers are kept on this phone only')).toBeVisible();
  const [stored] = await storedResponses(client);
  expect(stored.status).toBe('submitted');
  expect(Object.values(stored.answers).map((a) => a.value.t)).toEqual(['yes', 'yes', 'yes', 'yes']);
  expect(fullApp(phone.requested)).toEqual([]);
  expect(phone.requested.some((p) => /\/respond-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);

  // The same phone opens the full app: the answer is there, ready to send.
  await client.goto('./index.html#/outbox');
  await expect(client.getByRole('checkbox', { name: /Loyalty Button/ })).toHaveCount(1);
  expect(await storedResponses(client)).toHaveLength(1);
  phone.assertNoErrors();
  phone.assertNoForeign();
  await phone.context.close();
});

test('a survey link made for the full app before the split still runs there', async ({ page, browser, baseURL }) => {
  const { customer } = await publishedLinks(page, 'Loyalty Button');
  const old = customer.replace('respond.html#', '#');
  expect(old).not.toContain('respond.html');
  const phone = await customerPhone(browser, baseURL);
  await phone.page.goto(old);
  await answerLoyaltyButton(phone.page);
  expect(phone.requested.some((p) => /\/servicelens-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect((await storedResponses(phone.page))[0].status).toBe('submitted');
  phone.assertNoErrors();
  await phone.context.close();
});

test('the lean page speaks the browser language', async ({ page, browser, baseURL }) => {
  const { customer } = await publishedLinks(page, 'Loyalty Button');
  const phone = await customerPhone(browser, baseURL, 'ru-RU');
  await phone.page.goto(customer);
  await expect(phone.page.getByRole('heading', { level: 1, name: 'Как вам у нас?' })).toBeVisible();
  await expect(phone.page.getByRole('button', { name: 'Отправить' })).toBeVisible();
  await expect(phone.page.locator('html')).toHaveAttribute('lang', 'ru');
  phone.assertNoErrors();
  await phone.context.close();
});

test('the lean page sends a shopper link and anything else to the full app', async ({ page, browser, baseURL }) => {
  const { fill } = await publishedLinks(page, 'Quick store audit');
  const fragment = fill.slice(fill.indexOf('#'));
  const phone = await customerPhone(browser, baseURL);
  const shopper = phone.page;
  await shopper.goto(`./respond.html${fragment}`);
  await shopper.getByRole('button', { name: 'Start' }).click();
  await expect(shopper).toHaveURL(/\/index\.html#\/fill\/[0-9a-f-]{36}$/);
  await expect(shopper.getByRole('group', { name: 'The cashier offered a loyalty card', exact: true })).toBeVisible();

  await shopper.goto('./respond.html#/dashboard');
  await expect(shopper).toHaveURL(/\/index\.html#\/dashboard$/);
  await shopper.goto('./respond.html#/q/not-a-link');
  await expect(shopper.getByRole('heading', { level: 1, name: 'This link cannot be opened' })).toBeVisible();
  await expect(shopper.getByRole('alert')).not.toBeEmpty();
  phone.assertNoErrors();
  await phone.context.close();
});

test('on a device that has the app, a customer link opens offline as the lean page', async ({ page, context }) => {
  const { customer } = await publishedLinks(page, 'Loyalty Button');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  const kiosk = await context.newPage();
  const requested = [];
  kiosk.on('requestfinished', (r) => requested.push(new URL(r.url()).pathname));
  await kiosk.goto(customer);
  await answerLoyaltyButton(kiosk);
  expect(fullApp(requested)).toEqual([]);
  expect(requested.some((p) => /\/respond-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  await context.setOffline(false);
});

test('the lean page: faces for 1–5, the NPS 0–10 row, progress, missing answers, a follow-up by condition', async ({ page, browser, baseURL }) => {
  const { customer } = await publishedLinks(page, 'Customer survey: CSI and NPS');
  const phone = await customerPhone(browser, baseURL);
  const client = phone.page;
  await client.goto(customer);
  await client.getByRole('button', { name: 'Start the survey' }).click();
  // Nine questions, the NPS follow-up hidden until a low score.
  await expect(client.getByText('Answered 0 of 8')).toBeVisible();
  await expect(client.getByRole('progressbar')).toHaveAttribute('max', '8');
  const speed = client.getByRole('group', { name: 'Speed: how quickly were you helped?' });
  await expect(speed.getByRole('radio')).toHaveCount(5);
  await expect(speed.getByText('😀')).toBeVisible();
  const nps = client.getByRole('group', { name: 'How likely are you to recommend us to a friend or colleague?' });
  await expect(nps.getByRole('radio')).toHaveCount(11);
  expect(await nps.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.closest('label').textContent))).toEqual(
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  );
  // Big touch targets: every choice at least 48 px high and wide.
  for (const radio of await nps.getByRole('radio').all()) {
    const box = await radio.boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(box.width).toBeGreaterThanOrEqual(48);
  }

  // Submit too early: the required questions are listed, nothing submitted.
  await client.getByRole('button', { name: 'Submit' }).click();
  await expect(client.getByRole('alert')).toContainText('Answer the required questions:');
  await expect(client.getByRole('alert').getByRole('listitem')).toHaveCount(6);
  expect((await storedResponses(client))[0].status).toBe('draft');

  for (const name of ['Speed', 'Competence', 'Politeness', 'Accessibility', 'Overall']) {
    await client.getByRole('group', { name: new RegExp(`^${name}`) }).getByRole('radio', { name: '4', exact: true }).check();
  }
  await expect(client.getByRole('alert').getByRole('listitem')).toHaveCount(1);
  const followUp = client.getByLabel('What disappointed you, and what should we fix first?');
  await expect(followUp).toBeHidden();
  await nps.getByRole('radio', { name: '3', exact: true }).check();
  await expect(client.getByRole('alert')).toHaveCount(0);
  await expect(followUp).toBeVisible();
  await expect(client.getByText('Answered 6 of 9')).toBeVisible();
  await followUp.fill('The queue');
  await expect(client.getByText('Answered 7 of 9')).toBeVisible();
  // Every answer is stored as it is given.
  await expect.poll(async () => (await storedResponses(client))[0].answers['q-nps-low']?.value).toEqual({ t: 'text', v: 'The queue' });

  await client.getByRole('button', { name: 'Submit' }).click();
  await expect(client.getByRole('heading', { level: 2, name: 'Thank you! Your answers are saved.' })).toBeVisible();
  const [stored] = await storedResponses(client);
  // The questionnaire stored beside it is the link's (a copy of the template).
  const questionnaires = await storedRecords(client, 'questionnaires');
  expect(questionnaires.map((q) => q.id)).toEqual([stored.questionnaire_id]);
  expect(stored).toMatchObject({ status: 'submitted', questionnaire_version: 1 });
  expect(stored.answers['q-nps'].value).toEqual({ t: 'scale', v: 3 });
  expect(stored.answers['q-csat'].value).toEqual({ t: 'scale', v: 4 });

  // On a customer's own phone there is no invitation to vote again.
  await expect(client.getByRole('button', { name: 'Answer again' })).toHaveCount(0);
  expect(await storedResponses(client)).toHaveLength(1);
  // The full app on the same phone reads it.
  await client.goto('./index.html#/outbox');
  await expect(client.getByRole('checkbox', { name: /Customer survey: CSI and NPS/ })).toHaveCount(1);
  phone.assertNoErrors();
  phone.assertNoForeign();
  await phone.context.close();
});
