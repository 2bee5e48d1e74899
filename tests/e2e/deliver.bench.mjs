// Seal and deliver: from the customer's tap on Submit to the thank-you
// saying the answers reached the shop, at phone size with the CPU slowed
// 4× (Emulation.setCPUThrottlingRate), against the dev CouchDB-protocol
// server on 127.0.0.1. What is timed is all the phone does: the response
// stored, sealed (HPKE), kept in the outbox, PUT to the inbox and the
// server's 201 read. A benchmark, not a test; `make bench` runs it:
//   E2E_PORT=4195 npx playwright test --config tests/e2e/bench.config.mjs deliver --project phone
//
// Both clock readings are the page's own (performance.now() in a capturing
// click listener, and in a MutationObserver that sees the words appear),
// so Playwright's round trips are not in the figure.
import { test, expect } from '@playwright/test';
import { startCouch } from './couch.mjs';
import { publishForm, teamKey, templateFile } from './forms.mjs';

const N = Number(process.env.BENCH_DELIVERIES ?? 20);
const RATE = 4;
const REACHED = 'Your answers have reached the shop.';

let couch;
test.beforeAll(async () => {
  couch = await startCouch();
});
test.afterAll(async () => couch?.stop());

test(`submit → delivered, ${N} answers, CPU ${RATE}× slower`, async ({ page }) => {
  const fragment = await publishForm(couch, { file: templateFile('loyalty_button_survey.json'), key: teamKey(), location: { id: 'loc-1', name: 'Store 1' } });
  const cdp = await page.context().newCDPSession(page);
  const latencies = [];
  for (let i = 0; i < N; i++) {
    await page.goto(`./respond.html${fragment}`);
    await expect(page.getByRole('group')).toHaveCount(4);
    for (const group of await page.getByRole('group').all()) {
      await group.getByRole('radio', { name: 'Yes', exact: true }).check();
    }
    await page.evaluate((reached) => {
      const submit = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Submit');
      submit.addEventListener('click', () => (window.__benchSubmitAt = performance.now()), { capture: true });
      new MutationObserver(() => {
        if (window.__benchReachedAt === undefined && document.body.textContent.includes(reached)) {
          window.__benchReachedAt = performance.now();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    }, REACHED);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByText(REACHED)).toBeVisible({ timeout: 30_000 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    latencies.push(await page.evaluate(() => window.__benchReachedAt - window.__benchSubmitAt));
  }
  // Every answer is in the inbox, once.
  const docs = await couch.get('/inbox/_all_docs');
  expect(docs.json.rows.filter((r) => r.id.startsWith('resp:')).length).toBe(N);

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  console.log(`submit → delivered, ${N} answers, CPU ${RATE}× slower: min ${sorted[0].toFixed(1)} ms, p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
  console.log(`BENCH deliver n=${N} cpu_rate=${RATE} p50_ms=${pct(50).toFixed(2)} p95_ms=${pct(95).toFixed(2)} max_ms=${sorted.at(-1).toFixed(2)}`);
});
