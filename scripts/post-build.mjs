// Trunk post-build hook (Trunk.toml [[hooks]]): finishes dist/ in Trunk's
// staging directory.
//  * builds the other pages (PAGES: the customer's lean survey page) with a
//    nested `trunk build <page>` into a temporary directory and copies them
//    in: Trunk 0.21 builds one HTML file per run, and this way one
//    `trunk build` (or `make release`, `trunk serve`) still makes them all.
//    The nested run reads the same Trunk.toml (offline, pinned tools) and
//    runs this hook too, which then only finishes its own page;
//  * builds the modules pages load on demand (MODULES: the manager's
//    screens; the courier, which seals and delivers field devices'
//    answers; src/web/platform/module.rs) the same way, keeps their files
//    but not their page, writes each one's loader (`manager-boot-<hash>.js`:
//    imports its classic scripts such as Chart.js and its wasm-bindgen glue,
//    starts its wasm and leaves the exports as a promise on `window`) and
//    names that loader in the pages that use it (`<meta
//    name="servicelens-manager">`), so nothing of it is fetched before a
//    page asks for it;
//  * release: moves Trunk's inline loader script of every page into a file
//    and adds the Content-Security-Policy meta tag, so the policy needs no
//    inline scripts;
//  * release: minifies every stylesheet a page links (lightningcss, the
//    minifier Trunk's own `minify` uses, which this build cannot turn on
//    for CSS alone: it would minify the wasm-bindgen glue too) and updates
//    the page's integrity hash, so a customer's survey does not download
//    the design system's comments;
//  * release: drops the page's preloads of wasm-bindgen snippets its own
//    glue does not import (Trunk preloads every snippet of the crate, so
//    the survey page fetched the import's bulk-put helper);
//  * writes sw.js with the list of every file of the build and a version
//    derived from their contents (debug builds get a worker that caches
//    nothing, so `make serve` never serves stale files).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';

/** HTML entry points built beside index.html, each by a nested Trunk run. */
export const PAGES = ['respond.html'];

/**
 * Wasm modules pages load on demand, each built from its own HTML by a
 * nested Trunk run: `meta` names the loader in the pages `into`, `global`
 * is the window property its exports arrive on (both read by
 * src/web/platform/module.rs, which lists the same modules).
 */
export const MODULES = [
  { page: 'manager.html', name: 'manager', meta: 'servicelens-manager', global: 'servicelensManager', into: ['index.html'] },
  { page: 'courier.html', name: 'courier', meta: 'servicelens-courier', global: 'servicelensCourier', into: ['index.html', 'respond.html'] },
];

/**
 * The Content-Security-Policy of `page`. 'wasm-unsafe-eval': WebAssembly
 * compilation. 'unsafe-eval' only where charts are drawn (index.html, into
 * which the manager's module mounts the dashboard): chart-js-rs calls
 * js_sys::eval on every render (a canvas-background plugin and a zoom
 * watcher from strings) and builds a JSON replacer with `new Function`.
 * respond.html draws no chart, so a customer's page may evaluate no string.
 * Scripts load only from our own origin either way.
 *
 * connect-src: the team's server is chosen at run time (a manager's
 * setting, or the server a link names), so a policy fixed at build time
 * cannot name it. It allows any https origin and plain http only on the
 * loopback (the dev server of `make couch`); which origins the app really
 * talks to is decided in code by one rule (src/delivery/server.rs,
 * `Allowed`: the app's own origin and the configured server). A host that
 * knows its server can send a stricter policy as a header (README).
 */
export function cspFor(page) {
  const charts = page !== 'respond.html';
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${charts ? " 'unsafe-eval'" : ''}`,
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

async function files(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

export async function externaliseLoader(dir, page = 'index.html') {
  const indexPath = join(dir, page);
  let html = await readFile(indexPath, 'utf8');
  const inline = /<script type="module">([\s\S]*?)<\/script>/;
  const m = html.match(inline);
  if (m) {
    const body = m[1].trim() + '\n';
    const name = `boot-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
    await writeFile(join(dir, name), body);
    html = html.replace(inline, `<script type="module" src="./${name}"></script>`);
  }
  if (!html.includes('Content-Security-Policy')) {
    html = html.replace(/<meta charset="utf-8"\s*\/?>/i, (tag) => `${tag}\n    <meta http-equiv="Content-Security-Policy" content="${cspFor(page)}" />`);
  }
  await writeFile(indexPath, html);
}

/** Minifies the stylesheets `page` links in `dir` and rewrites their integrity hashes. */
export async function minifyStyles(dir, page) {
  const { transform } = await import('lightningcss');
  const pagePath = join(dir, page);
  let html = await readFile(pagePath, 'utf8');
  const links = [...html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+\.css)" integrity="(sha384-[^"]+)"\s*\/?>/g)];
  for (const [tag, file, integrity] of links) {
    const path = join(dir, file);
    const { code } = transform({ filename: file, code: await readFile(path), minify: true });
    await writeFile(path, code);
    const sri = `sha384-${createHash('sha384').update(code).digest('base64')}`;
    html = html.replace(tag, tag.replace(integrity, sri));
  }
  await writeFile(pagePath, html);
}

/** Removes `page`'s modulepreloads of snippets that no other script it preloads imports. */
export async function dropUnusedPreloads(dir, page) {
  const pagePath = join(dir, page);
  let html = await readFile(pagePath, 'utf8');
  const preloads = [...html.matchAll(/<link rel="modulepreload" href="\.\/([^"]+\.js)"[^>]*>/g)];
  const glue = preloads.filter(([, f]) => !f.startsWith('snippets/'));
  const imported = (await Promise.all(glue.map(([, f]) => readFile(join(dir, f), 'utf8')))).join('\n');
  for (const [tag, file] of preloads) {
    if (file.startsWith('snippets/') && !imported.includes(`./${file}`)) html = html.replace(tag, '');
  }
  await writeFile(pagePath, html);
}

/** Rewrites dir/sw.js from its template with the build's file list. */
export async function writeServiceWorker(dir, template, release) {
  const all = (await files(dir))
    .map((f) => relative(dir, f).split(sep).join('/'))
    .filter((f) => f !== 'sw.js')
    .sort();
  const hash = createHash('sha256');
  for (const f of all) hash.update(f).update('\0').update(await readFile(join(dir, f)));
  const version = hash.digest('hex').slice(0, 16);
  const precache = release ? ['./', ...all.map((f) => `./${f}`)] : [];
  let sw = template.replace('__BUILD_VERSION__', version).replace('__PRECACHE_MANIFEST__', JSON.stringify(precache, null, 2));
  if (!release) sw = sw.replace(/self\.addEventListener\('fetch'[\s\S]*$/, '// Debug build: no fetch handler, nothing served from cache.\n');
  await writeFile(join(dir, 'sw.js'), sw);
  return { version, files: all.length };
}

/** Builds `page` with its own Trunk run and copies its files into `dir`. */
export async function buildPage(dir, page, release, finish = async () => {}) {
  const out = await mkdtemp(join(tmpdir(), 'servicelens-page-'));
  try {
    const args = ['build', page, '--html-output', page, '--dist', out, '--offline', ...(release ? ['--release'] : [])];
    const run = spawnSync('trunk', args, { stdio: 'inherit', cwd: process.env.TRUNK_SOURCE_DIR });
    if (run.status !== 0) throw new Error(`trunk ${args.join(' ')} failed (${run.error ?? `exit ${run.status}`})`);
    await finish(out);
    // The nested run copies nothing else: its page, its wasm, loader and css.
    await cp(out, dir, { recursive: true });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * Turns the nested build of a module's page (in `out`) into the module's
 * loader script, drops the page itself and returns the loader's file name.
 */
export async function moduleLoader(out, { page, name, global }) {
  const html = await readFile(join(out, page), 'utf8');
  const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/)?.[1] ?? '';
  const glue = inline.match(/from\s*'\.\/([^']+\.js)'/)?.[1];
  const wasm = inline.match(/module_or_path:\s*'\.\/([^']+\.wasm)'/)?.[1];
  if (!glue || !wasm) throw new Error(`${page}: no wasm-bindgen loader found in Trunk's output`);
  // Classic scripts of the page (Chart.js' UMD build sets globalThis.Chart
  // when imported as a module too), in their order, before the glue.
  const classic = [...html.matchAll(/<script\b(?![^>]*type="module")[^>]*\bsrc="\.\/([^"]+)"[^>]*>/g)].map((m) => m[1]);
  const body = [
    `// The ${name} module, loaded on demand by src/web/platform/module.rs (see scripts/post-build.mjs).`,
    ...classic.map((f) => `import './${f}';`),
    `import init, * as bindings from './${glue}';`,
    // The memory is for the benchmarks (tests/e2e/dashboard.bench.mjs reports its size).
    `const ready = init({ module_or_path: './${wasm}' }).then((wasm) => ((ready.memory = wasm.memory), (ready.exports = bindings)));`,
    `window.${global} = ready;`,
    '',
  ].join('\n');
  const loader = `${name}-boot-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
  await writeFile(join(out, loader), body);
  await rm(join(out, page));
  return loader;
}

/** Names a module's loader in the page `into`, for src/web/platform/module.rs. */
export async function announceModule(dir, meta, loader, into = 'index.html') {
  const indexPath = join(dir, into);
  const html = await readFile(indexPath, 'utf8');
  const tag = `<meta name="${meta}" content="./${loader}" />`;
  await writeFile(indexPath, html.replace(/<meta charset="utf-8"\s*\/?>/i, (m) => `${m}\n    ${tag}`));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) throw new Error('TRUNK_STAGING_DIR is not set');
  const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
  const page = basename(process.env.TRUNK_HTML_FILE ?? 'index.html');
  if (PAGES.includes(page)) {
    // The nested run of buildPage: only its own page to finish.
    if (release) await externaliseLoader(dir, page);
    if (release) await minifyStyles(dir, page);
    if (release) await dropUnusedPreloads(dir, page);
    console.log(`post-build: ${page} finished`);
  } else if (MODULES.some((m) => m.page === page)) {
    // The nested run of a module: the parent run writes its loader.
    console.log(`post-build: ${page} built`);
  } else {
    for (const p of PAGES) await buildPage(dir, p, release);
    for (const m of MODULES) {
      let loader;
      await buildPage(dir, m.page, release, async (out) => {
        loader = await moduleLoader(out, m);
      });
      for (const into of m.into) await announceModule(dir, m.meta, loader, into);
    }
    if (release) await externaliseLoader(dir);
    if (release) await minifyStyles(dir, 'index.html');
    if (release) await dropUnusedPreloads(dir, 'index.html');
    const template = await readFile(new URL('../public/sw.js', import.meta.url), 'utf8');
    const { version, files: n } = await writeServiceWorker(dir, template, release);
    console.log(`post-build: sw.js version ${version}, ${n} files precached${release ? '' : ' (debug: none)'}`);
  }
}
