// Offline after the first visit. Network first, so a new release shows at once; the cache
// answers only when the network cannot. Same-origin GETs only.
const CACHE = "jacobian-playground";

self.addEventListener("install", (event) => {
  // precache.json lists every file of the build (written by scripts/precache.mjs).
  event.waitUntil(
    fetch("precache.json")
      .then((r) => r.json())
      .then((files) => caches.open(CACHE).then((c) => c.addAll(["./", ...files])))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      // Links carry their state in ?query and #fragment: any query serves the page.
      .catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
