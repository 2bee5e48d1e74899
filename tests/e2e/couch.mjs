// The dev CouchDB-protocol server for end-to-end journeys: each spec that
// needs the team's server starts its own (scripts/couch-server.mjs, in
// memory, on a free port of 127.0.0.1, so CORS between the app's origin and
// the server's is real) with the inbox, forms and team databases installed,
// and stops it when done. Node's fetch reads the server as a manager's
// script would, to check what arrived.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SERVER = join(here, '..', '..', 'scripts', 'couch-server.mjs');

export const ADMIN = { name: 'admin', password: 'admin-pw' };
export const MANAGER = { name: 'manager', password: 'manager-pw' };

/** Starts the server; resolves to { url, stop(), get(path, who), put(path, body, who) }.
 * `install: false` leaves it bare (no databases, no manager), as a fresh
 * CouchDB is before a manager sets it up from the app. */
export async function startCouch({ origins = '*', install = true } = {}) {
  const args = [
    SERVER, '--port', '0',
    '--admin', `${ADMIN.name}:${ADMIN.password}`,
    ...(install ? ['--install', '--manager', `${MANAGER.name}:${MANAGER.password}`] : []),
    '--origins', origins,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^couch-server listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`couch-server exited (${code}): ${err}`)));
  });
  const auth = (who) =>
    who ? { authorization: 'Basic ' + Buffer.from(`${who.name}:${who.password}`).toString('base64') } : {};
  const call = async (method, path, body, who) => {
    const res = await fetch(url + path, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...auth(who) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  return {
    url,
    get: (path, who = ADMIN) => call('GET', path, undefined, who),
    put: (path, body, who) => call('PUT', path, body, who),
    post: (path, body, who) => call('POST', path, body, who),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Fills the team server's form on the inbox screen as a manager would
 * and saves it (`who` signs in; the manager by default). */
export async function configureServer(page, url, who = MANAGER) {
  const { expect } = await import('@playwright/test');
  await page.goto('./#/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Answers from the field' })).toBeVisible();
  await expect(page.getByText('The address, name and password stay on this device')).toBeVisible();
  await page.getByRole('textbox', { name: 'Server address' }).fill(url);
  await page.getByRole('textbox', { name: "Manager's name on the server" }).fill(who.name);
  await page.getByLabel("Manager's password on the server").fill(who.password);
  await page.getByRole('button', { name: 'Save server' }).click();
  await expect(page.getByText('The server is saved on this device.')).toBeVisible();
}
