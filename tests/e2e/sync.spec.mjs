// Team sync (issue 19) between two manager devices (two browser contexts)
// through the dev CouchDB-protocol server: a shopper's results imported on
// one device reach the other, a second sync moves nothing, a location
// renamed on both devices shows on the conflicts screen and is resolved
// there, and a wrong password or a server without CORS get plain words.
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, allowedServers, forbidForeignRequests, collectPageErrors, storedResponses, storedRecords, openMenu } from './helpers.mjs';
import { startCouch, configureServer, MANAGER } from './couch.mjs';
import { seedResponses } from './seed.mjs';

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

/** Runs `fn` with a server of its own, which pages may contact, stopped
 * whatever happens. */
async function withServer(options, fn) {
  const server = await startCouch(options);
  allowedServers.add(server.url);
  try {
    await fn(server);
  } finally {
    allowedServers.delete(server.url);
    await server.stop();
  }
}

async function importFile(page, name, bytes) {
  await page.goto('./#/exchange');
  await page.getByLabel('Choose files').setInputFiles([{ name, mimeType: 'application/json', buffer: bytes }]);
  await expect(page.getByRole('list', { name: 'Import report' }).getByRole('heading', { level: 3 })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Importing…' })).toHaveCount(0);
}

/** Opens Settings → Sync, presses "Sync now" and waits for its result. */
async function syncNow(page) {
  await page.goto('./');
  await openMenu(page, 'Team sync');
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
  // The choice ends the conflict on the server and on both devices: the
  // next syncs settle it, and nobody is asked again.
  const winnerPage = loser === page ? b.page : page;
  await syncNow(loser);
  await syncNow(winnerPage);
  for (const p of [page, b.page]) {
    expect((await storedRecords(p, 'locations')).map((l) => l.name)).toEqual([other]);
    expect(await storedRecords(p, 'conflicts')).toEqual([]);
  }
  const doc = await couch.get('/team/location%3Aloc-1?conflicts=true', MANAGER);
  expect(doc.json.name).toBe(other);
  expect(doc.json._conflicts).toBeUndefined();
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

  await withServer({ origins: 'http://127.0.0.1:9' }, async (closed) => {
    await configureServer(page, closed.url);
    await page.goto('./#/sync');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('alert')).toContainText('CORS is not enabled on it');
  });
});

test('a sync cut off midway resumes from its last batch, and nothing is lost or doubled', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  await withServer({}, async (server) => {
    await configureServer(page, server.url);
    await page.goto('./#/dashboard');
    await seedResponses(page, { n: 1200, start: Date.UTC(2026, 0, 1), span: 30 * 86_400_000 });
    // 1200 responses, 40 locations, 320 employees and what the device
    // had before: four batches of 500.
    const sent = Number(/^Synced: (\d+) sent, 0 received\.$/.exec(await syncNow(page))[1]);
    expect(sent).toBeGreaterThanOrEqual(1560);
    const total = (await server.get('/team/_all_docs?limit=0', MANAGER)).json.total_rows;
    expect(total).toBe(sent);

    const b = await newDevice(browser, baseURL, testInfo);
    await configureServer(b.page, server.url);
    // The connection drops on the second fetch of documents.
    let fetches = 0;
    await b.context.route(`${server.url}/team/_bulk_get*`, (route) => (++fetches === 2 ? route.abort('connectionreset') : route.continue()));
    await b.page.goto('./#/sync');
    await b.page.getByRole('button', { name: 'Sync now' }).click();
    await expect(b.page.getByRole('alert')).toContainText('Nothing was lost: sync will resume from the same point.', { timeout: 60_000 });
    // The first batch is kept in the replica; the records take the
    // documents only once a pull reaches the end.
    expect((await storedRecords(b.page, 'revisions')).length).toBe(500);
    expect(await storedResponses(b.page)).toEqual([]);
    await b.context.unroute(`${server.url}/team/_bulk_get*`);

    expect(await syncNow(b.page)).toBe(`Synced: 0 sent, ${total - 500} received.`);
    const theirs = await storedResponses(b.page);
    expect(theirs.length).toBe(1200);
    expect(new Set(theirs.map((r) => r.id)).size).toBe(1200);
    for (const kind of ['locations', 'employees']) {
      const names = async (p) => (await storedRecords(p, kind)).map((r) => r.name).sort();
      expect(await names(b.page)).toEqual(await names(page));
    }
    expect((await storedRecords(b.page, 'revisions')).length).toBe(total);
    b.check();
    await b.context.close();
  });
});

test('with sync on, a change on one device reaches the other by itself', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  await withServer({}, async (server) => {
    const devices = [{ page }, await newDevice(browser, baseURL, testInfo)];
    for (const d of devices) {
      await configureServer(d.page, server.url);
      await d.page.goto('./#/sync');
      await d.page.getByRole('button', { name: 'Turn sync on' }).click();
      await expect(d.page.getByText('Sync is on: while the app is open and online, this device syncs by itself.')).toBeVisible();
      await expect(d.page.getByText(/^Last synced: /)).toBeVisible({ timeout: 20_000 });
    }
    const [a, b] = devices;
    // A shopper's file imported on A: B gets it with no one pressing anything.
    await importFile(a.page, 'shopper.json', await readFile(join(malformed, 'base.json')));
    await b.page.goto('./#/dashboard');
    await expect.poll(async () => (await storedResponses(b.page)).length, { timeout: 10_000 }).toBe(2);
    // And back: a location added on B reaches A.
    await b.page.goto('./#/people');
    await b.page.getByLabel('New location').fill('Airport kiosk');
    await b.page.getByRole('button', { name: 'Add location' }).click();
    await expect.poll(async () => (await storedRecords(a.page, 'locations')).map((l) => l.name), { timeout: 10_000 }).toContain('Airport kiosk');
    devices[1].check();
    await devices[1].context.close();
  });
});

test('a join link sets up a second manager device without typing, and the outbox shows what reached the team server', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  await configureServer(page, couch.url);
  await importFile(page, 'shopper.json', await readFile(join(malformed, 'base.json')));
  await page.goto('./#/sync');
  await page.getByRole('button', { name: 'Turn sync on' }).click();
  await expect(page.getByText(/^Last synced: /)).toBeVisible({ timeout: 20_000 });
  const section = page.getByRole('region', { name: "Another manager's device" });
  await expect(section.getByRole('note')).toHaveText(/holds the manager's password/);
  await section.getByRole('button', { name: 'Show the join link' }).click();
  const link = await section.getByRole('textbox', { name: 'Join link' }).inputValue();
  expect(link).toMatch(/#\/join\/[A-Za-z0-9_-]+$/);
  await expect(section.getByRole('img', { name: 'QR code of the join link' })).toBeVisible();
  // The outbox of this device: each result reached the team server.
  await page.goto('./#/outbox');
  const table = page.getByRole('table', { name: 'Results to send' });
  await expect(table.getByRole('columnheader', { name: 'On the team server' })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'Reached it' })).toHaveCount(2);

  const b = await newDevice(browser, baseURL, testInfo);
  await b.page.goto(link.replace(/^.*#/, './#'));
  await expect(b.page.getByRole('heading', { level: 1, name: 'Joining the team' })).toBeVisible();
  await expect(b.page.getByText(`The link connects this device to the server ${couch.url}, team database team, as the user “${MANAGER.name}”.`)).toBeVisible();
  await b.page.getByRole('button', { name: 'Use these settings on this device' }).click();
  await expect(b.page.getByRole('status').filter({ hasText: 'The settings are saved and sync is on.' })).toBeVisible();
  // Sync is on: the shopper's results arrive without pressing anything.
  await expect.poll(async () => (await storedResponses(b.page)).length, { timeout: 20_000 }).toBe(2);
  // A cut or edited link changes nothing.
  await b.page.goto('./#/join/not-a-link');
  await expect(b.page.getByRole('alert')).toHaveText('This join link cannot be read: it may not have been copied whole. Ask for a new one.');
  b.check();
  await b.context.close();
});

test('a store and a member of staff deleted on one device are deleted on the other, and what a device does not take is listed', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  await withServer({}, async (server) => {
    await configureServer(page, server.url);
    await importFile(page, 'shopper.json', await readFile(join(malformed, 'base.json')));
    // A second store, so that deleting the first leaves one to compare.
    await page.goto('./#/people');
    await page.getByLabel('New location').fill('Airport kiosk');
    await page.getByRole('button', { name: 'Add location' }).click();
    await expect.poll(async () => (await storedRecords(page, 'locations')).length).toBe(2);
    await syncNow(page);
    const b = await newDevice(browser, baseURL, testInfo);
    await configureServer(b.page, server.url);
    await syncNow(b.page);
    expect((await storedRecords(b.page, 'employees')).map((e) => e.name)).toEqual(['Anna']);

    await page.goto('./#/people');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete: Anna' }).click();
    await expect.poll(async () => (await storedRecords(page, 'employees')).length).toBe(0);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete: Main street' }).click();
    await expect.poll(async () => (await storedRecords(page, 'locations')).map((l) => l.name)).toEqual(['Airport kiosk']);
    expect(await syncNow(page)).toBe('Synced: 2 sent, 0 received.');
    const gone = await server.get('/team/employee%3Aemp-1', MANAGER);
    expect(gone.status).toBe(404);

    // A document a newer build of the app wrote: not a record here, listed.
    const put = await server.put('/team/location%3Aloc-9', { type: 'location', v: 99, id: 'loc-9', name: 'Future' }, MANAGER);
    expect(put.status).toBe(201);
    expect(await syncNow(b.page)).toBe('Synced: 0 sent, 3 received.');
    expect(await storedRecords(b.page, 'employees')).toEqual([]);
    expect((await storedRecords(b.page, 'locations')).map((l) => l.name)).toEqual(['Airport kiosk']);
    const refused = b.page.getByRole('list', { name: 'Not taken from the team server' });
    await expect(refused.getByRole('listitem')).toHaveText([
      'location:loc-9: a document from a newer version of the app (format 99, this one reads 1); update the app',
    ]);
    // The responses that named the store are kept: a submitted response is
    // never changed from outside.
    expect((await storedResponses(b.page)).length).toBe((await storedResponses(page)).length);
    // Settled: nothing moves any more.
    expect(await syncNow(page)).toBe('Synced: 0 sent, 1 received.');
    expect(await syncNow(b.page)).toBe('Synced: 0 sent, 0 received.');
    b.check();
    await b.context.close();
  });
});
