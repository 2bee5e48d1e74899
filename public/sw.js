// ServiceLens service worker: precaches every file of the build so the app,
// and any questionnaire or survey link, opens with the network off.
// scripts/post-build.mjs fills in the file list and the build version; the
// list is never kept by hand.
const VERSION = '__BUILD_VERSION__';
const PRECACHE = __PRECACHE_MANIFEST__;
const CACHE = `servicelens-${VERSION}`;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user chooses to
  // reload, so a half-filled form is never swapped out from under them.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('servicelens-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // Every screen is a page of the build (index.html, or respond.html for a
  // customer's survey) plus a fragment; any other navigation gets the app.
  const shell = new Request(new URL('./index.html', self.registration.scope));
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match(shell) : undefined);
      return hit ?? fetch(request);
    }),
  );
});
