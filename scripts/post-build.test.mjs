// Unit tests of the build's post-build hook: node --test scripts/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropUnusedPreloads, minifyStyles } from './post-build.mjs';

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

test('minifyStyles drops comments and spaces, keeps the rules, and the integrity matches the new bytes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'servicelens-post-build-'));
  try {
    const css = `/* The design system's notes: prose the browser never needs. */
:root {
  --c-ink: #17202a; /* text */
}
@media (prefers-color-scheme: dark) {
  :root { --c-ink: #e8edf2; }
}
.primary  {  color : var(--c-ink) ;  }
`;
    await writeFile(join(dir, 'base-0123.css'), css);
    await writeFile(join(dir, 'vendor.js'), 'x');
    const page = `<head>
<link rel="stylesheet" href="./base-0123.css" integrity="${sri(css)}"/>
<link rel="modulepreload" href="./vendor.js" integrity="${sri('x')}">
</head>`;
    await writeFile(join(dir, 'index.html'), page);

    await minifyStyles(dir, 'index.html');

    const out = await readFile(join(dir, 'base-0123.css'), 'utf8');
    assert.ok(!out.includes('/*'), out);
    assert.ok(out.length < css.length * 0.6, out);
    assert.match(out, /--c-ink:#17202a/);
    assert.match(out, /@media \(prefers-color-scheme:dark\)\{:root\{--c-ink:#e8edf2\}\}/);
    assert.match(out, /\.primary\{color:var\(--c-ink\)\}/);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    assert.ok(html.includes(`href="./base-0123.css" integrity="${sri(out)}"`), html);
    // Only stylesheets are touched.
    assert.ok(html.includes(`href="./vendor.js" integrity="${sri('x')}"`), html);
    assert.equal(await readFile(join(dir, 'vendor.js'), 'utf8'), 'x');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dropUnusedPreloads keeps the snippets the glue imports and drops the others', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'servicelens-post-build-'));
  try {
    await writeFile(join(dir, 'app-1.js'), "import { putPage } from './snippets/app-1/src/put_all.js';\n");
    const page = (glue) => `<head>
<link rel="modulepreload" href="./${glue}" crossorigin="anonymous" integrity="sha384-a">
<link rel="modulepreload" href="./snippets/app-1/src/put_all.js" crossorigin="anonymous" integrity="sha384-b">
<link rel="modulepreload" href="./snippets/app-1/src/other.js" crossorigin="anonymous" integrity="sha384-c">
</head>`;
    await writeFile(join(dir, 'index.html'), page('app-1.js'));
    await dropUnusedPreloads(dir, 'index.html');
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    assert.ok(html.includes('href="./app-1.js"'), html);
    assert.ok(html.includes('href="./snippets/app-1/src/put_all.js"'), html);
    assert.ok(!html.includes('other.js'), html);

    // A page whose glue imports no snippet preloads none.
    await writeFile(join(dir, 'lean-1.js'), 'export default 1;\n');
    await writeFile(join(dir, 'lean.html'), page('lean-1.js'));
    await dropUnusedPreloads(dir, 'lean.html');
    const lean = await readFile(join(dir, 'lean.html'), 'utf8');
    assert.ok(lean.includes('href="./lean-1.js"'), lean);
    assert.ok(!lean.includes('snippets/'), lean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
