#!/usr/bin/env node
// Sets up a CouchDB-protocol server (CouchDB 3, or the dev server of
// scripts/couch-server.mjs) for ServiceLens, with admin credentials:
//   - `_users` (a fresh single-node CouchDB 3 may not have it yet);
//   - the inbox (anyone may create a sealed answer, nothing else), the forms
//     database (anyone reads, managers write) and the team database (only
//     managers), each with its `_security` document;
//   - the design documents of couch/*.design.json, updated in place when
//     they differ;
//   - optionally manager users (role servicelens-manager) in `_users`.
// Running it again changes nothing that is already right.
//
//   node scripts/couch-install.mjs --url http://127.0.0.1:5984 --user admin --password secret
//        [--team team] [--inbox inbox] [--forms forms] [--manager name:password]...
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const MANAGER_ROLE = 'servicelens-manager';

const couchDir = new URL('../couch/', import.meta.url);
export const INBOX_DESIGN = JSON.parse(readFileSync(new URL('inbox.design.json', couchDir), 'utf8'));
export const FORMS_DESIGN = JSON.parse(readFileSync(new URL('forms.design.json', couchDir), 'utf8'));

const open = { names: [], roles: [] };
// No members means anyone may read and write documents, which the inbox
// (anonymous creates) and the forms database (anonymous reads) need; their
// design documents then decide what a write may be. CouchDB 3 creates
// databases admin-only, so this has to be said explicitly.
export const PUBLIC_SECURITY = { admins: open, members: open };
export const TEAM_SECURITY = { admins: open, members: { names: [], roles: [MANAGER_ROLE] } };

/** The databases, their `_security` and design documents, by default names. */
export function plan({ inbox = 'inbox', forms = 'forms', team = 'team' } = {}) {
  return [
    { db: inbox, security: PUBLIC_SECURITY, design: INBOX_DESIGN },
    { db: forms, security: PUBLIC_SECURITY, design: FORMS_DESIGN },
    { db: team, security: TEAM_SECURITY, design: null },
  ];
}

function client(url, user, password) {
  const base = url.replace(/\/+$/, '');
  const authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  return async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text };
    }
    return { status: res.status, json };
  };
}

function fail(what, r) {
  return new Error(`${what}: HTTP ${r.status} ${r.json.error ?? ''} ${r.json.reason ?? r.json.raw ?? ''}`.trim());
}

// Compares a stored document with the wanted one, ignoring `_rev`.
function same(stored, wanted) {
  const { _rev, ...rest } = stored;
  return JSON.stringify(sortKeys(rest)) === JSON.stringify(sortKeys(wanted));
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

async function ensureDb(call, db, log) {
  const r = await call('PUT', `/${encodeURIComponent(db)}`);
  if (r.status === 201 || r.status === 202) return log(`created database ${db}`);
  if (r.status === 412) return log(`database ${db} exists`);
  throw fail(`creating database ${db}`, r);
}

async function ensureDoc(call, db, doc, log) {
  const path = `/${encodeURIComponent(db)}/${doc._id.startsWith('_design/') ? '_design/' + encodeURIComponent(doc._id.slice(8)) : encodeURIComponent(doc._id)}`;
  const got = await call('GET', path);
  if (got.status === 200 && same(got.json, doc)) return log(`${db}/${doc._id} is current`);
  if (got.status !== 200 && got.status !== 404) throw fail(`reading ${db}/${doc._id}`, got);
  const body = got.status === 200 ? { ...doc, _rev: got.json._rev } : doc;
  const put = await call('PUT', path, body);
  if (put.status !== 201 && put.status !== 202) throw fail(`writing ${db}/${doc._id}`, put);
  log(`${got.status === 200 ? 'updated' : 'installed'} ${db}/${doc._id}`);
}

async function ensureUser(call, [name, password], log) {
  const id = `org.couchdb.user:${name}`;
  const path = `/_users/${encodeURIComponent(id)}`;
  const got = await call('GET', path);
  if (got.status !== 200 && got.status !== 404) throw fail(`reading user ${name}`, got);
  const roles = got.status === 200 ? [...new Set([...(got.json.roles ?? []), MANAGER_ROLE])] : [MANAGER_ROLE];
  // The password is always (re)set: the stored one is hashed and cannot be
  // compared.
  const body = { ...(got.status === 200 ? got.json : {}), _id: id, name, type: 'user', roles, password };
  const put = await call('PUT', path, body);
  if (put.status !== 201 && put.status !== 202) throw fail(`writing user ${name}`, put);
  log(`manager ${name} ${got.status === 200 ? 'updated' : 'created'} (role ${MANAGER_ROLE})`);
}

/** Installs everything; throws with the server's answer on the first failure. */
export async function install({ url, user, password, inbox, forms, team, managers = [], log = console.log }) {
  const call = client(url, user, password);
  const root = await call('GET', '/');
  if (root.status !== 200) throw fail(`GET ${url}/`, root);
  const session = await call('GET', '/_session');
  if (!session.json.userCtx?.roles?.includes('_admin')) {
    throw new Error(`${user} is not a server admin on ${url} (GET /_session: HTTP ${session.status} ${JSON.stringify(session.json.userCtx ?? session.json)})`);
  }
  await ensureDb(call, '_users', log);
  for (const { db, security, design } of plan({ inbox, forms, team })) {
    await ensureDb(call, db, log);
    const sec = await call('PUT', `/${encodeURIComponent(db)}/_security`, security);
    if (sec.status !== 200) throw fail(`setting ${db}/_security`, sec);
    log(`${db}/_security set`);
    if (design) await ensureDoc(call, db, design, log);
  }
  for (const m of managers) await ensureUser(call, m, log);
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:5984' },
      user: { type: 'string' },
      password: { type: 'string', default: process.env.COUCH_PASSWORD },
      inbox: { type: 'string', default: 'inbox' },
      forms: { type: 'string', default: 'forms' },
      team: { type: 'string', default: 'team' },
      manager: { type: 'string', multiple: true },
    },
  });
  if (!values.user || values.password === undefined) throw new Error('--user and --password (or COUCH_PASSWORD) are required');
  const managers = (values.manager ?? []).map((m) => {
    const i = m.indexOf(':');
    if (i <= 0) throw new Error(`--manager expects name:password, got "${m}"`);
    return [m.slice(0, i), m.slice(i + 1)];
  });
  await install({ ...values, managers });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`couch-install: ${err.message}`);
    process.exit(1);
  });
}
