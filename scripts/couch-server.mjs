#!/usr/bin/env node
// A CouchDB-protocol server for development and tests, on 127.0.0.1 only:
// express-pouchdb (PouchDB's CouchDB emulation) over the in-memory adapter,
// behind the two things it lacks and the app depends on — a CORS layer that
// answers like CouchDB 3's [cors] section, and a longpoll `_changes` that
// honours `timeout` — and a guard for the server-admin routes whose refusal
// express-pouchdb turns into a crash or a hang. Everything is lost on exit.
//
//   node scripts/couch-server.mjs --admin admin:secret [--port 5984]
//        [--origins '*' | --origins http://127.0.0.1:8080,http://localhost:8080]
//        [--no-cors] [--install [--manager name:password]...] [--log FILE]
//
// When ready it prints exactly one line on stdout:
//   couch-server listening on http://127.0.0.1:PORT
// (`--port 0` picks a free port; the line names it). SIGTERM and SIGINT stop
// it cleanly. What it does not emulate is listed in docs/sync.md.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import adapterHttp from 'pouchdb-adapter-http';
import adapterMemory from 'pouchdb-adapter-memory';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

const cleanFilename = createRequire(import.meta.url)('express-pouchdb/lib/clean-filename.js');

export const HOST = '127.0.0.1';

// CouchDB 3's [cors] settings that docs/sync.md tells an operator to set; the
// dev server answers with the same ones so the app meets the same headers.
export const CORS_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'];
export const CORS_HEADERS = ['accept', 'authorization', 'content-type', 'origin', 'referer'];
// chttpd_cors.hrl: headers CouchDB always exposes, and the "simple" response
// headers it exposes when present.
const COUCH_EXPOSED = ['accept-ranges', 'etag', 'server', 'x-couch-request-id', 'x-couch-update-newrev', 'x-couchdb-body-time'];
const SIMPLE_HEADERS = ['cache-control', 'content-language', 'content-type', 'expires', 'last-modified', 'pragma'];
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const CORS_MAX_AGE = 600;
// CouchDB's [chttpd] changes_timeout default, for a longpoll without `timeout`.
const LONGPOLL_DEFAULT_TIMEOUT_MS = 60000;

/**
 * Express middleware answering CORS like CouchDB 3 with `enable_cors = true`
 * and `credentials = true` (src/chttpd/src/chttpd_cors.erl): a request whose
 * Origin is not accepted gets no CORS header at all; an accepted preflight
 * (OPTIONS with Access-Control-Request-Method) is answered 204 by the layer
 * itself when its method and every requested header are allowed; any other
 * OPTIONS falls through like a request CouchDB does not know.
 */
export function corsLayer({ origins = ['*'], methods = CORS_METHODS, headers = CORS_HEADERS } = {}) {
  const acceptAll = origins.includes('*');
  const accepted = (origin) => acceptAll || origins.includes(origin);
  return function cors(req, res, next) {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const requestedMethod = req.headers['access-control-request-method'];
    if (req.method === 'OPTIONS' && requestedMethod !== undefined && accepted(origin)) {
      const raw = req.headers['access-control-request-headers'] ?? '';
      const requested = raw === '' ? [] : raw.split(/,\s*/).map((h) => h.trim().toLowerCase()).filter(Boolean);
      if (methods.includes(requestedMethod) && requested.every((h) => headers.includes(h))) {
        res.statusCode = 204;
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE));
        res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
        // CouchDB never sends credentials for the literal origin "*".
        if (origin !== '*') res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Allow-Headers', raw);
        return res.end();
      }
    }
    // Simple and actual requests: CouchDB lower-cases the origin here.
    const lower = origin.toLowerCase();
    if (accepted(lower)) {
      const writeHead = res.writeHead;
      res.writeHead = function (...args) {
        res.setHeader('Access-Control-Allow-Origin', lower);
        if (lower !== '*') res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Expose-Headers', exposedHeaders(res, args).join(', '));
        return writeHead.apply(this, args);
      };
    }
    return next();
  };
}

// chttpd_cors:maybe_apply_headers: the simple headers the response carries,
// "content-type" first unless its value is one of the simple types, then
// CouchDB's own headers.
function exposedHeaders(res, writeHeadArgs) {
  const extra = writeHeadArgs.find((a) => a && typeof a === 'object') ?? {};
  const names = new Set([...res.getHeaderNames(), ...Object.keys(extra).map((k) => k.toLowerCase())]);
  let exposed = SIMPLE_HEADERS.filter((h) => names.has(h));
  const type = String(res.getHeader('content-type') ?? '').toLowerCase();
  if (!(names.has('content-type') && SIMPLE_CONTENT_TYPES.includes(type))) {
    exposed = ['content-type', ...exposed.filter((h) => h !== 'content-type')];
  }
  return [...exposed, ...COUCH_EXPOSED];
}

function sendJson(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body) + '\n');
}

// The credentials the client sent, for the server's own loopback requests
// that must run with the client's rights.
function authHeaders(req) {
  const h = {};
  if (req.headers.authorization) h.authorization = req.headers.authorization;
  if (req.headers.cookie) h.cookie = req.headers.cookie;
  return h;
}

/**
 * Refuses, as CouchDB 3 does, the server-admin routes that express-pouchdb
 * mishandles for anyone else: creating a database (its refusal throws a
 * TypeError in a callback, which ends the process), deleting one (its
 * refusal leaks a rejected promise, which ends it too), `_replicate` (open to
 * anonymous clients there) and `_all_dbs` (admin-only by default in
 * CouchDB 3). Who the client is comes from express-pouchdb's own `_session`,
 * so cookies and `_users` admins count as they would.
 */
function serverAdminGuard(selfUrl) {
  const dbRoot = /^\/[^/]+\/?$/;
  return async function guard(req, res, next) {
    const path = req.path;
    const needsAdmin =
      ((req.method === 'PUT' || req.method === 'DELETE') && dbRoot.test(path) && !path.startsWith('/_session')) ||
      (path === '/_replicate' && req.method === 'POST') ||
      path === '/_all_dbs';
    if (!needsAdmin) return next();
    try {
      const r = await fetch(`${selfUrl()}/_session`, { headers: authHeaders(req) });
      const session = await r.json();
      if (r.ok && session.userCtx?.roles?.includes('_admin')) return next();
      if (r.status === 401) return sendJson(res, 401, session);
      sendJson(res, 401, { error: 'unauthorized', reason: 'You are not a server admin.' });
    } catch (err) {
      next(err);
    }
  };
}

/**
 * `_changes?feed=longpoll` as CouchDB answers it. express-pouchdb waits for
 * the next change however long it takes (`timeout` is ignored), so a client
 * polling with a timeout would hang. Here the layer asks the server itself
 * for the normal feed with the client's credentials (so `_security` applies
 * unchanged); when that is empty it waits for a change after its `last_seq`
 * or for the timeout, then answers with the changes since or with the empty
 * result. `heartbeat` writes a newline while waiting, as CouchDB does.
 */
function longpollLayer(selfUrl, Pouch) {
  return async function longpoll(req, res, next) {
    const m = /^\/([^/]+)\/_changes$/.exec(req.path);
    if (!m || req.query.feed !== 'longpoll' || (req.method !== 'GET' && req.method !== 'POST')) return next();
    try {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const params = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1));
      const timeout = numberOr(params.get('timeout'), LONGPOLL_DEFAULT_TIMEOUT_MS);
      const heartbeat = numberOr(params.get('heartbeat'), 0);
      for (const p of ['feed', 'timeout', 'heartbeat']) params.delete(p);
      const ask = (since) => {
        if (since !== undefined) params.set('since', JSON.stringify(since));
        return fetch(`${selfUrl()}/${m[1]}/_changes?${params}`, {
          method: req.method,
          headers: { ...authHeaders(req), ...(body ? { 'content-type': 'application/json' } : {}) },
          body,
        });
      };
      const first = await ask();
      const text = await first.text();
      const parsed = first.ok ? changesBody(text) : undefined;
      // The database exists now (or the answer is an error to pass on), so
      // express-pouchdb holds an instance of it to listen to.
      const db = parsed && Pouch.__dbCacheMap?.get(cleanFilename(decodeURIComponent(m[1])));
      if (!parsed || parsed.results.length > 0 || !db) {
        res.statusCode = first.status;
        res.setHeader('Content-Type', first.headers.get('content-type') ?? 'application/json');
        return res.end(text);
      }
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      await new Promise((resolve) => {
        // Listening from the seq the client was just told closes the window
        // between its look and this subscription. It only signals; the data
        // comes through `ask`, with the client's rights.
        const feed = db.changes({ since: parsed.last_seq, live: true, limit: 1 });
        const beat = heartbeat > 0 ? setInterval(() => res.write('\n'), heartbeat) : undefined;
        const timer = setTimeout(() => done(true), timeout);
        let finished = false;
        const done = async (expired) => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          clearInterval(beat);
          feed.cancel();
          res.off('close', onClose);
          try {
            if (res.destroyed) return;
            if (expired) return res.end(JSON.stringify({ results: [], last_seq: parsed.last_seq }) + '\n');
            res.end(await (await ask(parsed.last_seq)).text());
          } catch {
            res.end();
          } finally {
            resolve();
          }
        };
        const onClose = () => done(true);
        feed.on('change', () => done(false));
        feed.on('error', () => done(true));
        res.on('close', onClose);
        if (heartbeat > 0) res.flushHeaders();
      });
    } catch (err) {
      if (!res.headersSent) return next(err);
      res.end();
    }
  };
}

function numberOr(value, fallback) {
  const n = Number(value);
  return value !== null && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

function changesBody(text) {
  try {
    const v = JSON.parse(text);
    return v && Array.isArray(v.results) ? v : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `name:password` → [name, password]; the password may contain colons. */
export function parseCredentials(text) {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) throw new Error(`expected name:password, got "${text}"`);
  return [text.slice(0, i), text.slice(i + 1)];
}

/**
 * Starts the server and resolves once it listens and its admins are set.
 * `admins`: [[name, password], ...], at least one (no admin party).
 * `cors`: false for a server without CORS (the app's "enable CORS" message).
 */
export async function startCouchServer({ port = 5984, admins, cors = true, origins = ['*'], logPath = '/dev/null' } = {}) {
  if (!admins || admins.length === 0) throw new Error('at least one --admin name:password is required');
  const Pouch = PouchDB.plugin(adapterMemory)
    .plugin(adapterHttp)
    .plugin(mapreduce)
    .plugin(replication)
    .defaults({ adapter: 'memory' });
  const pouchApp = expressPouchDB(Pouch, {
    mode: 'fullCouchDB',
    inMemoryConfig: true,
    logPath,
    // The bundled Fauxton UI is not needed and would be the only thing served
    // from disk.
    overrideMode: { exclude: ['routes/fauxton'] },
  });
  await Promise.all(
    admins.map(([name, password]) => new Promise((resolve, reject) => pouchApp.couchConfig.set('admins', name, password, (err) => (err ? reject(err) : resolve())))),
  );

  let url = '';
  const selfUrl = () => url;
  const app = express();
  app.disable('x-powered-by');
  if (cors) app.use(corsLayer({ origins }));
  app.use((req, res, next) => {
    // CouchDB answers an OPTIONS it does not take as a preflight like any
    // method a resource does not allow.
    if (req.method !== 'OPTIONS') return next();
    sendJson(res, 405, { error: 'method_not_allowed', reason: 'Only DELETE,GET,HEAD,POST,PUT allowed' });
  });
  app.use(serverAdminGuard(selfUrl));
  app.use(longpollLayer(selfUrl, Pouch));
  pouchApp.disable('x-powered-by');
  app.use(pouchApp);

  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, HOST, () => resolve(s));
    s.on('error', reject);
  });
  const actual = server.address().port;
  url = `http://${HOST}:${actual}`;
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Longpoll and keep-alive connections would hold close() open.
        for (const s of sockets) s.destroy();
      }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5984' },
      admin: { type: 'string', multiple: true },
      origins: { type: 'string', default: '*' },
      'no-cors': { type: 'boolean', default: false },
      install: { type: 'boolean', default: false },
      manager: { type: 'string', multiple: true },
      log: { type: 'string', default: '/dev/null' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  const admins = (values.admin ?? []).map(parseCredentials);
  const origins = values.origins.split(',').map((o) => o.trim()).filter(Boolean);
  // A library bug must not end a server other processes are talking to;
  // it is still reported.
  process.on('unhandledRejection', (err) => console.error('couch-server: unhandled rejection:', err?.message ?? err));
  const srv = await startCouchServer({ port, admins, cors: !values['no-cors'], origins, logPath: values.log });
  if (values.install) {
    const { install } = await import('./couch-install.mjs');
    const [user, password] = admins[0];
    await install({ url: srv.url, user, password, managers: (values.manager ?? []).map(parseCredentials), log: (line) => console.error(line) });
  }
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`couch-server listening on ${srv.url}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`couch-server: ${err.message}`);
    process.exit(1);
  });
}
