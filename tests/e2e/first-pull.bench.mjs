// First team sync of a big chain into an empty browser (issue 19): a team
// database holding the synthetic chain's N responses (100,000 by default)
// with its questionnaires, stores and staff, as a manager device pushed them
// (examples/replicate.rs seed), on the dev CouchDB-protocol server on
// 127.0.0.1. Ours: a new manager device saves the server and presses
// "Sync now"; timed from the press until the screen says it synced, and
// every response is then in the device's records. PouchDB: a fresh browser
// context of the same browser replicates the same database into IndexedDB
// (PouchDB.replicate, idb adapter, the same batch size as ours), timed from
// the call to its completion. The ratio is ours / PouchDB's.
// A benchmark, not a test; `make bench` runs it:
//   E2E_PORT=4197 npx playwright test --config tests/e2e/bench.config.mjs first-pull.bench --project phone
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { startCouch, configureServer, MANAGER } from './couch.mjs';

const N = Number(process.env.BENCH_PULL_RESPONSES ?? 100_000);
// The app's batch (web::manager::team_sync::BATCH), given to PouchDB too so
// both make the same round trips.
const BATCH = 500;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const POUCHDB = readFileSync(join(root, 'node_modules', 'pouchdb', 'dist', 'pouchdb.min.js'), 'utf8');

let couch;
let docCount;
test.beforeAll(async ({}, testInfo) => {
  test.setTimeout(30 * 60_000);
  // The app's origin by name: PouchDB's requests carry credentials, which
  // CouchDB never allows for the literal origin "*".
  couch = await startCouch({ origins: new URL(testInfo.project.use.baseURL).origin });
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '--features', 'bench-data', '--example', 'replicate', '--', 'seed', `${couch.url}/team`, `${MANAGER.name}:${MANAGER.password}`, String(N)],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  docCount = JSON.parse(out.trim().split('\n').at(-1)).docs_written;
  const info = await couch.get('/team');
  expect(info.json.doc_count).toBe(docCount);
});
test.afterAll(async () => couch?.stop());

/** Responses in the device's records: single ones and pages of taken ones. */
function storedResponses(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['responses', 'response_pages']);
          const single = tx.objectStore('responses').count();
          const pages = tx.objectStore('response_pages').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(single.result + pages.result.reduce((n, p) => n + p.ids.length, 0));
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

test(`first pull of ${N} responses, ours and PouchDB's, in the same browser`, async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(60 * 60_000);
  // A sync that dies (out of memory, a panic) never says "Synced": say why.
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.log(`console: ${m.text()}`));
  await configureServer(page, couch.url);
  await page.goto('./#/sync');
  await expect(page.getByRole('heading', { level: 1, name: 'Team sync' })).toBeVisible();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Synced:/ })).toBeVisible({ timeout: 50 * 60_000 });
  const oursMs = Date.now() - t0;
  expect(await storedResponses(page)).toBe(N);

  // PouchDB in a context of its own (an empty IndexedDB), on a page of the
  // app's origin, so it talks to the server across origins as the app does.
  const other = await browser.newContext({ ...testInfo.project.use, baseURL });
  const p = await other.newPage();
  // A document of the app's origin that is not one of its pages (no
  // Content-Security-Policy of ours applies), with PouchDB's browser build
  // evaluated into it.
  await p.goto('./manifest.webmanifest');
  await p.evaluate(POUCHDB);
  const pouch = await p.evaluate(
    async ({ url, user, password, batch }) => {
      const remote = new PouchDB(url, { auth: { username: user, password }, skip_setup: true });
      const local = new PouchDB('first-pull', { adapter: 'idb' });
      const t = performance.now();
      await PouchDB.replicate(remote, local, { batch_size: batch }).catch((e) => {
        throw new Error(`PouchDB's replication failed: ${JSON.stringify(e)} ${e?.stack ?? e}`);
      });
      const ms = performance.now() - t;
      const info = await local.info();
      return { ms, docs: info.doc_count };
    },
    { url: `${couch.url}/team`, user: MANAGER.name, password: MANAGER.password, batch: BATCH },
  );
  await other.close();
  expect(pouch.docs).toBe(docCount);
  const ratio = oursMs / pouch.ms;
  console.log(`first pull of ${N} responses (${docCount} documents): ours ${oursMs} ms, PouchDB ${Math.round(pouch.ms)} ms, ratio ${ratio.toFixed(2)}`);
  console.log(`BENCH first_pull n=${N} docs=${docCount} ours_ms=${oursMs} pouchdb_ms=${Math.round(pouch.ms)} ratio=${ratio.toFixed(3)}`);
});
