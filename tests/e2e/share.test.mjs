// Share and embed: the compact link restores the whole view; the Embed dialog gives a
// snippet and a live preview; embed mode works framed by a page on another origin,
// keeps the host page's scroll and history, and saves nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cell, jacobianText, openApp, suite, SHOTS, pick } from "./helpers.mjs";
import { startServer } from "../../scripts/server.mjs";

const ctx = suite();

async function pressed(page, testid) {
  return page.locator(`[data-testid="${testid}"]`).getAttribute("aria-pressed");
}

test("Share gives a compact link that restores function, point and views", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await pick(page, "polar");
    await page.locator('[data-testid="coord-r"]').fill("3");
    await page.click('[data-testid="view-linear"]');
    await page.click('[data-testid="view-export"]');
    await page.click('[data-testid="view-batch"]');
    await page.click('[data-testid="pass-reverse"]');
    await page.click('[data-testid="step"]');
    await page.click('[data-testid="step"]');
    assert.equal(await pressed(page, "view-linear"), "false");
    assert.equal(await page.locator(".linear-panel").isHidden(), true);
    const before = await jacobianText(page);
    const steps = await cell(page, "step-count");

    await page.click('[data-testid="share"]');
    const link = page.locator('[data-testid="share-link"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes("#s="));
    const compact = await link.inputValue();
    assert.match(compact, /^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+$/);
    const readable = await page.locator('[data-testid="share-readable"]').inputValue();
    assert.match(readable, /\?f=f%28r%2C\+theta%29.*&at=3%2C0\.6&views=passes%2Cfd%2Canalysis&pass=reverse&step=2/);
    assert.ok(compact.length < readable.length, `compact ${compact.length} < readable ${readable.length}`);
    await page.click('[data-testid="share-copy"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]').textContent !== "");
    assert.equal(await cell(page, "share-status"), "Copied.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), compact);
    await page.screenshot({ path: join(SHOTS, "share-dialog.png") });

    for (const url of [compact, readable]) {
      const again = await openApp(ctx.browser, url);
      try {
        assert.deepEqual(await jacobianText(again), before, url.slice(0, 80));
        assert.equal(await again.locator('[data-testid="coord-r"]').inputValue(), "3");
        assert.equal(await pressed(again, "view-linear"), "false");
        assert.equal(await again.locator(".linear-panel").isHidden(), true);
        assert.equal(await again.locator(".export-panel").isHidden(), true);
        assert.equal(await again.locator(".fd-panel").isHidden(), false);
        assert.equal(await pressed(again, "pass-reverse"), "true");
        assert.equal(await cell(again, "step-count"), steps);
        assert.deepEqual(await again.problems(), []);
      } finally {
        await again.context().close();
      }
    }
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("Share falls back to selecting the link when the clipboard is refused", async () => {
  await ctx.withApp(async (page) => {
    await page.evaluate(() => {
      Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) } });
    });
    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes("#s="));
    await page.click('[data-testid="share-copy"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]').textContent !== "");
    assert.match(await cell(page, "share-status"), /Selected: press Ctrl\+C/);
    const selected = await page.evaluate(() => {
      const el = document.activeElement;
      return el.value.slice(el.selectionStart, el.selectionEnd);
    });
    assert.match(selected, /#s=/);
  });
});

test("Embed gives an iframe snippet and a live preview in embed mode", async () => {
  await ctx.withApp(async (page) => {
    await page.click('[data-testid="embed"]');
    const snippet = page.locator('[data-testid="embed-link"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="embed-link"]').value.includes("#s="));
    assert.match(await snippet.inputValue(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#s=[A-Za-z0-9_-]+" width="720" height="560" title="Jacobian Playground" loading="lazy"/);
    await page.locator('[data-testid="embed-width"]').fill("500");
    await page.locator('[data-testid="embed-width"]').dispatchEvent("change");
    await page.locator('[data-testid="embed-title"]').fill('Polar "maps" <b>');
    assert.match(await snippet.inputValue(), /width="500" height="560" title="Polar &quot;maps&quot; &lt;b&gt;"/);
    const frame = page.frameLocator('[data-testid="embed-preview"]');
    await frame.locator('[data-testid="J-2-1"]').waitFor({ timeout: 20000 });
    assert.equal((await frame.locator('[data-testid="J-2-1"]').textContent()).trim(), "48");
    assert.equal(await frame.locator("body").getAttribute("class"), "embed");
    assert.equal(await frame.locator(".pass-panel").isHidden(), true, "views on demand");
    assert.equal(await frame.locator(".gallery").isHidden(), true);
    await page.screenshot({ path: join(SHOTS, "embed-dialog.png"), fullPage: true });
  });
});

test("the Share and Embed dialogs follow the function, the point and the views while open", async () => {
  await ctx.withApp(async (page) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes("#s="));
    const first = await page.locator('[data-testid="share-link"]').inputValue();
    await page.fill('[data-testid="source"]', "f(x, y) = [x*y, x - y]");
    await page.locator('[data-testid="coord-x"]').fill("7");
    await page.waitForFunction((old) => {
      const link = document.querySelector('[data-testid="share-link"]').value;
      return link !== old && link.includes("#s=") && document.querySelector('[data-testid="share-readable"]').value.includes("at=7%2C");
    }, first);
    const readable = await page.locator('[data-testid="share-readable"]').inputValue();
    assert.match(readable, /\?f=f%28x%2C\+y%29\+%3D\+%5Bx\*y%2C\+x\+-\+y%5D&at=7%2C/);
    await page.click('[data-testid="share-copy"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]').textContent === "Copied.");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.locator('[data-testid="share-link"]').inputValue());
    const opened = await openApp(ctx.browser, copied);
    try {
      assert.equal(await opened.locator('[data-testid="source"]').inputValue(), "f(x, y) = [x*y, x - y]");
      assert.equal(await cell(opened, "J-0-1"), "7", "the copied link has the point typed after the dialog opened");
    } finally {
      await opened.context().close();
    }
    // A view closed while the dialog is open is in the link too.
    await page.click('[data-testid="view-export"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="share-readable"]').value.includes("export"));
    await page.click('[data-testid="share"]');
    // Embed: the snippet and the preview follow the page.
    await page.click('[data-testid="embed"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="embed-link"]').value.includes("#s="));
    const frame = page.frameLocator('[data-testid="embed-preview"]');
    await frame.locator('[data-testid="J-0-1"]').waitFor({ timeout: 20000 });
    assert.equal((await frame.locator('[data-testid="J-0-1"]').textContent()).trim(), "7");
    await page.locator('[data-testid="coord-x"]').fill("9");
    await frame.locator('[data-testid="J-0-1"]:text-is("9")').waitFor({ timeout: 20000 });
  });
});

test("embed mode in a page on another origin: usable, keeps the host's scroll and history, saves nothing", async () => {
  const app = ctx.server.url; // http://127.0.0.1:<port>/
  const frag = await (async () => {
    const page = await openApp(ctx.browser, app);
    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes("#s="));
    const v = await page.locator('[data-testid="share-link"]').inputValue();
    await page.context().close();
    return v.split("#")[1];
  })();
  const dir = mkdtempSync(join(tmpdir(), "jp-host-"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html><head><title>Course page</title><link rel="icon" href="data:,"></head><body>
<h1>Week 3: Jacobians</h1>
<iframe id="pg" src="${app}?embed=1#${frag}" width="720" height="560" title="Jacobian Playground"></iframe>
<div style="height:3000px">more course text</div></body></html>`,
  );
  const host = await startServer(dir, { isolate: false });
  assert.notEqual(new URL(host.url).port, new URL(app).port, "a different origin");
  const context = await ctx.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  try {
    await page.goto(host.url);
    const frame = page.frameLocator("#pg");
    await frame.locator('[data-testid="J-2-1"]').waitFor({ timeout: 20000 });
    assert.equal((await frame.locator('[data-testid="J-2-1"]').textContent()).trim(), "48");
    assert.equal(await frame.locator("body").getAttribute("class"), "embed");
    for (const hidden of [".pass-panel", ".fd-panel", ".export-panel", ".gallery", '[data-testid="embed"]']) {
      assert.equal(await frame.locator(hidden).isHidden(), true, hidden);
    }
    // Views on demand.
    await frame.locator('[data-testid="view-fd"]').click();
    assert.equal(await frame.locator(".fd-panel").isHidden(), false);
    await frame.locator('[data-testid="view-fd"]').click();
    // The way out: the full playground, same function, no embed flag.
    const open = frame.locator('[data-testid="open-full"]');
    assert.equal(await open.isVisible(), true);
    await open.focus();
    const href = await open.getAttribute("href");
    assert.ok(href.startsWith(app + "?f=") && !href.includes("embed"), href);
    // At the snippet's size the embedded page fits without scrolling, so a wheel over the
    // frame scrolls the host page (nothing in the frame takes it).
    const fits = await page.frames()[1].evaluate(() => document.documentElement.scrollHeight <= innerHeight);
    assert.equal(fits, true, "the embedded page fits its frame");
    const box = await page.locator("#pg").boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 400);
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    // Touch: swiping over the pad scrolls the host page until the pad is focused (tapped).
    const touch = () => page.frames()[1].evaluate(() => getComputedStyle(document.querySelector('[data-testid="pad"]')).touchAction);
    assert.equal(await touch(), "pan-x pan-y");
    await frame.locator('[data-testid="pad"]').focus();
    assert.equal(await touch(), "none");
    // Moving the point and editing the function: no history entries for the host, no
    // saved work.
    const historyLength = await page.evaluate(() => history.length);
    const source = frame.locator('[data-testid="source"]');
    await source.fill("f(x, y) = [x*y, x + y]");
    await frame.locator('[data-testid="pad"]').focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => history.length), historyLength);
    const saved = await page.frames()[1].evaluate(() => localStorage.getItem("jacobian-playground.work"));
    assert.equal(saved, null);
    await page.screenshot({ path: join(SHOTS, "embed-cross-origin.png") });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await host.close();
  }
});

test("embedded on a touch phone: the frame fits with J in sight, a swipe scrolls the host, a tap only focuses the pad", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jp-touch-host-"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>Course page</title><link rel="icon" href="data:,"></head><body>
<h1>Week 3</h1><iframe id="pg" src="${ctx.server.url}?embed=1" width="720" height="560" style="border:0;max-width:100%" title="Jacobian Playground"></iframe>
<div style="height:3000px">more course text</div></body></html>`,
  );
  const host = await startServer(dir, { isolate: false });
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  try {
    await page.goto(host.url);
    const frame = page.frameLocator("#pg");
    await frame.locator('[data-testid="J-2-1"]').waitFor({ timeout: 20000 });
    const inner = page.frames()[1];
    const fit = await inner.evaluate(() => ({
      scroll: document.documentElement.scrollHeight, height: innerHeight, width: innerWidth,
      jBottom: document.querySelector('[data-testid="jacobian"]').getBoundingClientRect().bottom,
    }));
    assert.ok(fit.width < 400, `a phone-wide frame (${fit.width} px)`);
    assert.ok(fit.scroll <= fit.height, `the embed fits its frame: ${fit.scroll} px of content in ${fit.height}`);
    assert.ok(fit.jBottom <= fit.height, `J is in sight: its bottom at ${fit.jBottom} of ${fit.height}`);
    const readout = () => frame.locator('[data-testid="readout"]').textContent();
    const start = await readout();
    const cdp = await context.newCDPSession(page);
    const b2 = await frame.locator('[data-testid="pad"]').boundingBox();
    // A tap focuses the pad and leaves the point where it was.
    await page.touchscreen.tap(b2.x + b2.width * 0.2, b2.y + b2.height * 0.2);
    await inner.waitForFunction(() => document.activeElement?.dataset.testid === "pad", null, { timeout: 5000 });
    await page.waitForTimeout(100);
    assert.equal(await readout(), start, "the tap did not move the point");
    // Focused, a touch drags the point.
    const [x, y] = [b2.x + b2.width * 0.3, b2.y + b2.height * 0.3];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
    for (let k = 1; k <= 5; k++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x + 8 * k, y }] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.waitForTimeout(200);
    const moved = await readout();
    assert.notEqual(moved, start, "once focused, a touch drags the point");
    // Unfocused again, a swipe up across the pad scrolls the course page, and the point stays.
    await inner.evaluate(() => document.activeElement.blur());
    const [cx, cy] = [b2.x + b2.width / 2, b2.y + b2.height / 2];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: cx, y: cy }] });
    for (let k = 1; k <= 10; k++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: cx, y: cy - 20 * k }] });
      await page.waitForTimeout(16);
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.waitForFunction(() => window.scrollY > 100, null, { timeout: 5000 });
    assert.equal(await readout(), moved, "the swipe did not move the point");
    assert.notEqual(await inner.evaluate(() => document.activeElement?.dataset.testid), "pad", "a swipe does not focus the pad");
    await page.screenshot({ path: join(SHOTS, "embed-touch-phone.png") });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await host.close();
  }
});
