// Handing links on (issue 22, "share everywhere"): every link the app makes
// has Copy, Share and QR buttons with accessible names, which hand on the
// very link shown; a published questionnaire's links are reached again
// from the library; a link too long for a messenger says so.
import { test, expect, publishedLinks } from './helpers.mjs';

test.beforeEach(async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL).origin });
  // Desktop Chromium on Linux has no share sheet: a stand-in records what
  // the app hands to it, as the phone's would receive it.
  await page.addInitScript(() => {
    navigator.share = async (data) => {
      window.__shared = data;
    };
  });
});

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

test('the editor\'s links copy and share the link shown, and show its QR code; the library reaches them again', async ({ page }) => {
  const { fill, customer } = await publishedLinks(page, 'Loyalty Button');
  for (const [label, shown] of [['Link for shoppers and staff', fill], ['Link for customers (survey)', customer]]) {
    await page.getByRole('button', { name: `Copy: ${label}` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The link is copied.' }).first()).toBeVisible();
    expect(await clipboard(page)).toBe(shown);
    await page.getByRole('button', { name: `Share: ${label}` }).click();
    await expect.poll(() => page.evaluate(() => window.__shared?.url)).toBe(shown);
    await page.evaluate(() => (window.__shared = undefined));
    const qr = page.getByRole('button', { name: `QR code: ${label}` });
    await expect(qr).toHaveAttribute('aria-expanded', 'false');
    await qr.click();
    await expect(qr).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('img', { name: `QR code of the link: ${label}` })).toBeVisible();
  }

  // Later, from the library: the same links.
  await page.goto('./#/questionnaires');
  await page.getByRole('link', { name: 'Links: Loyalty Button' }).click();
  await expect(page).toHaveURL(/#\/links\/q-[^/]+\/1$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Links: Loyalty Button' })).toBeVisible();
  await expect(page.getByLabel('Link for shoppers and staff', { exact: true })).toHaveValue(fill);
  await expect(page.getByLabel('Link for customers (survey)', { exact: true })).toHaveValue(customer);
  await page.getByRole('button', { name: 'Copy: Link for customers (survey)' }).click();
  expect(await clipboard(page)).toBe(customer);
});

test('a link too long for a messenger or a readable QR code says so', async ({ page }) => {
  const { fill } = await publishedLinks(page, 'Mystery shopper: retail store');
  expect(fill.length).toBeGreaterThan(4096);
  await expect(page.getByRole('note').filter({ hasText: `This link has ${fill.length.toLocaleString('en-US')} characters, more than a messenger message takes (4,096)` })).toBeVisible();
  await page.getByRole('button', { name: 'QR code: Link for shoppers and staff' }).click();
  await expect(page.getByText('For a link this long the QR code is too dense')).toBeVisible();
  // Copy still hands on the whole link, for e-mail.
  await page.getByRole('button', { name: 'Copy: Link for shoppers and staff' }).click();
  expect(await clipboard(page)).toBe(fill);
});

test('Distribution\'s links have the same buttons', async ({ page }) => {
  await page.goto('./#/distribute');
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Loyalty Button (v2)' });
  const shown = await page.getByRole('textbox', { name: "Link for customers' phones" }).inputValue();
  await page.getByRole('button', { name: "Copy: Link for customers' phones" }).click();
  expect(await clipboard(page)).toBe(shown);
  const kiosk = await page.getByRole('textbox', { name: 'Link that starts this kiosk on a tablet' }).inputValue();
  await page.getByRole('button', { name: 'Share: Link that starts this kiosk on a tablet' }).click();
  await expect.poll(() => page.evaluate(() => window.__shared?.url)).toBe(kiosk);
});
