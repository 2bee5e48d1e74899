// Team sync (issue 19) between two manager devices (two browser contexts)
// through the dev CouchDB-protocol server: a shopper's results imported on
// one device reach the other, a second sync moves nothing, a location
// renamed on both devices shows on the conflicts screen and is resolved
// there, and a wrong password or a server without CORS get plain words.
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, allowedServers, forbidForeignRequests, collectPageErrors, storedResponses, storedRecords } from './helpers.mjs';
import { startCouch, configureServer, MANAGER } from './couch.mjs';

const malformed = join(dirname(fileURLToPath(import.meta.url)), '..', 'malformed');

let couch;
test.beforeAll(async () => {
  couch = await startCouch();
  allowedServers.add(couch.url);
});
test.afterAll(async () => {
  if (couch) allowedServers.delete(couch.url);
  await couch?.stop();
});

async function importFile(page, name, bytes) {
  await page.goto('./#/exchange');
  await page.getByLabel('Choose files').setInputFiles([{ name, mimeType: 'application/json', buffer: bytes }]);
  await expect(page.getByRole('list', { name: 'Import report' }).getByRole('heading', { level: 3 })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Importing…' })).toHaveCount(0);
}

/** Opens Settings → Sync, presses "Sync now" and waits for its result. */
async function syncNow(page) {
  await page.goto('./#/settings');
  await page.getByRole('link', { name: 'Sync with other managers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team sync' })).toBeVisible();
  await page.getByRole('button', { name: 'Sync now' }).click();
  const done = page.getByRole('status').filter({ hasText: /^Synced:/ });
  await expect(done).toBeVisible({ timeout: 30_000 });
  return done.textContent();
}

async function newDevice(browser, baseURL, testInfo) {
  const context = await browser.newContext({ ...testInfo.project.use, baseURL });
  const page = await context.newPage();
  const checks = [forbidForeignRequests(page, baseURL), collectPageErrors(page)];
  return { context, page, check: () => checks.forEach((c) => c()) };
}

const byId = (a, b) => (a.id < b.id ? -1 : 1);

test('a shopper\'s results imported on one manager device reach the other, and a conflict is chosen on the copies screen', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const shopperFile = await readFile(join(malformed, 'base.json'));
  await configureServer(page, couch.url);
  await importFile(page, 'shopper.json', shopperFile);
  const first = await syncNow(page);
  expect(first).toBe('Synced: 7 sent, 0 received.');
  await expect(page.getByText('Waiting to go out: 0.')).toBeVisible();
  await expect(page.getByText(/^Last synced: /)).toBeVisible();
  // The documents are on the server as docs/sync.md names them.
  const all = await couch.get('/team/_all_docs', MANAGER);
  const ids = all.json.rows.map((r) => r.id.split(':')[0]).sort();
  expect(ids).toEqual(['action', 'employee', 'location', 'photo', 'questionnaire', 'response', 'response']);

  const b = await newDevice(browser, baseURL, testInfo);
  await configureServer(b.page, couch.url);
  expect(await syncNow(b.page)).toBe('Synced: 0 sent, 7 received.');
  const mine = (await storedResponses(page)).sort(byId);
  const theirs = (await storedResponses(b.page)).sort(byId);
  expect(theirs.map((r) => r.id)).toEqual(mine.map((r) => r.id));
  expect(theirs.map((r) => r.answers)).toEqual(mine.map((r) => r.answers));
  expect((await storedRecords(b.page, 'locations')).map((l) => l.name)).toEqual(['Main street']);
  expect((await storedRecords(b.page, 'photos')).length).toBe(1);
  // Nothing new: nothing moves either way.
  expect(await syncNow(b.page)).toBe('Synced: 0 sent, 0 received.');
  expect(await syncNow(page)).toBe('Synced: 0 sent, 0 received.');

  // A rename on one device reaches the other without a conflict.
  const rename = async (p, from, to) => {
    await p.goto('./#/people');
    const field = p.getByRole('textbox', { name: `Location name: ${from}` });
    await field.fill(to);
    await field.press('Enter');
    await expect.poll(async () => (await storedRecords(p, 'locations')).map((l) => l.name)).toEqual([to]);
  };
  await rename(b.page, 'Main street', 'Main street 1');
  expect(await syncNow(b.page)).toBe('Synced: 1 sent, 0 received.');
  expect(await syncNow(page)).toBe('Synced: 0 sent, 1 received.');
  expect((await storedRecords(page, 'locations')).map((l) => l.name)).toEqual(['Main street 1']);

  // Renamed on both before either syncs: a conflict, for a person.
  await rename(page, 'Main street 1', 'Main street, yard entrance');
  await rename(b.page, 'Main street 1', 'Main street, front door');
  await syncNow(page);
  await syncNow(b.page);
  await syncNow(page);
  const conflicts = [(await storedRecords(page, 'conflicts')).length, (await storedRecords(b.page, 'conflicts')).length];
  expect(conflicts.sort()).toEqual([0, 1]);
  const loser = (await storedRecords(page, 'conflicts')).length ? page : b.page;
  const kept = (await storedRecords(loser, 'locations'))[0].name;
  const other = kept === 'Main street, front door' ? 'Main street, yard entrance' : 'Main street, front door';
  await loser.goto('./#/conflicts');
  const copy = loser.getByRole('article', { name: `Locations: ${other}` });
  await copy.getByRole('button', { name: `Use the other copy: Locations: ${other}` }).click();
  await expect(loser.getByRole('status').filter({ hasText: 'Your choice is saved.' })).toBeVisible();
  expect((await storedRecords(loser, 'locations')).map((l) => l.name)).toEqual([other]);
  b.check();
  await b.context.close();
});

test('a wrong password and a server without CORS are told in plain words', async ({ page }) => {
  await configureServer(page, couch.url, { name: MANAGER.name, password: 'not-the-password' });
  await page.goto('./#/sync');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('alert')).toHaveText('The server did not accept the user name or password.');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The server did not accept the user name or password. Nothing was lost: sync will resume from the same point.',
  );
  expect(await storedRecords(page, 'revisions')).toEqual([]);

  const closed = await startCouch({ origins: 'http://127.0.0.1:9' });
  allowedServers.add(closed.url);
  try {
    await configureServer(page, closed.url);
    await page.goto('./#/sync');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('alert')).toContainText('CORS is not enabled on it');
  } finally {
    allowedServers.delete(closed.url);
    await closed.stop();
  }
});
