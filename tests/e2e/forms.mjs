// Form links for end-to-end journeys and benchmarks, made in Node the way
// the manager's device makes them (src/distribution/form_link.rs): a team
// key pair, the form document published to the dev server's forms database
// with a manager's password, and the fragment that names form, key and
// server. A test can then open a customer's, kiosk's or shopper's link
// without driving the manager's screens first; whatever Node gets wrong
// here, the app refuses as a damaged link.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { MANAGER } from './couch.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const templates = join(here, '..', '..', 'src', 'templates');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** An X25519 team key: `raw` is the 32-byte public key a link carries. */
export function teamKey() {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { raw, publicKey, privateKey };
}

/** The `<target>` segment: key, server URL (default database names), CRC-32. */
export function targetToken(serverUrl, rawKey) {
  const body = Buffer.concat([rawKey, Buffer.from(serverUrl, 'utf8')]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return b64url(Buffer.concat([body, crc]));
}

/** form_link::form_name: 12 hex digits of SHA-256("servicelens.form\0" id "\0" u32be(version)). */
export function formName(id, version) {
  const v = Buffer.alloc(4);
  v.writeUInt32BE(version);
  return createHash('sha256').update('servicelens.form\0').update(id).update('\0').update(v).digest('hex').slice(0, 12);
}

/** A built-in template's questionnaire file (`src/templates/<file>`), as JSON. */
export function templateFile(file) {
  return JSON.parse(readFileSync(join(templates, file), 'utf8'));
}

/**
 * Publishes `file` (a questionnaire file object) as a form on the dev
 * server `couch` and returns the fragment `#/f/…` of its link.
 */
export async function publishForm(couch, { file, mode = 'customer', key, location, locations = [], employees = [] }) {
  const q = file.questionnaire;
  const name = formName(q.id, q.version);
  const doc = { type: 'servicelens.form', v: 1, mode, questionnaire: file };
  if (locations.length) doc.locations = locations;
  if (employees.length) doc.employees = employees;
  const old = await couch.get(`/forms/form:${name}`, MANAGER);
  if (old.status === 200) doc._rev = old.json._rev;
  const put = await couch.put(`/forms/form:${name}`, doc, MANAGER);
  if (put.status !== 201) throw new Error(`publishing form:${name}: ${put.status} ${JSON.stringify(put.json)}`);
  let fragment = `#/f/${name}/${targetToken(couch.url, key.raw)}`;
  if (location) fragment += `/${b64url(JSON.stringify(location))}`;
  return fragment;
}
