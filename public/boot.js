// Loads the wasm app. Kept as a file (not an inline script) so the page's CSP can
// forbid inline script entirely.
import init from "./playground.js";

// Raw deflate for the Share link (src/app/link.rs): the browser's own, as a promise of
// bytes. Throws where there is no CompressionStream; the page then shares readable links.
globalThis.jpDeflateRaw = (bytes) =>
  new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")))
    .arrayBuffer()
    .then((buf) => new Uint8Array(buf));

// Offline after the first visit (public/sw.js); a page without it still works. Registered
// once the page is up and idle: installing fetches every file again, which on a first
// visit would compete with the first render for the network and the CPU.
const offline = () => {
  if (!("serviceWorker" in navigator)) return;
  const go = () => navigator.serviceWorker.register("sw.js").catch(() => {});
  if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 2000 });
  else setTimeout(go, 500);
};

init().then(offline, (err) => {
  const p = document.createElement("p");
  p.className = "boot-error";
  p.textContent = "The playground could not start: " + err;
  document.body.append(p);
});
