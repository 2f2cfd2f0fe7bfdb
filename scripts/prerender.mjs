// Prerenders the first screen into dist/index.html: the real app, run once in headless
// Chromium at build time, is captured at its first frame (the DOM the browser is about to
// paint when J first appears) and written into the page as an inert copy. A first visit
// then paints the function and its Jacobian while the wasm is still loading; the app
// replaces the copy in the task that mounts it (src/app/mod.rs `mount`), so the swap
// shows no change. public/pre.js shows the copy only where the app will render exactly
// it: no link, no saved work, not framed. Without playwright-core (scripts/node_modules)
// or Chromium it fails: a release page without its first screen is a different page.
// Usage: node scripts/prerender.mjs dist
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./server.mjs";

const dir = process.argv[2] ?? "dist";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const playwright = join(root, "scripts/node_modules/playwright-core/index.mjs");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
for (const [path, what] of [[playwright, "playwright-core (npm ci in scripts/)"], [chromiumPath, "Chromium (apt-get install chromium, or set CHROMIUM)"]]) {
  if (!existsSync(path)) {
    console.error(`prerender: needs ${what}; ${path} is missing`);
    process.exit(1);
  }
}
const { chromium } = await import(playwright);

// Runs in the page: at the first animation frame after J enters the DOM (before its
// style, layout and paint), serialises what the app built.
function capture() {
  // Attributes that would clash with the live app's while both are in the document, or
  // tie the copy to it: ids (and what refers to them), test hooks, form names.
  const DROP = ["id", "for", "name", "data-testid", "aria-labelledby", "aria-describedby", "aria-controls", "autofocus"];
  let styled = 0; // elements of the copy with a style attribute
  // The copies of the page's elements as they are now.
  const copies = () => {
    const parts = [];
    for (const node of document.body.children) {
      if (["SCRIPT", "NOSCRIPT"].includes(node.tagName)) continue;
      const copy = node.cloneNode(true);
      const live = [node, ...node.querySelectorAll("*")];
      const dead = [copy, ...copy.querySelectorAll("*")];
      live.forEach((el, k) => {
        const c = dead[k];
        // Form state lives in properties, which cloning and serialising leave out.
        if (el instanceof HTMLTextAreaElement) c.textContent = el.value;
        else if (el instanceof HTMLInputElement) {
          if (el.type === "checkbox" || el.type === "radio") c.toggleAttribute("checked", el.checked);
          else c.setAttribute("value", el.value);
        } else if (el instanceof HTMLOptionElement) c.toggleAttribute("selected", el.selected);
        for (const a of DROP) c.removeAttribute(a);
      });
      // The first screen only: the side views are the sections still hidden in the app's
      // first frame (shown in the next task; the grid places them below J, so nothing above
      // moves).
      for (const side of copy.querySelectorAll("main > section[hidden]")) side.remove();
      // J's last cell (everything before it is parsed by then): public/boot.js starts the
      // app once the browser reports it painted.
      copy.querySelector("table.jacobian tbody tr:last-child td:last-child")?.setAttribute("elementtiming", "first-screen");
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
      const comments = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      comments.forEach((c) => c.remove());
      styled += copy.querySelectorAll("[style]").length;
      parts.push(copy);
    }
    return parts;
  };
  // Its own marker, whatever the default example: J's last body cell holds a number.
  new MutationObserver((_, obs) => {
    if (!document.querySelector("table.jacobian tbody tr:last-child td:last-child")?.textContent.trim()) return;
    obs.disconnect();
    requestAnimationFrame(() => {
      const parts = copies();
      // The digits check under J (and J's formulas, in its entries' hover text) comes from
      // the app's worker a moment later: the copy waits for its line, so the app (which starts with the copy's line) and the copy
      // show the same first screen.
      const finish = () => {
        const line = document.querySelector('[data-testid="trust"]')?.textContent;
        if (!line) return setTimeout(finish, 20);
        for (const part of parts) part.querySelectorAll("p.trust").forEach((p) => (p.textContent = line));
        // J's entries' hover text gains their formulas with the same reply (its effects run
        // a task later than the line's).
        setTimeout(() => {
          // (The copy has no test hooks: cells pair up by their order.)
          const live = [...document.querySelectorAll("table.jacobian td")];
          for (const part of parts)
            part.querySelectorAll("table.jacobian td").forEach((td, k) => {
              if (live[k]) td.title = live[k].title;
            });
          // J as MathML, written with the same reply.
          const math = document.querySelector('[data-testid="j-formulas"]');
          for (const part of parts) part.querySelector(".formulas")?.replaceChildren(...[...math.childNodes].map((n) => n.cloneNode(true)));
          window.__pre = { html: parts.map((p) => p.outerHTML).join(""), styled };
        }, 100);
      };
      finish();
    });
  }).observe(document, { subtree: true, childList: true });
}

const index = join(dir, "index.html");
let page = readFileSync(index, "utf8").replace(/<div id="pre"[\s\S]*?<\/div><!--\/pre-->/, "");
writeFileSync(index, page);
const server = await startServer(dir, { isolate: false });
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const tab = await context.newPage();
  await tab.addInitScript(capture);
  await tab.goto(server.url);
  await tab.waitForFunction(() => window.__pre, null, { timeout: 30000 });
  const { html, styled } = await tab.evaluate(() => window.__pre);
  if (!html.includes('elementtiming="first-screen"')) throw new Error("prerender: no J table in the first screen");
  if (styled) throw new Error(`prerender: ${styled} elements carry a style attribute, which the page's CSP would refuse in markup`);
  if (!page.includes("<body>")) throw new Error("prerender: no <body> in index.html");
  page = page.replace("<body>", `<body><div id="pre" inert aria-hidden="true">${html}</div><!--/pre-->`);
  writeFileSync(index, page);
  console.log(`prerender: ${(html.length / 1024).toFixed(1)} KB of first screen written into ${index}`);
} finally {
  await browser.close();
  await server.close();
}
