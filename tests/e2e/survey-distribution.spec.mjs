// Customer surveys reach phones (issue 6): the distribution screen shows a
// survey's link and QR code for a location; every code is read back by an
// independent decoder (jsQR) and must equal the link; the link opens on a
// phone and its answers are stored there. A survey too big for a scannable
// code gets a short link whose file sits next to the app. Posters print as
// A4 and A5 PDFs.
import { readFile, writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, collectPageErrors, storedResponses, answerLoyaltyButton } from './helpers.mjs';
import { decodePng, decodeSvgImage, download } from './qr.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST_DIR ?? join(here, '..', '..', 'dist');
const phoneSize = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function openDistribution(page, survey) {
  await page.goto('./#/distribute');
  await expect(page.getByRole('heading', { level: 1, name: 'Customer surveys: QR codes, posters, kiosk' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: survey });
  await expect(page.getByRole('combobox', { name: 'Location' })).toHaveValue('loc-main');
}

/** Reads the on-screen SVG and the downloaded SVG and PNG; each must hold `expected`. */
async function expectCodesRead(page, expected) {
  const shown = await decodeSvgImage(page, page.getByRole('img', { name: "QR code of the customers' link" }));
  expect(shown?.text).toBe(expected);
  const png = await download(page, () => page.getByRole('button', { name: 'Download QR code (PNG)' }).click());
  expect(png.name).toMatch(/^servicelens-qr-[a-z0-9-]+\.png$/);
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const fromPng = await decodePng(page, png.bytes);
  expect(fromPng?.text).toBe(expected);
  const svg = await download(page, () => page.getByRole('button', { name: 'Download QR code (SVG)' }).click());
  expect(svg.name).toMatch(/\.svg$/);
  const svgUrl = `data:image/svg+xml,${encodeURIComponent(svg.bytes.toString('utf8'))}`;
  const { decodeImageUrl } = await import('./qr.mjs');
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg.bytes.toString('utf8'))[1]);
  expect((await decodeImageUrl(page, svgUrl, 4, side))?.text).toBe(expected);
  // The version shown is the one the decoder found.
  await expect(page.getByText('QR code version')).toBeVisible();
  await expect(page.getByRole('definition').first()).toHaveText(String(fromPng.version));
  return fromPng.version;
}

test('every built-in survey: the QR codes read back as the link, at most version 20', async ({ page }) => {
  for (const survey of ['Loyalty Button (v2)', 'Customer survey: CSI and NPS (v2)']) {
    await openDistribution(page, survey);
    await expect(page.getByText("answers given on customers' own phones stay on those phones")).toBeVisible();
    const link = await page.getByRole('textbox', { name: "Link for customers' phones" }).inputValue();
    expect(link).toMatch(/#\/q\/1\.[A-Za-z0-9_-]+$/);
    await expect(page.getByText('too big for an easily scanned QR code')).toHaveCount(0);
    const version = await expectCodesRead(page, link);
    expect(version).toBeLessThanOrEqual(20);
    await expect(page.getByText('M (up to 15% of the code may be damaged)')).toBeVisible();
  }
});

test('the QR link opens on a customer phone, is answered and stored there', async ({ page, browser, baseURL }) => {
  await openDistribution(page, 'Loyalty Button (v2)');
  const link = await page.getByRole('textbox', { name: "Link for customers' phones" }).inputValue();
  const png = await download(page, () => page.getByRole('button', { name: 'Download QR code (PNG)' }).click());
  const scanned = (await decodePng(page, png.bytes)).text;
  expect(scanned).toBe(link);

  const phone = await browser.newContext({ baseURL, locale: 'en-US', ...phoneSize });
  const client = await phone.newPage();
  const noErrors = collectPageErrors(client);
  await client.goto(scanned);
  await expect(client.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
  await expect(client.getByText('Main location')).toBeVisible();
  await answerLoyaltyButton(client);
  await expect(client.getByText('Your answers are kept on this phone only')).toBeVisible();
  const stored = await storedResponses(client);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ status: 'submitted', questionnaire_id: 'tpl-loyalty-button', location_id: 'loc-main' });
  expect(Object.keys(stored[0].answers)).toHaveLength(4);
  noErrors();
  await phone.close();
});

/** A survey as big as the full retail audit: far past a version 20 code. */
async function bigSurveyFile() {
  const file = JSON.parse(await readFile(join(here, '..', '..', 'src', 'templates', 'retail_audit.json'), 'utf8'));
  Object.assign(file.questionnaire, {
    id: 'q-big-store-survey',
    kind: 'survey',
    title: { ru: 'Большой опрос', en: 'Big store survey' },
  });
  return JSON.stringify(file);
}

test('a survey too big for a QR code gets a short link; its file next to the app opens it', async ({ page, browser, baseURL }) => {
  await page.goto('./#/questionnaires');
  await page.getByLabel('Load questionnaire file').setInputFiles({
    name: 'big.json',
    mimeType: 'application/json',
    buffer: Buffer.from(await bigSurveyFile()),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Questionnaire loaded.' })).toBeVisible();
  await openDistribution(page, 'Big store survey (v1)');
  await expect(page.getByText('too big for an easily scanned QR code')).toBeVisible();
  const short = await page.getByRole('textbox', { name: 'Short link' }).inputValue();
  expect(short).toMatch(/#\/s\/q-big-store-survey-v1\/[A-Za-z0-9_-]+$/);
  const fileName = await page.getByRole('textbox', { name: 'File name' }).inputValue();
  expect(fileName).toBe('q-big-store-survey-v1.json');
  const version = await expectCodesRead(page, short);
  expect(version).toBeLessThanOrEqual(20);

  const file = await download(page, () => page.getByRole('button', { name: 'Download the survey file for the short link' }).click());
  expect(file.name).toBe(fileName);
  const phone = await browser.newContext({ baseURL, locale: 'en-US', ...phoneSize });
  const client = await phone.newPage();
  const noErrors = collectPageErrors(client);
  // Before the manager uploads the file: a clear message, nothing stored.
  await client.goto(short);
  await expect(client.getByRole('alert')).toContainText('The survey file for this link is not on the server');
  // The manager puts the file next to the app on the static host.
  const placed = join(dist, fileName);
  await writeFile(placed, file.bytes);
  try {
    await client.reload();
    await expect(client.getByRole('heading', { level: 1, name: 'Big store survey' })).toBeVisible();
    await expect(client.getByText('Main location')).toBeVisible();
    await client.getByRole('button', { name: 'Start the survey' }).click();
    await expect(client.getByRole('button', { name: 'Submit' })).toBeVisible();
    expect((await storedResponses(client))[0]).toMatchObject({ status: 'draft', questionnaire_id: 'q-big-store-survey' });
    // A damaged file is refused like any questionnaire file.
    await writeFile(placed, file.bytes.subarray(0, 200));
    const other = await phone.newPage();
    await other.goto(short);
    await expect(other.getByRole('alert')).not.toBeEmpty();
    await expect(other.getByRole('button', { name: 'Start the survey' })).toHaveCount(0);
  } finally {
    await rm(placed, { force: true });
  }
  // A name that could leave the app's folder is refused before any fetch.
  await client.goto(short.replace(/#\/s\/[^/]+/, '#/s/..%2Fsecret'));
  await expect(client.getByRole('alert')).toHaveText('The short link is damaged.');
  noErrors();
  await phone.close();
});

/** Paper size of each page of a PDF, in points, and the page count. */
function pdfPages(pdf) {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  const pages = text.match(/\/Type\s*\/Page(?!s)/g) ?? [];
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return { count: pages.length, boxes };
}

test('posters print as A4 and A5 with the QR code, call to action and location', async ({ page }) => {
  await openDistribution(page, 'Customer survey: CSI and NPS (v2)');
  const link = await page.getByRole('textbox', { name: "Link for customers' phones" }).inputValue();
  const sizes = { 'A4 poster': [595.28, 841.89], 'A5 poster': [419.53, 595.28] };
  for (const [name, [w, h]] of Object.entries(sizes)) {
    await page.goto('./#/distribute');
    await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Customer survey: CSI and NPS (v2)' });
    await page.getByRole('link', { name }).click();
    const poster = page.getByRole('article', { name });
    await expect(poster.getByText('Rate our service')).toBeVisible();
    await expect(poster.getByRole('heading', { name: 'Tell us how we served you' })).toBeVisible();
    await expect(poster.getByText('Main location')).toBeVisible();
    const qr = poster.getByRole('img', { name: "QR code of the customers' link" });
    expect((await decodeSvgImage(page, qr))?.text).toBe(link);
    await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
    // Back to no emulation: page.pdf() lays out with print media itself,
    // while an emulated 'screen' would print the screen layout.
    await page.emulateMedia({ media: null });
    // The paper size's sheet has loaded.
    const sheet = name === 'A4 poster' ? 'poster-a4.css' : 'poster-a5.css';
    await page.waitForFunction((sheet) => [...document.styleSheets].some((s) => s.href?.endsWith(sheet) && s.cssRules.length > 0), sheet);
    const { count, boxes } = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(count, name).toBe(1);
    expect(boxes.length, name).toBeGreaterThanOrEqual(1);
    for (const [bw, bh] of boxes) {
      expect(Math.abs(bw - w), `${name} width ${bw}`).toBeLessThan(2);
      expect(Math.abs(bh - h), `${name} height ${bh}`).toBeLessThan(2);
    }
  }
});
