import { expect } from '@playwright/test';

/** Every stored response, read straight from IndexedDB, not through the app. */
export async function storedResponses(page) {
  return storedRecords(page, 'responses');
}

/** Every record of an object store, read straight from IndexedDB. */
export async function storedRecords(page, storeName) {
  return page.evaluate(
    (storeName) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('servicelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            resolve([]);
            return;
          }
          const req = db.transaction(storeName).objectStore(storeName).getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    storeName,
  );
}

/** Fails the test on any request that leaves the app's own origin. */
export function forbidForeignRequests(page, baseURL) {
  const origin = new URL(baseURL).origin;
  const foreign = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) foreign.push(req.url());
  });
  return () => expect(foreign, 'requests outside the app origin').toEqual([]);
}

/** Fails the test on uncaught page errors (a Rust panic shows up here). */
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return () => expect(errors, 'uncaught page errors').toEqual([]);
}

export const question = (page, name) => page.getByRole('group', { name, exact: true });
