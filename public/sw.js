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
  // Every screen is index.html plus a fragment, so a navigation is the shell.
  const lookup = request.mode === 'navigate' ? new Request(new URL('./index.html', self.registration.scope)) : request;
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(lookup, { ignoreSearch: true })).then((hit) => hit ?? fetch(request)));
});
