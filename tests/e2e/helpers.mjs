// Shared set-up for the browser tests: a server for dist/, headless Chromium, and a page
// that records every console error, uncaught exception and CSP violation.
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/server.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = join(ROOT, "dist");
export const SHOTS = process.env.JP_SCREENSHOTS ?? join(tmpdir(), "jacobian-playground-screenshots");
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(process.env.JP_CHROME_ARGS ? process.env.JP_CHROME_ARGS.split(" ") : []),
    ],
    // Playwright gives every launch a fresh, empty user-data-dir of its own.
  });
}

export async function serveDist() {
  return startServer(DIST);
}

/// Opens `url` and waits for the app to render. `problems` collects console errors,
/// page errors and CSP violations; tests assert it stays empty.
export async function openApp(browser, url, { waitFor = '[data-testid="jacobian"]' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    // First render: when J's cells are first painted, as the browser reports it (Element
    // Timing: the frame's presentation, not merely the DOM insertion). The observer marks the
    // app's cells the moment they enter the DOM (before any paint): __appJ when painted,
    // __jDom when they entered. The prerendered copy (#pre) marks its J's last cell
    // itself ("first-screen", scripts/prerender.mjs): __preJ, reported only if painted.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const t = e.renderTime || e.loadTime;
        if (e.identifier === "first-screen") window.__preJ = t;
        if (e.identifier === "jacobian" && window.__appJ === undefined && e.element?.dataset.testid === "J-2-1") window.__appJ = t;
        if (window.__firstJ === undefined && window.__appJ !== undefined) window.__firstJ = Math.min(window.__preJ ?? Infinity, window.__appJ);
      }
    }).observe({ type: "element", buffered: true });
    new MutationObserver((_, obs) => {
      for (const td of document.querySelectorAll("table.jacobian td:not([elementtiming])")) {
        if (!td.closest("#pre")) td.setAttribute("elementtiming", "jacobian");
      }
      if (document.querySelector('[data-testid="J-2-1"]')) {
        window.__jDom = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(url);
  if (waitFor) await settled(page, waitFor);
  page.problems = async () => {
    const csp = await page.evaluate(() => window.__cspViolations);
    return [...problems, ...csp.map((c) => `csp: ${c}`)];
  };
  return page;
}

/// Waits until the app has rendered `waitFor` and shown the side views that are open.
export async function settled(page, waitFor = '[data-testid="jacobian"]') {
  await page.waitForSelector(waitFor, { timeout: 20000 });
  // The side views are shown in the task after the first paint (those open, that is:
  // embedded, or from a link, they may all be closed).
  await page.waitForFunction(() => {
    const side = document.querySelectorAll(".pass-panel, .linear-panel, .fd-panel, .analysis-panel, .export-panel, .batch-panel");
    const open = [...document.querySelectorAll(".toolbar .views button")].filter((b) => b.getAttribute("aria-pressed") === "true");
    return document.body.classList.contains("embed") || open.length === 0 || [...side].some((s) => !s.hidden);
  }, null, { timeout: 20000 });
}

export async function cell(page, testid) {
  return (await page.locator(`[data-testid="${testid}"]`).textContent()).trim();
}

/// f(x) as the page shows it, on its line above J: "f(x) = (7, 15, 64)" gives ["7", "15", "64"].
export async function fValues(page) {
  const line = (await page.locator('[data-testid="fvals"]').textContent()).trim();
  return line.replace(/^f\(x\) = \(/, "").replace(/\)$/, "").split(", ");
}

export async function jacobianText(page) {
  return page.evaluate(() => {
    const rows = [];
    for (let i = 0; ; i++) {
      const row = [];
      for (let j = 0; ; j++) {
        const el = document.querySelector(`[data-testid="J-${i}-${j}"]`);
        if (!el) break;
        row.push(el.textContent.trim());
      }
      if (row.length === 0) break;
      rows.push(row);
    }
    return rows;
  });
}

/// One server and one browser per test file, closed afterwards. `ctx.withApp(fn, query)`
/// opens the app (optionally with `?query`), runs `fn(page)`, and fails on any console
/// error, uncaught exception or CSP violation.
export function suite() {
  const ctx = {};
  before(async () => {
    ctx.server = await serveDist();
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  ctx.withApp = async (fn, query = "") => {
    const page = await openApp(ctx.browser, ctx.server.url + (query ? `?${query}` : ""));
    try {
      await fn(page);
      assert.deepEqual(await page.problems(), [], "no console error, page error or CSP violation");
    } finally {
      await page.context().close();
    }
  };
  return ctx;
}

/// A temporary directory holding `files` (name → text): a page with no app on it, to compare with.
export function pageDir(files) {
  const dir = mkdtempSync(join(tmpdir(), "jp-page-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/// The longest animation frame while `src` is pasted (Ctrl+V) into, or set as the value of, a bare
/// textarea on a page of its own in a fresh renderer, no app at all: what the browser alone
/// spends taking the text in and laying it out. Set, the text is measured twice (a short
/// text between) and the longer counts: the first layout shapes the text afresh, a later
/// one shapes text in many scripts with the fallback fonts the first only began to load
/// (random BMP characters: ~0 ms the first time, 150–260 ms again); the app's textarea
/// may be at either when the app is measured.
export async function bareTextareaLongest(browser, src, how) {
  const dir = pageDir({ "index.html": '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head><body><textarea rows="6" cols="80"></textarea></body></html>' });
  const server = await startServer(dir, { isolate: false });
  const context = await browser.newContext();
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: "long-animation-frame" });
    });
    const longest = async () => {
      await page.waitForTimeout(3000);
      const t = Math.max(0, ...(await page.evaluate(() => window.__long)));
      await page.evaluate(() => { window.__long = []; });
      return t;
    };
    if (how === "pasted") {
      await page.evaluate((s) => navigator.clipboard.writeText(s), src);
      await page.click("textarea");
      await page.keyboard.press("Control+V");
      return await longest();
    }
    const set = (s) => page.evaluate((s) => setTimeout(() => { document.querySelector("textarea").value = s; }, 0), s);
    await set(src);
    const first = await longest();
    await set("f(x) = x");
    await longest();
    await set(src);
    return Math.max(first, await longest());
  } finally {
    await context.close();
    await server.close();
  }
}

const SLOWDOWN_QUIET_MS = 32;

/// How much slower than when quiet this machine runs script right now: the median of 7 runs
/// of a fixed loop against its quiet median here (32 ms), at least 1 and at most 3. Frame
/// budgets are scaled by it, as the first-render budget is by a blank page's paint (this
/// machine is a shared 2-core VM; a real freeze is far beyond 3× a budget).
export async function slowdown(page) {
  const median = await page.evaluate(() => new Promise((done) => {
    const times = [];
    const one = () => {
      const t0 = performance.now();
      let a = 0;
      for (let i = 1; i < 3e6; i++) a += Math.sqrt(i) % 7;
      times.push(performance.now() - t0 + (a < 0 ? 1 : 0));
      if (times.length < 7) setTimeout(one, 0);
      else done(times.sort((x, y) => x - y)[3]);
    };
    one();
  }));
  return Math.min(3, Math.max(1, median / SLOWDOWN_QUIET_MS));
}

/// Picks a gallery example and waits for it to load: the page carries only the first
/// example, and the first pick of another fetches the gallery's file (its note says
/// "Loading the example…" meanwhile).
export async function pick(page, id) {
  await page.selectOption('[data-testid="gallery"]', id);
  await page.waitForFunction(() => !document.querySelector('[data-testid="note"]')?.textContent.startsWith("Loading"));
}
