// Many stored responses for the dashboard's benchmarks: the fixture's
// responses to the built-in questionnaires (tests/fixtures/dashboard.json),
// copied over 40 locations and 320 named employees, their times spread
// evenly over `span` ms from `start`. Written straight into the app's
// database, which the app must have created first (it does on its first read).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixture = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dashboard.json'), 'utf8'),
);

// Responses per transaction: a million put in one would hold every clone
// in the transaction until it commits.
const CHUNK = 50_000;

/** Writes `n` responses (and their locations and employees); resolves to n. */
export async function seedResponses(page, { n, start, span }) {
  let written = 0;
  for (let from = 0; from < n; from += CHUNK) {
    written += await seedChunk(page, { n, start, span, from, to: Math.min(n, from + CHUNK) });
  }
  return written;
}

/** Responses `from..to` of the `n` spread over `span`; the directory with the first. */
function seedChunk(page, { n, start, span, from, to }) {
  return page.evaluate(
    ({ base, n, start, span, from, to }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['locations', 'employees', 'responses'], 'readwrite');
          const pad = (x, w) => String(x).padStart(w, '0');
          if (from === 0) {
            for (let l = 0; l < 40; l++) {
              tx.objectStore('locations').put({ id: `loc-${pad(l, 2)}`, name: `Store ${pad(l, 2)}` });
              for (let k = 0; k < 8; k++)
                tx.objectStore('employees').put({ id: `emp-${pad(l, 2)}-${k}`, name: `Employee ${l}.${k}`, role: '', location_id: `loc-${pad(l, 2)}`, updated_at: '2025-01-01T00:00:00Z' });
            }
          }
          const store = tx.objectStore('responses');
          for (let i = from; i < to; i++) {
            const r = structuredClone(base[i % base.length]);
            const loc = (i * 7919) % 40;
            const at = new Date(start + Math.floor((i * span) / n)).toISOString().replace('.000Z', 'Z');
            r.id = `00000000-0000-4000-8000-${pad(i.toString(16), 12)}`;
            r.location_id = `loc-${pad(loc, 2)}`;
            if (r.employee_ids.length) r.employee_ids = [`emp-${pad(loc, 2)}-${i % 8}`];
            r.started_at = r.updated_at = r.submitted_at = at;
            store.put(r);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(to - from);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { base: fixture.responses, n, start, span, from, to },
  );
}
