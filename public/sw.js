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
          // Stored without the query: links carry their state in ?query and #fragment and
          // all get the same page, so each link must not add an entry of its own.
          const key = new URL(req.url);
          key.search = "";
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(key.href, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
