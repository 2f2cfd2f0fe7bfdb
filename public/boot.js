// Loads the wasm app. Kept as a file (not an inline script) so the page's CSP can
// forbid inline script entirely.
import init from "./playground.js";

// Raw deflate for the Share link (src/app/link.rs): the browser's own, as a promise of
// bytes. Throws where there is no CompressionStream; the page then shares readable links.
globalThis.jpDeflateRaw = (bytes) =>
  new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")))
    .arrayBuffer()
    .then((buf) => new Uint8Array(buf));

// Raw inflate for compact links (#s=…, src/app/link.rs), bounded so a small hostile link
// cannot expand to gigabytes: resolves to null once the output would pass `limit` bytes,
// rejects on damaged data or where there is no DecompressionStream.
globalThis.jpInflateRaw = async (bytes, limit) => {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let size = 0;
  for (let r; !(r = await reader.read()).done; ) {
    size += r.value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    parts.push(r.value);
  }
  return new Uint8Array(await new Blob(parts).arrayBuffer());
};

// The text worker (src/bin/export_worker.rs, through public/export-worker.js): one per
// kind of request (the exports and batch, the echo), started on its first request. Each
// request resolves to its text; while the worker writes one, only the newest request
// made meanwhile waits (the others resolve to null), since dragging asks every frame.
const askers = {};
globalThis.jpAsk = (kind, request) =>
  new Promise((resolve) => {
    const a = (askers[kind] ??= { w: new Worker("export-worker.js"), busy: null, next: null });
    const go = (job) => {
      a.busy = job;
      a.w.postMessage(job.request);
    };
    a.w.onmessage = (e) => {
      a.busy.resolve(e.data);
      a.busy = null;
      if (a.next) {
        const n = a.next;
        a.next = null;
        go(n);
      }
    };
    const job = { request, resolve };
    if (!a.busy) go(job);
    else {
      a.next?.resolve(null);
      a.next = job;
    }
  });

// Builds the markup the text worker writes (src/view/markup.rs) into `host`: a flat list
// of tokens, not markup text, so nothing here parses markup. Tags outside the list are
// dropped with what they hold, as are handler, link and style attributes (no script,
// link or style can be made; the one link kept is a PNG's data, a picture's pixels), and
// text only ever becomes a text node. MathML and SVG elements are made in their namespaces; open
// <details> stay open across rebuilds (the worker rebuilds as the point moves).
const TAGS = /^(math|mrow|mi|mn|mo|msub|msup|mfrac|msqrt|mtable|mtr|mtd|mtext|svg|g|rect|polyline|circle|text|title|image|h3|p|div|span|details|summary|table|tr|th|td)$/;
const NS = { math: "http://www.w3.org/1998/Math/MathML", svg: "http://www.w3.org/2000/svg" };
globalThis.jpBuild = (host, tokens) => {
  const open = [...host.querySelectorAll("details")].map((d) => d.open);
  const root = document.createDocumentFragment();
  const stack = [];
  let at = root;
  for (const t of tokens.split("\x1f")) {
    const v = t.slice(1);
    if (t[0] === "<") {
      // An unknown tag's element is left out of the tree, with what it holds.
      const ok = TAGS.test(v);
      // In the namespace of what holds it (the host's, at the top: SVG in the pad's <g>).
      const el = ok ? document.createElementNS(NS[v] ?? (at === root ? host : at).namespaceURI, v) : document.createElement("i");
      if (ok) at.append(el);
      stack.push(at);
      at = el;
    } else if (t[0] === "@") {
      const k = v.indexOf("=");
      if (!/^(on|src|style|xlink|href=(?!data:image\/png;base64,))/i.test(v)) at.setAttribute(v.slice(0, k), v.slice(k + 1));
    } else if (t[0] === ">") at = stack.pop() ?? root;
    else if (t[0] === "=") at.append(v);
  }
  host.replaceChildren(root);
  host.querySelectorAll("details").forEach((d, k) => {
    d.open = open[k] ?? false;
    // Rebuilt while open: its opening animation has been seen, until the reader closes it.
    if (d.open) d.classList.add("kept");
    d.ontoggle = (e) => e.newState == "closed" && d.classList.remove("kept");
  });
};

// Offline after the first visit (public/sw.js); a page without it still works. Registered
// once the page is up and idle: installing fetches every file again, which on a first
// visit would compete with the first render for the network and the CPU.
const offline = () => {
  if (!("serviceWorker" in navigator)) return;
  const go = () => navigator.serviceWorker.register("sw.js").catch(() => {});
  if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 2000 });
  else setTimeout(go, 500);
};

// Over the prerendered first screen (scripts/prerender.mjs, shown by pre.js) the app
// starts (and replaces the copy) only once the browser reports the copy's J painted: the
// first frame then never waits for the app's start, and that paint is reported at all (the
// browser drops the paint timing of removed nodes). The wasm is fetched and compiled only
// then too (pre.js preloads it only where there is no copy): fetching and compiling it
// during the first frame delays that frame (ARCHITECTURE.md has the measurement).
const wasm = () => {
  const shown = document.documentElement.classList.contains("pre") && document.getElementById("pre");
  if (!shown || !WebAssembly.compileStreaming) return undefined;
  const url = new URL("playground_bg.wasm", import.meta.url);
  const painted = new Promise((done) => {
    if (!PerformanceObserver.supportedEntryTypes?.includes("element")) return done();
    new PerformanceObserver((list, obs) => {
      if (list.getEntries().some((e) => e.identifier === "first-screen")) {
        obs.disconnect();
        done();
      }
    }).observe({ type: "element", buffered: true });
    // A page opened in the background paints only when shown: start anyway.
    setTimeout(done, 1000);
  });
  return painted.then(() => WebAssembly.compileStreaming(fetch(url)).catch(() => url));
};

// J as MathML under the copy's J (src/view/mathml.rs), which the app's worker writes a
// moment after the app starts: the app shows the copy's until then, so the page below it
// does not jump. Kept before the app removes the copy; moved as it mounts (src/app/mod.rs).
const formulas = document.documentElement.classList.contains("pre") && document.querySelector("#pre .formulas");
globalThis.jpMounted = () => {
  const to = document.querySelector("body > main .formulas");
  if (formulas && to && !to.firstElementChild) to.append(...formulas.childNodes);
};

init({ module_or_path: wasm() }).then(offline, (err) => {
  const p = document.createElement("p");
  p.className = "boot-error";
  p.textContent = "The playground could not start: " + err;
  document.body.append(p);
});
