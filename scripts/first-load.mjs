#!/usr/bin/env node
// The bytes a visitor downloads before a page of the build is usable: the
// HTML entry and every file it loads to start, followed through the loader
// scripts (the one scripts/post-build.mjs moved out of the HTML, the
// wasm-bindgen glue it imports and the wasm that glue fetches). Each file is
// counted once, raw and gzipped at level 9 (what `gzip -9` and most static
// hosts send); icons and the web manifest are listed apart, since nothing
// waits for them. Modules the page loads only when a screen asks for them
// (the manager's module, named by `<meta name="servicelens-…"
// content="./….js">`, see src/app/lazy.rs) are followed the same way and
// listed as `later`, outside the first load's total.
//
//   node scripts/first-load.mjs [dist/respond.html] [--json] [--budget-kb N]
//
// --json prints the figures for a harness (the benchmarks of issue 10 import
// `firstLoad` instead); --budget-kb exits 1 when the gzipped total is above N KB.
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Relative references of an HTML page: what it needs to start, what can wait. */
export function htmlReferences(html) {
  const needed = [];
  const later = [];
  const lazy = [];
  for (const m of html.matchAll(/<meta\b[^>]*\bname="servicelens-[^"]*"[^>]*>/gi)) {
    const src = m[0].match(/\bcontent="(\.{1,2}\/[^"]+\.js)"/i)?.[1];
    if (src) lazy.push(src);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/gi)) needed.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const href = tag.match(/\bhref="([^"]+)"/i)?.[1];
    const rel = (tag.match(/\brel="([^"]+)"/i)?.[1] ?? '').toLowerCase();
    if (!href) continue;
    if (/\b(stylesheet|modulepreload|preload)\b/.test(rel)) needed.push(href);
    else later.push(href);
  }
  // An inline loader (a debug build keeps it in the HTML) names its files too.
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) needed.push(...scriptReferences(m[1]));
  return { needed, later, lazy };
}

/** Relative module imports and wasm files a script names. */
export function scriptReferences(js) {
  const code = js.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const refs = [];
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) refs.push(m[1]);
  // Only explicit relative paths: wasm-bindgen's glue names its default
  // `<name>_bg.wasm` as a fallback, unused when the loader passes the file.
  for (const m of code.matchAll(/['"](\.{1,2}\/[\w./-]+\.wasm)['"]/g)) refs.push(m[1]);
  return refs;
}

function local(ref) {
  return !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('//') && !ref.startsWith('#');
}

/**
 * The files `entry` (a path inside `dist`) loads before it is usable, each
 * with its raw and gzipped size, and the total. `deferred` lists the files
 * the page names but does not wait for (icons, manifest); `later` the
 * modules loaded on demand, with every file they load and their own total.
 */
export async function firstLoad(dist, entry) {
  const root = resolve(dist);
  const size = async (file) => {
    const body = await readFile(join(root, file));
    return { file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  };
  const seen = new Set();
  const visit = async (file, into) => {
    if (seen.has(file)) return;
    seen.add(file);
    const entryFile = await size(file);
    into.push(entryFile);
    if (!file.endsWith('.js')) return;
    const js = await readFile(join(root, file), 'utf8');
    for (const ref of scriptReferences(js)) await visit(inDist(root, file, ref), into);
  };
  const html = await readFile(join(root, entry), 'utf8');
  seen.add(entry);
  const files = [await size(entry)];
  const { needed, later: other, lazy } = htmlReferences(html);
  for (const ref of needed.filter(local)) await visit(inDist(root, entry, ref), files);
  const deferred = [];
  for (const ref of other.filter(local)) deferred.push(await size(inDist(root, entry, ref)));
  // Files the first load already brought are not counted again.
  const laterFiles = [];
  for (const ref of lazy.filter(local)) await visit(inDist(root, entry, ref), laterFiles);
  return { entry, files, total: sum(files), deferred, later: { files: laterFiles, total: sum(laterFiles) } };
}

const sum = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });

function inDist(root, from, ref) {
  const path = ref.split(/[?#]/)[0];
  const file = normalize(join(dirname(join(root, from)), path));
  if (!file.startsWith(root)) throw new Error(`${from} loads ${ref}, outside the build`);
  return relative(root, file);
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8);

export function report({ entry, files, total, deferred, later }) {
  const lines = [`first load of ${entry} (KB = 1024 bytes; gzip level 9)`, `${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)}  file`];
  for (const f of files) lines.push(`${kb(f.raw)} ${kb(f.gzip)}  ${f.file}`);
  lines.push(`${kb(total.raw)} ${kb(total.gzip)}  total before the page is usable (${total.gzip} bytes gzipped)`);
  for (const f of deferred) lines.push(`${kb(f.raw)} ${kb(f.gzip)}  ${f.file} (not waited for)`);
  if (later?.files.length) {
    lines.push('loaded later, when a screen of a module on demand opens:');
    for (const f of later.files) lines.push(`${kb(f.raw)} ${kb(f.gzip)}  ${f.file}`);
    lines.push(`${kb(later.total.raw)} ${kb(later.total.gzip)}  total loaded later (${later.total.gzip} bytes gzipped)`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const json = args.includes('--json') && args.splice(args.indexOf('--json'), 1);
  const budget = flag('--budget-kb');
  const html = resolve(args[0] ?? 'dist/index.html');
  const result = await firstLoad(dirname(html), relative(dirname(html), html));
  console.log(json ? JSON.stringify(result, null, 2) : report(result));
  if (budget !== undefined && result.total.gzip > Number(budget) * 1024) {
    console.error(`first-load: ${(result.total.gzip / 1024).toFixed(1)} KB gzipped is over the budget of ${budget} KB`);
    process.exit(1);
  }
}
