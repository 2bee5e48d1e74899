// The manager's side of the sealed inbox (issue 18): a manager configures
// the team's server, sets it up with the administrator's password, makes
// the team key and must save its file before the inbox goes on; links then
// name the inbox and the key. Sealed answers (made by examples/seal_fixture.rs
// from the app's own customer link) and every kind of bad input are put into
// the inbox from Node; the pull takes the real answers and sets each bad one
// aside with its reason, counting none of them. A second manager device
// imports the key file and reads the same answers.
import { execFileSync } from 'node:child_process';
import { randomUUID, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, allowedServers, forbidForeignRequests, collectPageErrors, storedResponses, seriousAxeViolations } from './helpers.mjs';
import { startCouch, configureServer as configure, ADMIN, MANAGER } from './couch.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PASSPHRASE = 'correct horse battery staple';

let couch;

test.beforeAll(async () => {
  // A bare server: the manager sets it up from the app.
  couch = await startCouch({ install: false });
  allowedServers.add(couch.url);
  // The fixture maker shares the crate; build it once, before any timer runs.
  execFileSync('cargo', ['build', '--quiet', '--features', 'fixtures', '--example', 'seal_fixture'], { cwd: root, stdio: 'inherit' });
});

test.afterAll(async () => {
  if (couch) allowedServers.delete(couch.url);
  await couch?.stop();
});

function sealFixture(link, count) {
  const out = execFileSync('cargo', ['run', '--quiet', '--features', 'fixtures', '--example', 'seal_fixture', '--', link, String(count)], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const b64url = (n) => randomBytes(n).toString('base64url');

/** Creates `doc` in the inbox anonymously, as a phone would. */
async function deliver(doc) {
  const r = await couch.put(`/inbox/${encodeURIComponent(doc._id)}`, doc, null);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
}

/** Fills the team server's form and saves it. */
const configureServer = (page) => configure(page, couch.url);

/** Saves the key file (a download), confirms it is kept, turns the inbox on. */
async function saveKeyFileAndTurnOn(page) {
  const turnOn = page.getByRole('button', { name: 'Turn on receiving' });
  await expect(turnOn).toBeDisabled();
  await expect(page.getByText('Save the key file first: without it the answers cannot be read if this device is lost.')).toBeVisible();
  await page.getByLabel('Password for the key file', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Password for the key file again').fill(PASSPHRASE);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save the key file' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^servicelens-team-key-[A-Za-z0-9_-]+\.json$/);
  const path = await download.path();
  // Downloaded is not yet kept: the manager has to say so.
  await expect(turnOn).toBeDisabled();
  await page.getByRole('button', { name: 'The key file is kept somewhere safe' }).click();
  await expect(turnOn).toBeEnabled();
  await turnOn.click();
  await expect(page.getByText('Receiving is on: new links and QR codes send their answers')).toBeVisible();
  return path;
}

async function answersCounted(page) {
  await page.goto('./#/responses');
  const status = page.getByRole('status').filter({ hasText: /^Responses: \d+$/ });
  await expect(status).toBeVisible();
  return Number((await status.textContent()).split(': ')[1]);
}

test('set up, key file before the inbox, bad input set aside, and a second device reads', async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  await configureServer(page);

  // Set up the bare server with the administrator's password.
  await page.getByLabel("Server administrator's name").fill(ADMIN.name);
  await page.getByLabel("Server administrator's password").fill('wrong');
  await page.getByRole('button', { name: 'Set up the server' }).click();
  await expect(page.getByRole('alert')).toContainText("The server did not accept the administrator's name and password.");
  await page.getByLabel("Server administrator's password").fill(ADMIN.password);
  await page.getByRole('button', { name: 'Set up the server' }).click();
  await expect(page.getByText('The server is set up: databases, rights and rules are in place.')).toBeVisible();
  expect((await couch.get('/inbox/_design/inbox')).status).toBe(200);
  expect((await couch.get('/forms/_design/forms')).status).toBe(200);
  expect((await couch.get('/team/_security')).json.members.roles).toEqual(['servicelens-manager']);
  // The inbox refuses anonymous updates and deletes now.
  const junkShape = await couch.put(`/inbox/resp:${randomUUID()}`, { hello: 1 }, null);
  expect(junkShape.status).toBe(403);
  // A manager user, as docs/sync.md adds one.
  const user = await couch.put(`/_users/org.couchdb.user:${MANAGER.name}`, {
    name: MANAGER.name, password: MANAGER.password, roles: ['servicelens-manager'], type: 'user',
  }, ADMIN);
  expect(user.status).toBe(201);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('The server answered and the inbox can be read.')).toBeVisible();

  // No key, no inbox; a key without its saved file, no inbox either.
  await expect(page.getByRole('button', { name: 'Turn on receiving' })).toBeDisabled();
  await expect(page.getByText('Make the team key first.')).toBeVisible();
  await expect(page.getByText('Without the key file the answers cannot be read if this device is lost')).toBeVisible();
  await page.getByRole('button', { name: 'Make the team key' }).click();
  await expect(page.getByText('Current key:')).toBeVisible();
  // A short password is refused with the rule's words.
  await page.getByLabel('Password for the key file', { exact: true }).fill('short');
  await page.getByLabel('Password for the key file again').fill('short');
  await page.getByRole('button', { name: 'Save the key file' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  const keyFile = await saveKeyFileAndTurnOn(page);
  expect(JSON.parse(await readFile(keyFile, 'utf8')).format).toBe('servicelens-team-key');

  // The customer link now names the server and the key.
  await page.goto('./#/distribute');
  await page.getByRole('combobox', { name: 'Survey' }).selectOption({ label: 'Loyalty Button (v2)' });
  const link = await page.getByRole('textbox', { name: "Link for customers' phones" }).inputValue();
  // The short link: the survey published to the team's forms database, the
  // link naming form, server and key, and a customer's phone opening it.
  await page.getByRole('button', { name: 'Make a short link' }).click();
  const short = await page.getByRole('textbox', { name: 'Short link (SMS, messengers)' }).inputValue();
  expect(short).toMatch(/respond\.html#\/f\/[0-9a-f]{12}\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/);
  // Short whatever the survey: form, key and server, and the location.
  expect(short.length).toBeLessThan(220);
  await expect(page.getByRole('img', { name: 'QR code of the short link' })).toBeVisible();
  const formName = short.match(/#\/f\/([0-9a-f]{12})\//)[1];
  expect((await couch.get(`/forms/form:${formName}`, null)).json.type).toBe('servicelens.form');
  {
    const phone = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 } });
    const customer = await phone.newPage();
    await customer.goto(short);
    await expect(customer.getByRole('heading', { level: 1, name: 'How was your visit?' })).toBeVisible();
    await phone.close();
  }
  const fixture = sealFixture(link, 4);
  expect(fixture.server).toBe(couch.url);
  expect(fixture.inbox).toBe('inbox');
  // So does the kiosk's.
  const kioskLink = await page.getByRole('textbox', { name: 'Link that starts this kiosk on a tablet' }).inputValue();
  expect(sealFixture(kioskLink, 0).server).toBe(couch.url);
  const before = await answersCounted(page);

  const [a, b, c, d] = fixture.good;
  await deliver(a);
  await deliver(b);
  const bad = {
    tampered: { ...c, ct: (c.ct[0] === 'A' ? 'B' : 'A') + c.ct.slice(1) },
    wrongKid: { ...d, kid: 'notOurKey123' },
    otherTeam: fixture.other_team,
    replay: { ...a, _id: `resp:${randomUUID()}` },
    notResponse: fixture.not_response,
  };
  for (const doc of Object.values(bad)) await deliver(doc);
  const junk = [];
  for (let i = 0; i < 50; i++) {
    const doc = { _id: `resp:${randomUUID()}`, type: 'sealed', v: 1, kid: a.kid, enc: b64url(32), ct: b64url(64 + i) };
    junk.push(doc);
    await deliver(doc);
  }

  // Opening the screen with the inbox on gets the new answers.
  await page.goto('./#/inbox');
  await expect(page.getByText('Added 2 answers, 55 set aside.')).toBeVisible({ timeout: 60_000 });
  const list = page.getByRole('list', { name: 'Set aside (not counted)' });
  await expect(list.getByRole('listitem')).toHaveCount(55);
  const entry = (doc) => list.getByRole('listitem').filter({ hasText: doc._id });
  await expect(entry(bad.tampered)).toContainText('The answer does not open');
  await expect(entry(bad.wrongKid)).toContainText('sealed to the key “notOurKey123”');
  await expect(entry(bad.otherTeam)).toContainText(`sealed to the key “${bad.otherTeam.kid}”`);
  await expect(entry(bad.replay)).toContainText('moved under another id');
  await expect(entry(bad.notResponse)).toContainText('holds no questionnaire answer');
  for (const doc of junk.slice(0, 5)) await expect(entry(doc)).toContainText('The answer does not open');
  // Getting new answers again adds nothing and sets nothing more aside.
  await page.getByRole('button', { name: 'Get new answers' }).click();
  await expect(page.getByText('Added 0 answers, 0 set aside.')).toBeVisible({ timeout: 30_000 });
  await expect(list.getByRole('listitem')).toHaveCount(55);
  // Only the real answers count.
  expect(await answersCounted(page)).toBe(before + 2);
  const stored = (await storedResponses(page)).map((r) => r.id);
  for (const doc of [a, b]) expect(stored).toContain(doc._id.slice('resp:'.length));
  for (const doc of [bad.tampered, bad.otherTeam, bad.notResponse]) expect(stored).not.toContain(doc._id.slice('resp:'.length));

  // Another manager's device: the same server, the key from its file.
  const other = await browser.newContext({ viewport: page.viewportSize() });
  const second = await other.newPage();
  const assertNoForeign = forbidForeignRequests(second, baseURL);
  const assertNoErrors = collectPageErrors(second);
  await configureServer(second);
  await expect(second.getByRole('button', { name: 'Make the team key' })).toBeVisible();
  await second.getByLabel('Key file', { exact: true }).setInputFiles(keyFile);
  await second.getByLabel("The key file's password").fill('not the password');
  await second.getByRole('button', { name: 'Load the key' }).click();
  await expect(second.getByRole('alert')).toBeVisible();
  await second.getByLabel("The key file's password").fill(PASSPHRASE);
  await second.getByRole('button', { name: 'Load the key' }).click();
  await expect(second.getByText('The key is loaded on this device.')).toBeVisible();
  // Turning the inbox on gets the answers at once.
  await saveKeyFileAndTurnOn(second);
  await expect(second.getByText('Added 2 answers, 55 set aside.')).toBeVisible({ timeout: 60_000 });
  const secondStored = (await storedResponses(second)).map((r) => r.id);
  for (const doc of [a, b]) expect(secondStored).toContain(doc._id.slice('resp:'.length));
  assertNoForeign();
  assertNoErrors();
  await other.close();
});

test('axe finds no serious or critical violations on the inbox screen', async ({ browser, baseURL }, testInfo) => {
  // axe is injected as an inline script, which the app's CSP refuses.
  const context = await browser.newContext({ ...testInfo.project.use, baseURL, bypassCSP: true });
  const page = await context.newPage();
  await configureServer(page);
  await page.getByRole('button', { name: 'Make the team key' }).click();
  await expect(page.getByText('Current key:')).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await context.close();
});
