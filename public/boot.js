// Loads the wasm app. Kept as a file (not an inline script) so the page's CSP can
// forbid inline script entirely.
import init from "./playground.js";

// Raw deflate for the Share link (src/app/link.rs): the browser's own, as a promise of
// bytes. Throws where there is no CompressionStream; the page then shares readable links.
globalThis.jpDeflateRaw = (bytes) =>
  new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")))
    .arrayBuffer()
    .then((buf) => new Uint8Array(buf));

init().catch((err) => {
  const p = document.createElement("p");
  p.className = "boot-error";
  p.textContent = "The playground could not start: " + err;
  document.body.append(p);
});

// Offline after the first visit (public/sw.js); a page without it still works.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {});
}
