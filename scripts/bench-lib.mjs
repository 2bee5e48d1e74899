// The pure side of `make bench` (scripts/bench.mjs): reading the figures the
// benchmarks print, checking them against bench/budgets.json and laying out
// the table. No I/O here, so scripts/bench.test.mjs can test it with node.

/**
 * Every `BENCH <name> key=value …` line of a benchmark's output (anywhere in
 * the line: wasm-bindgen-test and Playwright prefix their own text), as
 * `{ name, fields }` with numeric values parsed.
 */
export function parseBenchLines(text) {
  const out = [];
  for (const m of text.matchAll(/\bBENCH ([\w-]+)((?: +[\w.-]+=[^\s]+)+)/g)) {
    const fields = {};
    for (const kv of m[2].trim().split(/ +/)) {
      const i = kv.indexOf('=');
      const raw = kv.slice(i + 1);
      const num = Number(raw);
      fields[kv.slice(0, i)] = raw !== '' && Number.isFinite(num) ? num : raw;
    }
    out.push({ name: m[1], fields });
  }
  return out;
}

/** The fields of the last `BENCH <name>` line, or undefined. */
export function benchLine(text, name) {
  return parseBenchLines(text)
    .filter((l) => l.name === name)
    .at(-1)?.fields;
}

/**
 * The import benchmark's figures: its `BENCH import` line, or, from a
 * version of tests/import_browser.rs that prints only its table, the row of
 * `n` responses (columns: responses, file MB, write, parse, merge, apply,
 * ours ms | JSON, bulk, Dexie ms | ratio).
 */
export function parseImport(text, n = 100_000) {
  const line = parseBenchLines(text).filter((l) => l.name === 'import' && (l.fields.n ?? n) === n).at(-1);
  if (line) {
    const { ours_ms, dexie_ms, ratio, dexie_pages_ms } = line.fields;
    return { n, ours_ms, dexie_ms, ratio, ...(dexie_pages_ms === undefined ? {} : { dexie_pages_ms }) };
  }
  for (const row of text.split('\n')) {
    const cells = row
      .replace(/\|/g, ' ')
      .trim()
      .split(/\s+/)
      .filter((c) => /^-?[\d.]+$/.test(c))
      .map(Number);
    if (cells.length === 11 && cells[0] === n) {
      return { n, ours_ms: cells[6], dexie_ms: cells[9], ratio: cells[10] };
    }
  }
  return undefined;
}

/** `obj` at a dotted path, and the last `error` met on the way down. */
export function figureAt(obj, path) {
  let cur = obj;
  let error = obj?.error;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return { value: undefined, error };
    cur = cur[key];
    if (cur && typeof cur === 'object' && cur.error) error = cur.error;
  }
  return { value: typeof cur === 'number' && Number.isFinite(cur) ? cur : undefined, error };
}

/**
 * Broken budgets: each figure above its `max` (or below its `min`), each
 * figure missing (with the error of the benchmark that should have given
 * it), and each benchmark that failed without any budget naming it.
 */
export function checkBudgets(results, budgets) {
  const breaches = [];
  for (const b of budgets) {
    const { value, error } = figureAt(results, b.figure);
    if (value === undefined) {
      breaches.push({ name: b.name, figure: b.figure, reason: error ? `error: ${error}` : 'no figure' });
    } else if (b.max !== undefined && value > b.max) {
      breaches.push({ name: b.name, figure: b.figure, value, reason: `${fmt(value)} > ${fmt(b.max)}${unit(b)}` });
    } else if (b.min !== undefined && value < b.min) {
      breaches.push({ name: b.name, figure: b.figure, value, reason: `${fmt(value)} < ${fmt(b.min)}${unit(b)}` });
    }
  }
  for (const [bench, r] of Object.entries(results)) {
    for (const [where, error] of errorsIn(r, bench)) {
      // Already reported as the missing figure of a budget.
      if (budgets.some((b) => b.figure.startsWith(`${where}.`))) continue;
      breaches.push({ name: `${where} benchmark`, figure: where, reason: `error: ${error}` });
    }
  }
  return breaches;
}

function* errorsIn(r, path) {
  if (!r || typeof r !== 'object') return;
  if (r.error) {
    yield [path, r.error];
    return;
  }
  for (const [k, v] of Object.entries(r)) yield* errorsIn(v, `${path}.${k}`);
}

const unit = (b) => (b.unit ? ` ${b.unit}` : '');

export function fmt(x, digits) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x ?? '—');
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toFixed(d);
}

/**
 * The table: one row per figure, with its budget and whether it holds.
 * `rows` are `{ label, figure, text? }`: `text` shows instead of the figure
 * (a split, a note); a row naming a budgeted figure gets the budget column.
 */
export function formatTable(results, budgets, rows) {
  const lines = [];
  const cells = rows.map((row) => {
    const budget = budgets.find((b) => b.figure === row.figure);
    const { value, error } = row.figure ? figureAt(results, row.figure) : {};
    let shown = row.text ?? (value !== undefined ? `${fmt(value)}${row.unit ? ` ${row.unit}` : ''}` : error ? `error: ${error}` : '—');
    if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
    let limit = '';
    let status = '';
    if (budget) {
      limit = budget.max !== undefined ? `≤ ${fmt(budget.max)}${unit(budget)}` : `≥ ${fmt(budget.min)}${unit(budget)}`;
      const ok = value !== undefined && (budget.max === undefined || value <= budget.max) && (budget.min === undefined || value >= budget.min);
      status = ok ? 'ok' : 'BROKEN';
    } else if (!row.text && error) status = 'ERROR';
    return [row.label, shown, limit, status];
  });
  const head = ['figure', 'value', 'budget', ''];
  const width = [0, 1, 2].map((i) => Math.max(head[i].length, ...cells.map((c) => c[i].length)));
  const line = (c) => `${c[0].padEnd(width[0])}  ${c[1].padStart(width[1])}  ${c[2].padEnd(width[2])}  ${c[3]}`.trimEnd();
  lines.push(line(head));
  lines.push('-'.repeat(width[0] + width[1] + width[2] + 12));
  for (const c of cells) lines.push(line(c));
  return lines.join('\n');
}

/** p-th percentile (nearest rank) of numbers. */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The kinds of file a transfer is split into, in the table's order. */
export const TRANSFER_TYPES = ['wasm', 'js', 'css', 'html', 'other'];

/**
 * The kind of one transferred file: from the type the server sent, else
 * from the path's extension (a page URL such as `./` has none).
 */
export function transferType(url, mimeType = '') {
  const mime = mimeType.toLowerCase();
  if (mime === 'application/wasm') return 'wasm';
  if (/(java|ecma)script/.test(mime)) return 'js';
  if (mime === 'text/css') return 'css';
  if (mime === 'text/html') return 'html';
  const ext = new URL(url, 'http://x/').pathname.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  if (ext === 'mjs') return 'js';
  return ext && TRANSFER_TYPES.includes(ext) ? ext : 'other';
}

/**
 * What a journey transferred, from the browser's network log: `requests`
 * are `{ url, mimeType, bytes }`, bytes being what the browser received for
 * each (CDP `Network.loadingFinished` encodedDataLength: the encoded body
 * and the response headers). Only http(s) requests count: data: and blob:
 * URLs never cross the network. `base` (the page's origin) shortens the
 * listed files to their path.
 */
export function transferSummary(requests, base) {
  const by = Object.fromEntries(TRANSFER_TYPES.map((t) => [t, 0]));
  const files = [];
  for (const r of requests) {
    if (!/^https?:/i.test(r.url)) continue;
    const type = transferType(r.url, r.mimeType);
    by[type] += r.bytes;
    const file = base && r.url.startsWith(base) ? r.url.slice(base.length) || '/' : r.url;
    files.push({ file, type, bytes: r.bytes });
  }
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  return { total_kb: Math.round((total / 1024) * 10) / 10, total_bytes: total, by_type: by, requests: files.length, files };
}

/**
 * A summary's split for the table, short enough for its column: `wasm 519,
 * js 12, css 4.7, html 1.2 KB; 8 req` (KB whole from 10 up; types with no
 * bytes left out).
 */
export function transferSplit(summary) {
  const kb = (bytes) => fmt(bytes / 1024, bytes >= 10 * 1024 ? 0 : 1);
  const parts = TRANSFER_TYPES.filter((t) => summary.by_type[t] > 0).map((t) => `${t} ${kb(summary.by_type[t])}`);
  return `${parts.join(', ') || 'nothing'} KB; ${summary.requests} req`;
}
