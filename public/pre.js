// Shows the prerendered first screen (scripts/prerender.mjs writes it into index.html)
// only where the app is about to render exactly it: a first visit to the plain address,
// not framed, with no saved work. A link, saved work or an embedding would otherwise
// flash the default example before the app replaces it. A classic script in <head>
// (the CSP forbids inline script), so it decides before the first paint.
try {
  if (!location.search && !location.hash && window.self === window.top && !localStorage.getItem("jacobian-playground.work")) {
    document.documentElement.classList.add("pre");
  }
} catch {
  // Storage refused (a sandbox, a privacy mode): no copy; the app renders as it always does.
}
