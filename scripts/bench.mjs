#!/usr/bin/env node
// `make bench`: every benchmark of the project in one run, one table, the
// figures in docs/bench/latest.json, and the budgets of bench/budgets.json
// checked (exit 1 naming each broken one). Not part of `make test`.
//
//   node scripts/bench.mjs [--only first_load,transfer,lighthouse,durable,deliver,live_sync,first_pull,filter,filter_1m,kpi,import,inbox]
//                          [--skip-build] [--out docs/bench/latest.json]
//
// Steps, each of which may fail on its own (recorded as `error` in the JSON
// and the table, and counted as a broken budget):
//   build       trunk build --release --offline
//   first_load  gzipped bytes of the files respond.html / index.html load to start
//   transfer    bytes the browser transfers before each journey is usable: home,
//               dashboard (1,000 responses), a shopper's link, a survey link
//               (scripts/transfer.mjs; the budget figures of the first load)
//   lighthouse  performance, accessibility, PWA of a survey link, a shopper's link and
//               the dashboard with 1,000 stored responses (dist/ served gzip-encoded)
//   durable     answer → durable in IndexedDB, CPU 4× slower (tests/e2e/durable.bench.mjs)
//   deliver     a customer's submit → delivered to the dev server's inbox, CPU 4× slower
//               (tests/e2e/deliver.bench.mjs)
//   live_sync   a response stored on one manager device → in the other's records,
//               live team sync through the dev server (tests/e2e/sync.bench.mjs)
//   first_pull  the first team sync of 100k responses into an empty browser, against
//               PouchDB replicating the same database in the same browser
//               (tests/e2e/first-pull.bench.mjs)
//   filter      the dashboard at 100k responses: opened until the first KPI is drawn,
//               its memory, a filter change (tests/e2e/dashboard.bench.mjs)
//   filter_1m   the same at 1,000,000 responses
//   kpi         KPI pass wasm vs plain JS, 10k/100k/1M (tests/kpi_browser.rs)
//   import      100k-response import vs Dexie bulkPut (tests/import_browser.rs)
//   inbox       the manager's pull and open of 10,000 sealed answers from the dev
//               CouchDB-protocol server (tests/inbox_browser.rs)
// Everything runs against 127.0.0.1; nothing reaches the network.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstLoad } from './first-load.mjs';
import { measureTransfer, publishedLinks, seedDashboard, transferReport } from './transfer.mjs';
import { benchLine, checkBudgets, fmt, formatTable, parseBenchLines, parseImport, transferSplit } from './bench-lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const E2E_PORT = Number(process.env.E2E_PORT ?? 4195);
// The Lighthouse step serves dist/ itself, beside Playwright's server.
const LH_PORT = Number(process.env.BENCH_LH_PORT ?? E2E_PORT + 1);
// The transfer step's gzip-encoding server, beside those two.
const TRANSFER_PORT = Number(process.env.BENCH_TRANSFER_PORT ?? E2E_PORT + 2);
const STEPS = ['first_load', 'transfer', 'lighthouse', 'durable', 'deliver', 'live_sync', 'first_pull', 'filter', 'filter_1m', 'kpi', 'import', 'inbox'];

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const only = option('--only')?.split(',');
const steps = only ?? STEPS;
const skipBuild = args.includes('--skip-build');
// A partial run does not overwrite the committed figures unless asked.
const outFile = option('--out') ?? (only ? null : join(root, 'docs/bench/latest.json'));
const logDir = mkdtempSync(join(tmpdir(), 'servicelens-bench-'));

const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules/.bin')}:${process.env.HOME}/.cargo/bin:${process.env.PATH}`,
  CHROMEDRIVER: process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  E2E_PORT: String(E2E_PORT),
  WASM_BINDGEN_TEST_TIMEOUT: process.env.WASM_BINDGEN_TEST_TIMEOUT ?? '2400',
};

/** Runs a command with its output in a log file; resolves to { code, out }. */
function run(name, cmd, cmdArgs, timeoutMs, extraEnv = {}) {
  const log = join(logDir, `${name}.log`);
  console.log(`== ${name}: ${cmd} ${cmdArgs.join(' ')}  (log: ${log})`);
  return new Promise((ok) => {
    const file = createWriteStream(log);
    const child = spawn(cmd, cmdArgs, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const take = (chunk) => {
      out += chunk;
      file.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      take(`\n[bench] ${name}: timed out after ${timeoutMs / 1000} s\n`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      file.end();
      ok({ code: code ?? `killed by ${signal}`, out, log });
    });
  });
}

/** The reason a run failed, from its output: a panic, a test failure, or its last lines. */
function failure({ code, out, log }) {
  const panic = out.match(/panicked at [^\n]*\n([^\n]*)/);
  const timeout = out.match(/timed out after [^\n]*/);
  const pw = out.match(/\n\s*(Error: [^\n]*|TimeoutError: [^\n]*)/);
  const stillBuilding = /\n\s*Compiling [^\n]*\s*$/.test(out) ? ', while still compiling' : '';
  const why = timeout?.[0] ?? (panic ? `panic: ${panic[1].trim()}` : pw?.[1] ?? `exit ${code}${stillBuilding}`);
  return `${why} (log ${log})`;
}

const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;

async function benchFirstLoad() {
  const split = async (entry) => {
    const r = await firstLoad(join(root, 'dist'), entry);
    const by = { wasm: 0, js: 0, css: 0, html: 0, other: 0 };
    for (const f of r.files) {
      const ext = f.file.split('.').pop();
      by[ext in by ? ext : 'other'] += f.gzip;
    }
    return {
      total_kb: kb(r.total.gzip),
      total_bytes: r.total.gzip,
      wasm_kb: kb(by.wasm),
      js_kb: kb(by.js),
      css_kb: kb(by.css),
      html_kb: kb(by.html),
      other_kb: kb(by.other),
      files: r.files.map((f) => f.file),
      // The sealing and delivery, fetched once an answer is on its way
      // (the customer starts answering, a kiosk or shopper submits).
      courier_kb: kb(r.later.files.filter((f) => f.file.startsWith('courier-')).reduce((n, f) => n + f.gzip, 0)),
    };
  };
  const out = {};
  for (const [key, entry] of [
    ['respond', 'respond.html'],
    ['app', 'index.html'],
  ]) {
    try {
      out[key] = await split(entry);
    } catch (e) {
      out[key] = { error: String(e.message ?? e) };
    }
  }
  return out;
}

async function benchTransfer() {
  const out = await measureTransfer({ dist: join(root, 'dist'), port: TRANSFER_PORT });
  // Each file of each journey, for the log.
  writeFileSync(join(logDir, 'transfer.log'), `${Object.entries(out).map(([j, r]) => transferReport(j, r)).join('\n\n')}\n`);
  return out;
}

async function benchLighthouse() {
  const { startServer } = await import('../tests/e2e/serve.mjs');
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const { chromium } = await import('@playwright/test');
  // Gzip-encoded, as any static host serves it (and the transfer step measures).
  const server = await startServer({ root: () => join(root, 'dist'), port: LH_PORT, gzip: true });
  const origin = `http://127.0.0.1:${LH_PORT}`;
  const out = {};
  try {
    let links = {};
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
      try {
        links = await publishedLinks(browser, origin, 'en-US');
      } finally {
        await browser.close();
      }
    } catch (e) {
      out.survey = out.shopper = { error: `making the links: ${e.message.split('\n')[0]}` };
    }
    // The dashboard's profile holds the transfer step's responses, written
    // before Lighthouse opens it; its HTTP caches are then emptied and no
    // service worker was let in, so the files come cold.
    let responses;
    const seeded = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'servicelens-lh-'));
      const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROME_FLAGS, serviceWorkers: 'block' });
      try {
        responses = await seedDashboard(await context.newPage(), origin);
      } finally {
        await context.close();
      }
      for (const cache of ['Cache', 'Code Cache', 'Service Worker']) rmSync(join(dir, 'Default', cache), { recursive: true, force: true });
      return dir;
    };
    const pages = [
      ['survey', links.survey, null],
      ['shopper', links.shopper, null],
      ['dashboard', `${origin}/#/dashboard`, seeded],
    ];
    for (const [key, url, profile] of pages) {
      if (!url) continue;
      console.log(`== lighthouse ${key}: ${url.length > 90 ? `${url.slice(0, 90)}…` : url}`);
      // A fresh profile per page: nothing cached, no service worker yet.
      let userDataDir;
      try {
        userDataDir = profile ? await profile() : undefined;
      } catch (e) {
        out[key] = { error: `seeding: ${String(e.message ?? e).split('\n')[0]}` };
        continue;
      }
      const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: 'error', ...(userDataDir ? { userDataDir } : {}) });
      try {
        const result = await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'pwa'],
          // The seeded responses stay (Lighthouse would clear the origin's storage).
          disableStorageReset: Boolean(userDataDir),
        });
        const lhr = result.lhr;
        writeFileSync(join(logDir, `lighthouse-${key}.json`), JSON.stringify(lhr));
        const score = (c) => lhr.categories[c]?.score ?? null;
        const audit = (a) => lhr.audits[a];
        if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
        out[key] = {
          url: key === 'dashboard' ? url : url.replace(/(#\/[^/]+\/).*/, '$1…'),
          ...(userDataDir ? { responses } : {}),
          lighthouse: lhr.lighthouseVersion,
          form_factor: lhr.configSettings.formFactor,
          performance: score('performance'),
          accessibility: score('accessibility'),
          pwa: score('pwa'),
          installable: audit('installable-manifest')?.score ?? null,
          service_worker: audit('service-worker')?.score ?? null,
          fcp_ms: Math.round(audit('first-contentful-paint')?.numericValue ?? NaN),
          lcp_ms: Math.round(audit('largest-contentful-paint')?.numericValue ?? NaN),
          tbt_ms: Math.round(audit('total-blocking-time')?.numericValue ?? NaN),
          cls: audit('cumulative-layout-shift')?.numericValue ?? null,
          failed_a11y_audits: Object.values(lhr.categories.accessibility?.auditRefs ?? [])
            .map((r) => lhr.audits[r.id])
            .filter((a) => a.score === 0)
            .map((a) => a.id),
          failed_pwa_audits: Object.values(lhr.categories.pwa?.auditRefs ?? [])
            .map((r) => lhr.audits[r.id])
            .filter((a) => a.score === 0)
            .map((a) => a.id),
        };
      } catch (e) {
        out[key] = { error: String(e.message ?? e).split('\n')[0] };
      } finally {
        await chrome.kill();
        if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  return out;
}

const playwright = (spec) => ['playwright', 'test', '--config', 'tests/e2e/bench.config.mjs', spec, '--project', 'phone', '--reporter', 'list'];

async function benchDurable() {
  const r = await run('durable', 'npx', playwright('durable.bench.mjs'), 20 * 60_000);
  const b = benchLine(r.out, 'durable');
  if (!b) return { error: failure(r) };
  return { n: b.n, cpu_rate: b.cpu_rate, p50_ms: b.p50_ms, p95_ms: b.p95_ms, max_ms: b.max_ms };
}

async function benchDeliver() {
  const r = await run('deliver', 'npx', playwright('deliver.bench.mjs'), 20 * 60_000);
  const b = benchLine(r.out, 'deliver');
  if (!b) return { error: failure(r) };
  return { n: b.n, cpu_rate: b.cpu_rate, p50_ms: b.p50_ms, p95_ms: b.p95_ms, max_ms: b.max_ms };
}

async function benchLiveSync() {
  const r = await run('live_sync', 'npx', playwright('sync.bench.mjs'), 20 * 60_000);
  const b = benchLine(r.out, 'live_sync');
  if (!b) return { error: failure(r) };
  return { n: b.n, p50_ms: b.p50_ms, p95_ms: b.p95_ms, max_ms: b.max_ms };
}

async function benchFirstPull() {
  const r = await run('first_pull', 'npx', playwright('first-pull.bench.mjs'), 90 * 60_000);
  const b = benchLine(r.out, 'first_pull');
  if (!b) return { error: failure(r) };
  return { responses: b.n, documents: b.docs, ours_ms: b.ours_ms, pouchdb_ms: b.pouchdb_ms, ratio: b.ratio };
}

/** The dashboard opened with `n` stored responses, then its filters changed. */
async function dashboardAt(n, label) {
  const r = await run(label, 'npx', playwright('dashboard.bench.mjs'), 90 * 60_000, { BENCH_RESPONSES: String(n) });
  const open = benchLine(r.out, 'dashboard_open');
  const b = benchLine(r.out, 'filter_change_ms');
  if (!open && !b) return { responses: n, error: failure(r) };
  return {
    responses: n,
    ...(open ? { open_ms: open.ms, wasm_mb: open.wasm_mb } : { open_error: failure(r) }),
    ...(b ? { median_ms: b.median, p95_ms: b.p95, max_ms: b.max, heap_mb: b.heap_mb } : { error: failure(r) }),
  };
}

const benchFilter = () => dashboardAt(100_000, 'filter');
const benchFilter1m = () => dashboardAt(1_000_000, 'filter_1m');

const wasmBench = (test, filter) => [
  'test',
  '--release',
  '--target',
  'wasm32-unknown-unknown',
  '--features',
  'browser-bench',
  '--test',
  test,
  '--',
  '--nocapture',
  ...(filter ? [filter] : []),
];

async function benchKpi() {
  const r = await run('kpi', 'cargo', wasmBench('kpi_browser', 'kpi_pass_wasm_against_js'), 60 * 60_000);
  const out = {};
  for (const { name, fields } of parseBenchLines(r.out)) {
    if (name === 'kpi') out[fields.n] = { wasm_ms: fields.wasm_ms, js_ms: fields.js_ms, ratio: fields.ratio };
  }
  const agreed = r.out.match(/the JS report equals the wasm report in all (\d+) figures/);
  const why = r.code === 0 ? 'no BENCH kpi line' : failure(r);
  for (const n of [10_000, 100_000, 1_000_000]) out[n] ??= { error: why };
  out.js_equals_wasm_figures = agreed ? Number(agreed[1]) : { error: why };
  return out;
}

// The inbox step's dev CouchDB-protocol server (scripts/couch-ctl.sh).
const COUCH_PORT = Number(process.env.BENCH_COUCH_PORT ?? 5987);

async function benchInbox() {
  const ctl = (cmd) => execFileSync(join(root, 'scripts/couch-ctl.sh'), [cmd, String(COUCH_PORT)], { cwd: root, env, stdio: 'ignore' });
  ctl('start');
  try {
    const r = await run('inbox', 'cargo', wasmBench('inbox_browser'), 30 * 60_000, {
      SERVICELENS_TEST_COUCH: `http://127.0.0.1:${COUCH_PORT}`,
      WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION: '1',
    });
    const b = benchLine(r.out, 'inbox_pull');
    if (!b) return { error: failure(r) };
    return { n: b.n, pull_open_ms: b.ms, open_ms: b.open_ms, http_ms: b.http_ms };
  } finally {
    ctl('stop');
  }
}

async function benchImport() {
  const r = await run('import', 'cargo', wasmBench('import_browser'), 60 * 60_000);
  const figures = parseImport(r.out, 100_000);
  if (!figures) return { error: failure(r) };
  return figures;
}

function commit() {
  const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

// ---- the run ----

const budgets = JSON.parse(readFileSync(join(root, 'bench/budgets.json'), 'utf8')).budgets;
const started = new Date();
const machine = { cpus: cpus().length, loadavg_start: loadavg().map((x) => Math.round(x * 100) / 100), node: process.version, chromium: chromiumVersion() };
const results = {};
const timings = {};

let built = true;
if (!skipBuild) {
  const r = await run('build', 'trunk', ['build', '--release', '--offline'], 60 * 60_000);
  if (r.code !== 0) {
    built = false;
    results.build = { error: failure(r) };
  }
}
const benches = { first_load: benchFirstLoad, transfer: benchTransfer, lighthouse: benchLighthouse, durable: benchDurable, deliver: benchDeliver, live_sync: benchLiveSync, first_pull: benchFirstPull, filter: benchFilter, filter_1m: benchFilter1m, kpi: benchKpi, import: benchImport, inbox: benchInbox };
const needsDist = new Set(['first_load', 'transfer', 'lighthouse', 'durable', 'deliver', 'live_sync', 'first_pull', 'filter', 'filter_1m']);
for (const step of steps) {
  if (!benches[step]) throw new Error(`unknown step ${step}; steps: ${STEPS.join(', ')}`);
  const t = Date.now();
  if (needsDist.has(step) && !built) {
    results[step] = { error: 'the release build failed' };
    continue;
  }
  console.log(`== ${step} (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  try {
    results[step] = await benches[step]();
  } catch (e) {
    results[step] = { error: String(e.message ?? e).split('\n')[0] };
  }
  timings[step] = Math.round((Date.now() - t) / 1000);
}
machine.loadavg_end = loadavg().map((x) => Math.round(x * 100) / 100);

const breaches = checkBudgets(results, budgets.filter((b) => steps.includes(b.figure.split('.')[0])));

// ---- the table ----

const fl = (k) => results.first_load?.[k];
const splitText = (k) =>
  fl(k) && !fl(k).error ? `wasm ${fl(k).wasm_kb} + js ${fl(k).js_kb} + css ${fl(k).css_kb} + html ${fl(k).html_kb} KB` : undefined;
const transferText = (journey) => {
  const r = results.transfer?.[journey];
  return r && !r.error ? transferSplit(r) : undefined;
};
const lh = (page) => {
  const r = results.lighthouse?.[page];
  if (!r) return undefined;
  if (r.error) return `error: ${r.error}`;
  const pct = (x) => (x === null ? '—' : Math.round(x * 100));
  return `perf ${pct(r.performance)} (LCP ${fmt(r.lcp_ms / 1000)} s, TBT ${fmt(r.tbt_ms)} ms), a11y ${pct(r.accessibility)}, PWA ${pct(r.pwa)} (installable ${r.installable === 1 ? 'yes' : 'no'})`;
};
const kpiRow = (n) => {
  const r = results.kpi?.[n];
  if (!r) return undefined;
  return r.error ? `error: ${r.error}` : `wasm ${fmt(r.wasm_ms)} ms, JS ${fmt(r.js_ms)} ms, ratio ${fmt(r.ratio)}`;
};
const rows = [
  { label: 'first load, survey link (respond.html)', figure: 'first_load.respond.total_kb', unit: 'KB gz' },
  { label: '  split', text: splitText('respond') },
  { label: '  the courier (sealing, delivery), fetched when the customer starts answering', figure: 'first_load.respond.courier_kb', unit: 'KB gz' },
  { label: 'first load, full app (index.html)', figure: 'first_load.app.total_kb', unit: 'KB gz' },
  { label: '  split', text: splitText('app') },
  { label: 'transferred until usable: home', figure: 'transfer.home.total_kb', unit: 'KB' },
  { label: '  split', text: transferText('home') },
  { label: 'transferred until usable: dashboard, 1,000 responses', figure: 'transfer.dashboard.total_kb', unit: 'KB' },
  { label: '  split', text: transferText('dashboard') },
  { label: "transferred until usable: shopper's checklist link", figure: 'transfer.shopper.total_kb', unit: 'KB' },
  { label: '  split', text: transferText('shopper') },
  { label: 'transferred until usable: survey link (respond.html)', figure: 'transfer.survey.total_kb', unit: 'KB' },
  { label: '  split', text: transferText('survey') },
  { label: 'Lighthouse mobile, survey link', text: lh('survey') },
  { label: "Lighthouse mobile, shopper's link", text: lh('shopper') },
  { label: 'Lighthouse mobile, dashboard, 1,000 responses', text: lh('dashboard') },
  { label: 'KPI pass 10k (wasm / plain JS)', text: kpiRow(10_000) },
  { label: 'KPI pass 100k (wasm / plain JS)', text: kpiRow(100_000) },
  { label: 'KPI pass 100k, wasm', figure: 'kpi.100000.wasm_ms', unit: 'ms' },
  { label: 'KPI pass 1M (wasm / plain JS)', text: kpiRow(1_000_000) },
  { label: 'import 100k responses into IndexedDB', figure: 'import.ours_ms', unit: 'ms' },
  { label: 'import, Dexie bulkPut of the same, a record per response', figure: 'import.dexie_ms', unit: 'ms' },
  { label: 'import, Dexie bulkPut, 500 responses a record (our layout)', figure: 'import.dexie_pages_ms', unit: 'ms' },
  { label: 'import time / Dexie time', figure: 'import.ratio' },
  { label: 'answer → durable p50, CPU 4×', figure: 'durable.p50_ms', unit: 'ms' },
  { label: 'answer → durable p95, CPU 4×', figure: 'durable.p95_ms', unit: 'ms' },
  { label: 'submit → delivered p50, CPU 4×', figure: 'deliver.p50_ms', unit: 'ms' },
  { label: 'submit → delivered p95, CPU 4×', figure: 'deliver.p95_ms', unit: 'ms' },
  { label: 'live team sync, stored on one device → in the other\'s records, p50', figure: 'live_sync.p50_ms', unit: 'ms' },
  { label: 'live team sync, p95', figure: 'live_sync.p95_ms', unit: 'ms' },
  { label: 'first team sync of 100k responses into an empty browser', figure: 'first_pull.ours_ms', unit: 'ms' },
  { label: '  PouchDB replicating the same database, same browser', figure: 'first_pull.pouchdb_ms', unit: 'ms' },
  { label: '  ours / PouchDB', figure: 'first_pull.ratio' },
  { label: 'filter change 100k, median', figure: 'filter.median_ms', unit: 'ms' },
  { label: 'filter change 100k, p95', figure: 'filter.p95_ms', unit: 'ms' },
  { label: 'dashboard heap at 100k', figure: 'filter.heap_mb', unit: 'MB' },
  { label: 'dashboard open 100k, until the first KPI', figure: 'filter.open_ms', unit: 'ms' },
  { label: "  the manager's wasm memory", figure: 'filter.wasm_mb', unit: 'MB' },
  { label: 'dashboard open 1M, until the first KPI', figure: 'filter_1m.open_ms', unit: 'ms' },
  { label: "  the manager's wasm memory", figure: 'filter_1m.wasm_mb', unit: 'MB' },
  { label: 'filter change 1M, median', figure: 'filter_1m.median_ms', unit: 'ms' },
  { label: 'filter change 1M, p95', figure: 'filter_1m.p95_ms', unit: 'ms' },
  { label: 'inbox: pull and open 10,000 sealed answers', figure: 'inbox.pull_open_ms', unit: 'ms' },
  { label: '  of which opening (decrypt, checks)', figure: 'inbox.open_ms', unit: 'ms' },
].filter((r) => steps.includes((r.figure ?? '').split('.')[0]) || r.text !== undefined);

const c = commit();
const report = {
  about: 'Written by `make bench` (scripts/bench.mjs); budgets in bench/budgets.json.',
  ...c,
  date: started.toISOString(),
  duration_s: Math.round((Date.now() - started) / 1000),
  machine,
  step_seconds: timings,
  results,
  budgets,
  breaches,
};
const table = formatTable(results, budgets, rows);
console.log('');
console.log(`ServiceLens benchmarks, commit ${c.commit?.slice(0, 10)}${c.dirty ? ' (uncommitted changes)' : ''}, ${started.toISOString()}`);
console.log(`machine: ${machine.cpus} CPUs, load ${machine.loadavg_start.join(' ')} at the start, ${machine.loadavg_end.join(' ')} at the end; ${machine.chromium}`);
console.log(table);
if (outFile) {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nfigures written to ${outFile}; logs in ${logDir}`);
} else console.log(`\nlogs in ${logDir}`);
if (breaches.length) {
  console.log(`\n${breaches.length} budget(s) broken:`);
  for (const b of breaches) console.log(`  - ${b.name}: ${b.reason}`);
  process.exit(1);
}
console.log('\nevery budget holds');
