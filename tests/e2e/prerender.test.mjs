// The prerendered first screen (scripts/prerender.mjs writes it into index.html; public/pre.js
// shows it; the app replaces it as it mounts): what a first visit paints before the wasm
// has started must be exactly what the app then shows, in the same places, and it must
// never stand in for anything else (a link, saved work, an embedding).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHOTS, suite } from "./helpers.mjs";
import { startServer } from "../../scripts/server.mjs";

const ctx = suite();

/// A page whose wasm never arrives: what shows is the prerendered copy (or nothing).
async function withoutWasm(url, { saved, viewport } = {}) {
  const context = await ctx.browser.newContext({ viewport: viewport ?? { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(INSTALL);
  await page.route("**/playground_bg.wasm", (r) => r.abort());
  if (saved) await page.addInitScript((q) => localStorage.setItem("jacobian-playground.work", q), saved);
  await page.goto(url);
  await page.waitForSelector(".boot-error", { timeout: 20000 });
  return page;
}

const copyShown = (page) => page.evaluate(() => {
  const pre = document.getElementById("pre");
  return pre !== null && getComputedStyle(pre).display !== "none" && pre.querySelector("table.jacobian").offsetHeight > 0;
});

/// The first screen as a reader sees it: each part's place, text, form values, and every
/// element's tag, classes and the attributes that change how it looks or reads. Run in the
/// page (installed by an init script, so it can run inside the app's first frame too).
function firstScreen() {
  const parts = ["header.top", "nav.toolbar", "section.editor-panel", "section.point-panel", "section.matrix-panel"];
  const KEEP = ["class", "hidden", "aria-pressed", "aria-expanded", "aria-label", "title", "role"]; // (form state: compared through `values`)
  const root = document.getElementById("pre") ?? document.body;
  return parts.map((sel) => {
    const el = root.querySelector(sel);
    if (!el) return `${sel}: missing`;
    const r = el.getBoundingClientRect();
    const values = [...el.querySelectorAll("textarea, input, select")].map((f) => (f.type === "checkbox" ? String(f.checked) : f.value));
    // (Canvases left out: the field behind the pad is drawn, and shown, tasks later.)
    const tags = [el, ...el.querySelectorAll("*")].filter((e) => e.tagName !== "CANVAS").map((e) => e.tagName.toLowerCase() + KEEP.filter((a) => e.hasAttribute(a)).map((a) => `[${a}=${e.getAttribute(a)}]`).join(""));
    return `${sel} @${r.x.toFixed(0)},${r.y.toFixed(0)} ${r.width.toFixed(0)}×${r.height.toFixed(0)}\n${el.innerText}\n[${values.join(" | ")}]\n${tags.join(" ")}`;
  });
}
const INSTALL = `window.__firstScreen = ${firstScreen.toString()};`;

test("a first visit paints the prerendered first screen, and the app replaces it with what it showed", async () => {
  for (const viewport of [{ width: 1200, height: 900 }, { width: 390, height: 844 }]) {
    const page = await withoutWasm(ctx.server.url, { viewport });
    let copy;
    try {
      assert.equal(await copyShown(page), true, "the copy is shown on a first visit");
      copy = await page.evaluate(() => window.__firstScreen());
      assert.match(copy.join("\n"), /f\(x1, x2, x3\) = \[x1 \+ x2, x1\*x3, x2\^3\]/);
      assert.match(copy.join("\n"), /48/);
      await page.screenshot({ path: join(SHOTS, `prerendered-${viewport.width}.png`) });
      // The copy cannot be edited or focused: nothing typed into it could be lost.
      await page.locator("#pre .editor-panel textarea").click({ force: true });
      await page.keyboard.type("zzz");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement === document.body), true, "nothing in the copy takes focus");
      assert.doesNotMatch(await page.locator("#pre .editor-panel textarea").inputValue(), /zzz/);
      assert.match(await page.locator(".boot-error").textContent(), /could not start/);
    } finally {
      await page.context().close();
    }
    // The app's own first frame (what replaces the copy), read at the animation frame
    // after J enters the DOM, before anything later (the side views, the field) changes it.
    const context = await ctx.browser.newContext({ viewport });
    const app = await context.newPage();
    await app.addInitScript(INSTALL);
    await app.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (!document.querySelector('[data-testid="J-2-1"]')) return;
        obs.disconnect();
        requestAnimationFrame(() => (window.__appFirst = { screen: window.__firstScreen(), pre: document.getElementById("pre") !== null, at: performance.now() }));
      }).observe(document, { subtree: true, childList: true });
    });
    const errors = [];
    app.on("pageerror", (e) => errors.push(e.message));
    try {
      await app.goto(ctx.server.url);
      await app.waitForFunction(() => window.__appFirst, null, { timeout: 20000 });
      assert.equal(await app.evaluate(() => window.__appFirst.pre), false, "the app removed the copy as it mounted");
      assert.equal(await app.evaluate(() => document.documentElement.className), "");
      assert.deepEqual(await app.evaluate(() => window.__appFirst.screen), copy, `same text, values, look and places at ${viewport.width}×${viewport.height}`);
      // boot.js starts the app once the browser reports the copy's J painted (Chromium
      // reports it below a phone's fold too); its 1 s fallback is for hidden tabs only.
      const at = await app.evaluate(() => window.__appFirst.at);
      assert.ok(at < 1000, `the app started at ${at.toFixed(0)} ms: not held back by the fallback`);
      // Settled (side views shown, panels computed), the first screen still looks the same:
      // nothing in it flickers after the swap.
      await app.waitForFunction(() => document.querySelector("section.export-panel:not([hidden])"));
      await app.waitForTimeout(500);
      assert.deepEqual(await app.evaluate(() => window.__firstScreen()), copy, "settled, the first screen is unchanged");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("the copy is never shown for a link, saved work or an embedding", async () => {
  const url = ctx.server.url;
  const src = "f=" + encodeURIComponent("f(r, t) = [r*cos(t), r*sin(t)]") + "&at=2,0";
  for (const [what, address, saved] of [
    ["a readable link", `${url}?${src}`],
    ["a compact link", `${url}#s=AAAA`],
    ["an embed link", `${url}?embed=1`],
    ["saved work", url, src],
  ]) {
    const page = await withoutWasm(address, { saved });
    try {
      assert.equal(await copyShown(page), false, what);
    } finally {
      await page.context().close();
    }
  }
  // Framed by another origin's page, even at the plain address.
  const dir = mkdtempSync(join(tmpdir(), "jp-frame-"));
  writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><title>Course</title><link rel="icon" href="data:,"></head><body><iframe src="${url}" width="800" height="600" title="Jacobian Playground"></iframe></body></html>`);
  const host = await startServer(dir, { isolate: false });
  const context = await ctx.browser.newContext();
  try {
    const page = await context.newPage();
    await page.route("**/playground_bg.wasm", (r) => r.abort());
    await page.goto(host.url);
    const frame = page.frames().find((f) => f.url().startsWith(url)) ?? (await page.waitForEvent("frameattached"));
    await frame.waitForSelector(".boot-error", { timeout: 20000 });
    assert.equal(await copyShown(frame), false, "framed");
  } finally {
    await context.close();
    await host.close();
  }
});
