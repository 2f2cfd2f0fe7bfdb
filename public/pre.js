// Shows the prerendered first screen (scripts/prerender.mjs writes it into index.html)
// only where the app is about to render exactly it: a first visit to the plain address,
// not framed, with no saved work. A link, saved work or an embedding would otherwise
// flash the default example before the app replaces it. A classic script in <head>
// (the CSP forbids inline script), so it decides before the first paint.
//
// Where the copy is not shown, the app's own first render waits for the wasm, so it is
// preloaded from here, with the HTML (a link's visit is slower without it). Over the copy,
// boot.js fetches it only after the copy is painted.
let pre = false;
try {
  pre = !location.search && !location.hash && window.self === window.top && !localStorage.getItem("jacobian-playground.work");
} catch {
  // Storage refused (a sandbox, a privacy mode): no copy; the app renders as it always does.
}
if (pre) {
  document.documentElement.classList.add("pre");
} else {
  const wasm = Object.assign(document.createElement("link"), { rel: "preload", href: "playground_bg.wasm", as: "fetch", type: "application/wasm", crossOrigin: "anonymous" });
  document.head.append(wasm);
}
