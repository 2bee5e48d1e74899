// A tiny static server for the release build: serves dist/ at the root and,
// to prove relative URLs, again under /some/sub/path/. No dependencies.
// `startServer` is also used by tests that swap builds under a live page,
// and, with `gzip`, by `make bench` to send what a static host sends.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const SUB_PATH = '/some/sub/path/';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

// What static hosts compress (text and wasm; images are compressed already).
const compressible = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.svg', '.json', '.webmanifest']);

/**
 * Serves the directory `root()` returns at the time of each request. With
 * `gzip`, compressible files go gzip-encoded (level 9, what first-load.mjs
 * counts and what a host precompressing with `gzip -9` sends) to a client
 * that accepts it.
 */
export function startServer({ root, port, gzip = false }) {
  // Compressed bodies by file and modification time: builds swap under it.
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    const dist = resolve(root());
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.startsWith(SUB_PATH)) path = '/' + path.slice(SUB_PATH.length);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      let body = await readFile(file);
      const headers = {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      };
      if (gzip && compressible.has(extname(file))) {
        headers.vary = 'Accept-Encoding';
        if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
          const key = `${file}:${info.mtimeMs}`;
          if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
          body = gzipped.get(key);
          headers['content-encoding'] = 'gzip';
        }
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.env.DIST_DIR ?? join(here, '..', '..', 'dist');
  const port = Number(process.env.PORT ?? 4173);
  const gzip = process.env.GZIP === '1';
  await startServer({ root: () => dist, port, gzip });
  console.log(`serving ${resolve(dist)}${gzip ? ' gzip-encoded' : ''} on http://127.0.0.1:${port}/ and ${SUB_PATH}`);
}
