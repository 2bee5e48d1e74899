// The mystery shopper's journey (issue 5) at phone size: open a checklist
// link, fill with a photo, reload half-way, resume, open the link again and
// be offered the unfinished audit, submit, send from the outbox; the exported file holds every answer and the photo.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectPageErrors, forbidForeignRequests, question, storedResponses, mainMenu } from './helpers.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const WINDOW = 'Is the shop window clean?';
const PRICES = 'Are prices shown in the window?';

test('link → fill with photo → reload → resume → submit → send: the file holds everything', async ({ page, browser, baseURL }) => {
  // The manager publishes a small audit whose first item takes photos.
  await page.goto('./#/questionnaires');
  await page.getByRole('button', { name: 'New blank questionnaire' }).click();
  await page.getByLabel('Title (English)', { exact: true }).fill('Window check');
  await page.getByLabel('Title (Russian)', { exact: true }).fill('Проверка витрины');
  const section = page.getByRole('region', { name: /^Section 1:/ });
  for (const [n, en, ru] of [[1, WINDOW, 'Витрина чистая?'], [2, PRICES, 'Цены в витрине указаны?']]) {
    await section.getByRole('button', { name: /^Add question/ }).click();
    const q = page.getByRole('group', { name: new RegExp(`^Question ${n}:`) });
    await q.getByLabel('Question text (English)').fill(en);
    await q.getByLabel('Question text (Russian)').fill(ru);
  }
  await page.getByRole('group', { name: /^Question 1:/ }).getByLabel('Photo allowed').check();
  await page.getByRole('button', { name: 'Publish' }).click();
  const link = await page.getByLabel('Link for shoppers and staff', { exact: true }).inputValue();

  // The shopper's phone.
  const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, acceptDownloads: true });
  const shopper = await phone.newPage();
  const noErrors = collectPageErrors(shopper);
  const noForeign = forbidForeignRequests(shopper, baseURL);
  await shopper.goto(link);
  await shopper.getByRole('button', { name: 'Start' }).click();
  await expect(shopper.getByRole('heading', { level: 1, name: 'Window check' })).toBeVisible();
  await question(shopper, WINDOW).getByRole('radio', { name: 'Yes' }).check();
  await shopper.getByLabel(`Add photo · ${WINDOW}`).setInputFiles(join(fixtures, 'shop-front-2400x1800.jpg'));
  const thumbs = shopper.getByRole('list', { name: `Photos · ${WINDOW}` });
  await expect(thumbs.getByRole('listitem')).toHaveCount(1);
  // The photo control's label is short on screen (the question is just
  // above it) and whole for a screen reader, which lists fields alone.
  const shownText = (label) => label.evaluate((l) => [...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim());
  expect(await shownText(shopper.locator('label', { hasText: `Add photo · ${WINDOW}` }))).toBe('Add photo');

  // Half-way: the tab is reloaded; everything is still there, and the
  // page is where the shopper had scrolled to.
  await shopper.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const scrolled = await shopper.evaluate(() => window.scrollY);
  expect(scrolled, 'the form is taller than the phone').toBeGreaterThan(100);
  await shopper.waitForTimeout(100);
  await shopper.reload();
  await expect(question(shopper, WINDOW).getByRole('radio', { name: 'Yes' })).toBeChecked();
  await expect(thumbs.getByRole('listitem')).toHaveCount(1);
  await expect.poll(() => shopper.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled - 40);
  // The same link opened again offers the unfinished audit, not a second one.
  const draftUrl = shopper.url();
  await shopper.goto(link);
  await expect(shopper.getByRole('note').filter({ hasText: 'You started this audit' })).toBeVisible();
  await shopper.getByRole('button', { name: 'Continue where you left off' }).click();
  await expect(shopper).toHaveURL(draftUrl);
  await expect(question(shopper, WINDOW).getByRole('radio', { name: 'Yes' })).toBeChecked();
  expect(await storedResponses(shopper)).toHaveLength(1);
  await question(shopper, PRICES).getByRole('radio', { name: 'No' }).check();
  await shopper.getByRole('button', { name: 'Submit' }).click();
  await expect(shopper).toHaveURL(/#\/outbox\/[0-9a-f-]{36}$/);

  // Submitted: the confirmation with the score, and the one next step.
  await expect(mainMenu(shopper).getByRole('link', { name: 'Waiting to be sent' })).toHaveAttribute('aria-current', 'page');
  const confirmation = shopper.getByRole('region', { name: 'Done: the result is saved on this phone' });
  await expect(confirmation).toContainText('Window check');
  await expect(confirmation).toContainText('Score: 50.00');
  await expect(confirmation).toContainText("choose your manager's messenger or e-mail");
  const table = shopper.getByRole('table', { name: 'Results to send' });
  await expect(table.getByRole('row').nth(1)).toContainText('not sent yet');
  await expect(table.getByRole('checkbox', { name: /^Select: Window check/ })).toBeChecked();
  const [download] = await Promise.all([
    shopper.waitForEvent('download'),
    confirmation.getByRole('button', { name: 'Send the result' }).click(),
  ]);
  await expect(shopper.getByText('Sent as a file: the results are marked as sent.')).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText('sent as a file');
  await expect(confirmation.getByRole('status')).toHaveText('This result has already been sent as a file.');
  expect((await storedResponses(shopper))[0].status).toBe('exported');

  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(file.format).toBe('servicelens.bundle');
  expect(file.manifest.counts).toMatchObject({ responses: 1, questionnaires: 1, photos: 1 });
  const [response] = file.responses;
  const q = file.questionnaires[0];
  const [windowId, pricesId] = q.sections[0].questions.map((x) => x.id);
  expect(response.answers[windowId].value).toEqual({ t: 'yes' });
  expect(response.answers[pricesId].value).toEqual({ t: 'no' });
  const [photo] = file.photos;
  expect(photo).toMatchObject({ response_id: response.id, question_id: windowId, mime: 'image/jpeg', width: 1600, height: 1200 });
  const bytes = Buffer.from(photo.bytes_base64, 'base64');
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  noErrors();
  noForeign();
  await phone.close();
});
