// The walking skeleton: the classic example renders the right numbers, edits update them,
// syntax errors point at the character and keep the last good Jacobian, and the CSP holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, fValues, jacobianText, openApp, suite } from "./helpers.mjs";

const ctx = suite();
const withApp = (fn, query) => ctx.withApp(fn, query);

test("opens on the classic example at (3, 4, 5) with the right f and J", () =>
  withApp(async (page) => {
    assert.deepEqual(await jacobianText(page), [
      ["1", "1", "0"],
      ["5", "0", "3"],
      ["0", "48", "0"],
    ]);
    assert.deepEqual(await fValues(page), ["7", "15", "64"]);
    assert.equal(await page.inputValue('[data-testid="coord-x2"]'), "4");
    await page.screenshot({ path: join(SHOTS, "skeleton-classic.png"), fullPage: true });
  }));

test("typing x2 = 2 turns J[2][1] into 12 at once", () =>
  withApp(async (page) => {
    const field = page.locator('[data-testid="coord-x2"]');
    await field.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("2");
    await page.waitForFunction(() => document.querySelector('[data-testid="J-2-1"]').textContent.trim() === "12");
    assert.equal((await fValues(page))[0], "5");
    assert.equal((await fValues(page))[2], "8");
    assert.equal(await cell(page, "J-1-0"), "5");
  }));

test("editing the function text updates J", () =>
  withApp(async (page) => {
    await page.fill('[data-testid="source"]', "f(x1, x2, x3) = [x1*x2*x3, sin(x1) + x3^2]");
    await page.waitForFunction(() => document.querySelector('[data-testid="J-1-2"]')?.textContent.trim() === "10");
    assert.deepEqual(await jacobianText(page), [
      ["20", "15", "12"],
      ["−0.989992", "0", "10"],
    ]);
  }));

test("a syntax error points at the offending character and keeps the last good J", () =>
  withApp(async (page) => {
    const source = page.locator('[data-testid="source"]');
    await source.click();
    await page.keyboard.press("Control+End");
    // Turn `x2^3]` into `x2^3 $]`: a stray character on line 2.
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.type(" $");
    const err = page.locator('[data-testid="error"]').first();
    await err.waitFor();
    assert.match(await err.textContent(), /2:39: unexpected character '\$'/);
    assert.equal(await err.getAttribute("data-line"), "2");
    assert.equal(await err.getAttribute("data-col"), "39");
    assert.equal(await cell(page, "error-mark"), "$");
    assert.equal(await cell(page, "J-2-1"), "48", "the last good Jacobian stays");
    assert.equal(await page.locator('[data-testid="stale"]').isVisible(), true);
    await page.screenshot({ path: join(SHOTS, "skeleton-syntax-error.png"), fullPage: true });
    // Fixing it brings the live result back.
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.locator('[data-testid="error"]').waitFor({ state: "detached" });
    assert.equal(await page.locator('[data-testid="stale"]').isVisible(), false);
  }));

test("the Content-Security-Policy is in force: inline script is refused", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    assert.deepEqual(await page.problems(), []);
    const ran = await page.evaluate(async () => {
      window.__inlineRan = false;
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return window.__inlineRan;
    });
    assert.equal(ran, false, "inline script must not run");
    const csp = await page.evaluate(() => window.__cspViolations);
    assert.equal(csp.length, 1, `exactly the probe's violation: ${csp}`);
  } finally {
    await page.context().close();
  }
});
