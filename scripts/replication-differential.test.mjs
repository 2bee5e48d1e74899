// The differential test of team sync (issue 19): our replicator
// (src/replication, driven natively by examples/replicate.rs over plain
// HTTP) and PouchDB, the reference client, replicate the same databases
// through the same CouchDB-protocol server (scripts/couch-server.mjs) and
// must end with the same documents, the same winners, the same conflicts,
// the same deletions and the same attachments. Pull: PouchDB devices make
// the history (edits, deletions, conflicts of equal and unequal depth, a
// deleted branch against a live one, attachments), we and PouchDB pull it.
// Push: we push a store seeded with such a history, PouchDB pulls it back.
// Both ways, a second run resumes from the checkpoint and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PouchDB from 'pouchdb-core';
import adapterHttp from 'pouchdb-adapter-http';
import adapterMemory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVER = join(root, 'scripts', 'couch-server.mjs');
const ADMIN = { username: 'admin', password: 'admin-pw' };
const Pouch = PouchDB.plugin(adapterHttp).plugin(adapterMemory).plugin(replication);
let n = 0;
const memory = () => new Pouch(`differential-${process.pid}-${n++}`, { adapter: 'memory' });

let server;
let url;
before(async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--admin', `${ADMIN.username}:${ADMIN.password}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^couch-server listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`couch-server exited (${code}): ${err}`)));
  });
  server = { stop: async () => { child.kill('SIGTERM'); await exited; } };
  // Built once before any timer runs; later runs are cached.
  execFileSync('cargo', ['build', '--quiet', '--example', 'replicate'], { cwd: root, stdio: 'inherit' });
});
after(async () => {
  await server?.stop();
});

const remote = (db) => new Pouch(`${url}/${db}`, { auth: ADMIN });

/** Our replicator's run, as examples/replicate.rs prints it. */
function ours(...args) {
  const out = execFileSync('cargo', ['run', '--quiet', '--example', 'replicate', '--', ...args], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

/** What a PouchDB database holds, in the shape examples/replicate.rs prints. */
async function pouchSummary(db) {
  const changes = await db.changes({ style: 'all_docs', include_docs: true, conflicts: true });
  const docs = {};
  for (const r of changes.results) {
    const doc = r.doc;
    const deleted = Boolean(r.deleted);
    docs[r.id] = {
      winner: doc._rev,
      conflicts: [...(doc._conflicts ?? [])].sort(),
      deleted,
      body: deleted ? null : Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_'))),
      attachments: Object.fromEntries(Object.entries(doc._attachments ?? {}).map(([name, a]) => [name, a.digest])),
    };
  }
  return Object.fromEntries(Object.entries(docs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const md5 = (bytes) => `md5-${createHash('md5').update(bytes).digest('base64')}`;
const picture = (text) => Buffer.from(`\xff\xd8 ${text}`, 'latin1');

test('a pull of edits, deletions, conflicts and attachments ends where PouchDB ends', async () => {
  const a = memory();
  const b = memory();
  await a.bulkDocs([
    { _id: 'location:1', name: 'Main street', type: 'location' },
    { _id: 'location:unicode', name: 'Тверская, 7 — «у метро»' },
  ]);
  // Edited three times on one device.
  let r = await a.put({ _id: 'action:1', status: 'open' });
  r = await a.put({ _id: 'action:1', _rev: r.rev, status: 'done' });
  await a.put({ _id: 'action:1', _rev: r.rev, status: 'verified' });
  // Deleted.
  r = await a.put({ _id: 'employee:gone', name: 'Left the company' });
  await a.remove('employee:gone', r.rev);
  // A photo, then a second photo revision with an unchanged attachment.
  r = await a.put({ _id: 'photo:1', of: 'response:1', _attachments: { photo: { content_type: 'image/jpeg', data: picture('one').toString('base64') } } });
  const withPhoto = await a.get('photo:1');
  await a.put({ ...withPhoto, caption: 'front door' });
  // Conflicts: a common ancestor on both devices, then divergent edits.
  const shared = [
    { _id: 'location:2', name: 'Old name' },
    { _id: 'location:3', name: 'Old name' },
    { _id: 'employee:2', name: 'Anna' },
  ];
  const made = await a.bulkDocs(shared);
  await a.replicate.to(b);
  const revOf = (id) => made.find((m) => m.id === id).rev;
  // Equal depth: the higher revision hash wins.
  await a.put({ _id: 'location:2', _rev: revOf('location:2'), name: 'Renamed on A' });
  await b.put({ _id: 'location:2', _rev: revOf('location:2'), name: 'Renamed on B' });
  // Unequal depth: the longer branch wins whatever its hash.
  await a.put({ _id: 'location:3', _rev: revOf('location:3'), name: 'A once' });
  r = await b.put({ _id: 'location:3', _rev: revOf('location:3'), name: 'B once' });
  await b.put({ _id: 'location:3', _rev: r.rev, name: 'B twice' });
  // Deleted on A, edited on B: the live branch wins.
  await a.remove('employee:2', revOf('employee:2'));
  await b.put({ _id: 'employee:2', _rev: revOf('employee:2'), name: 'Anna K.' });

  const db = remote('pulled');
  await a.replicate.to(db);
  await b.replicate.to(db);

  const reference = memory();
  await reference.replicate.from(db);
  const expected = await pouchSummary(reference);
  // The history is what the test means it to be.
  assert.equal(expected['location:2'].conflicts.length, 1);
  assert.equal(expected['location:3'].body.name, 'B twice');
  assert.equal(expected['employee:2'].body.name, 'Anna K.');
  assert.equal(expected['employee:gone'].deleted, true);
  assert.equal(expected['photo:1'].attachments.photo, md5(picture('one')));

  const got = ours('pull', `${url}/pulled`, `${ADMIN.username}:${ADMIN.password}`);
  assert.deepEqual(got.docs, expected);
  assert.equal(got.runs[0].docs_written, Object.keys(expected).length + 3, 'every revision of the leaves, conflicts included');
  assert.equal(got.runs[1].docs_written, 0, 'the second pull resumes from its checkpoint');
});

test('a push of a history with conflicts and deletions reads back in PouchDB as we hold it', async () => {
  const hash = (s) => createHash('md5').update(s).digest('hex');
  const [h1, h2, h3, h4, h5] = ['a', 'b', 'c', 'd', 'e'].map(hash);
  const photo = picture('pushed');
  const seed = [
    { _id: 'location:p1', _rev: `1-${h1}`, _revisions: { start: 1, ids: [h1] }, name: 'P1' },
    { _id: 'location:p2', _rev: `2-${h2}`, _revisions: { start: 2, ids: [h2, h1] }, name: 'P2 here' },
    { _id: 'location:p2', _rev: `2-${h3}`, _revisions: { start: 2, ids: [h3, h1] }, name: 'P2 there' },
    { _id: 'location:p3', _rev: `3-${h4}`, _revisions: { start: 3, ids: [h4, h3, h1] }, name: 'P3 deep' },
    { _id: 'location:p3', _rev: `2-${h5}`, _revisions: { start: 2, ids: [h5, h1] }, name: 'P3 shallow' },
    { _id: 'employee:p4', _rev: `2-${h2}`, _revisions: { start: 2, ids: [h2, h1] }, _deleted: true },
    { _id: 'employee:p5', _rev: `2-${h2}`, _revisions: { start: 2, ids: [h2, h1] }, _deleted: true },
    { _id: 'employee:p5', _rev: `2-${h3}`, _revisions: { start: 2, ids: [h3, h1] }, name: 'Still here' },
    {
      _id: 'photo:p6',
      _rev: `1-${h1}`,
      _revisions: { start: 1, ids: [h1] },
      of: 'response:p6',
      _attachments: { photo: { content_type: 'image/jpeg', digest: md5(photo), revpos: 1, data: photo.toString('base64') } },
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'servicelens-differential-'));
  try {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(seed));
    const db = remote('pushed');
    await db.info(); // creates it, as a manager's set-up would
    const got = ours('push', `${url}/pushed`, `${ADMIN.username}:${ADMIN.password}`, file);
    assert.equal(got.runs[0].docs_written, seed.length);
    assert.equal(got.runs[1].docs_written, 0, 'the second push resumes from its checkpoint');
    assert.equal(got.docs['location:p3'].body.name, 'P3 deep');
    assert.equal(got.docs['employee:p5'].body.name, 'Still here');

    const reference = memory();
    await reference.replicate.from(db);
    assert.deepEqual(await pouchSummary(reference), got.docs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
