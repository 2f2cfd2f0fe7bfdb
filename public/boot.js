// Loads the wasm app. Kept as a file (not an inline script) so the page's CSP can
// forbid inline script entirely.
import init from "./playground.js";

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
