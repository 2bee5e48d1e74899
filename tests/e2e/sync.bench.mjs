// Live team sync: a submitted response stored on one manager device until
// it is in the other device's records, both with sync on, through the dev
// CouchDB-protocol server on 127.0.0.1. The response is written into A's
// database as a screen writes one, and A's page then announces the commit
// as every storage write does (platform::RECORDS_CHANGED_EVENT); B's page
// watches its own database. Both clocks are the same machine's Date.now().
// A benchmark, not a test; `make bench` runs it:
//   E2E_PORT=4196 npx playwright test --config tests/e2e/bench.config.mjs sync.bench --project phone
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { startCouch, configureServer } from './couch.mjs';

const N = Number(process.env.BENCH_SYNCS ?? 20);
const fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dashboard.json'), 'utf8'));

let couch;
test.beforeAll(async () => {
  couch = await startCouch();
});
test.afterAll(async () => couch?.stop());

async function turnOn(page) {
  await configureServer(page, couch.url);
  await page.goto('./#/sync');
  await page.getByRole('button', { name: 'Turn sync on' }).click();
  await expect(page.getByText(/^Last synced: /)).toBeVisible({ timeout: 30_000 });
}

test(`a response on one device visible on the other, live sync, ${N} responses`, async ({ page, browser, baseURL }, testInfo) => {
  const a = page;
  const other = await browser.newContext({ ...testInfo.project.use, baseURL });
  const b = await other.newPage();
  await turnOn(a);
  await turnOn(b);
  const latencies = [];
  for (let i = 0; i < N; i++) {
    const r = structuredClone(fixture.responses[i % fixture.responses.length]);
    r.id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
    const seen = b.evaluate(
      (id) =>
        new Promise((resolve) => {
          const look = () => {
            const open = indexedDB.open('servicelens');
            open.onsuccess = () => {
              // A record of its own, or in a page of taken responses.
              const db = open.result;
              const tx = db.transaction(['responses', 'response_pages']);
              const single = tx.objectStore('responses').get(id);
              const paged = tx.objectStore('response_pages').index('by_response').getKey(id);
              tx.oncomplete = () => {
                db.close();
                if (single.result || paged.result !== undefined) resolve(Date.now());
                else setTimeout(look, 10);
              };
            };
          };
          look();
        }),
      r.id,
    );
    const storedAt = await a.evaluate(
      (r) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('servicelens');
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('responses', 'readwrite');
            tx.objectStore('responses').put(r);
            tx.oncomplete = () => {
              db.close();
              const at = Date.now();
              window.dispatchEvent(new Event('servicelens-records-changed'));
              resolve(at);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      r,
    );
    latencies.push((await seen) - storedAt);
  }
  await other.close();
  const sorted = [...latencies].sort((x, y) => x - y);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  console.log(`live sync, ${N} responses: min ${sorted[0]} ms, p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${sorted.at(-1)} ms`);
  console.log(`BENCH live_sync n=${N} p50_ms=${pct(50)} p95_ms=${pct(95)} max_ms=${sorted.at(-1)}`);
});
