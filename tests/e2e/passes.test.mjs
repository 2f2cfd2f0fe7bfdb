// Stepping through a forward pass fills in a column of J; a reverse pass, a row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, openApp, suite } from "./helpers.mjs";

const ctx = suite();
const withApp = (fn, query) => ctx.withApp(fn, query);

test("forward pass for x1 fills in column 1 of J step by step", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    assert.match(await page.locator('[data-testid="pass-explain"]').textContent(), /n = 3 such passes/);
    assert.equal(await cell(page, "step-count"), "step 0 of 6");
    // Nothing is known before the first step.
    assert.equal(await cell(page, "deriv-0"), "·");
    await page.click('[data-testid="step"]');
    assert.equal(await cell(page, "deriv-0"), "1", "the seed ẋ1 = 1");
    await page.click('[data-testid="step"]');
    await page.click('[data-testid="step"]');
    assert.equal(await cell(page, "deriv-1"), "0");
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Step through/);
    // Keyboard steps too.
    await page.locator('[data-testid="step"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await cell(page, "deriv-3"), "1", "v3 = x1 + x2: ẋ = 1");
    await page.click('[data-testid="step-all"]');
    assert.equal(await cell(page, "step-count"), "step 6 of 6");
    assert.equal(await cell(page, "deriv-4"), "5", "v4 = x1·x3: ẋ = x3 = 5");
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /column of J is \(1, 5, 0\)/);
    // The column being computed is highlighted in J.
    assert.equal(await page.locator('[data-testid="J-1-0"]').getAttribute("class"), "in-pass");
    assert.equal(await page.locator('[data-testid="gnode-5"]').count(), 1, "the graph is drawn");
    await page.screenshot({ path: join(SHOTS, "pass-forward.png"), fullPage: true });
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("reverse pass for f3 fills in row 3 of J: 48 reaches x2 when powi runs", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    await page.click('[data-testid="pass-reverse"]');
    await page.selectOption('[data-testid="pass-dir"]', "2");
    assert.match(await page.locator('[data-testid="pass-explain"]').textContent(), /m = 3 such passes/);
    assert.equal(await cell(page, "deriv-5"), "1", "the seed on f3");
    assert.equal(await cell(page, "deriv-1"), "0");
    // Reverse order: v5 (powi) is processed first.
    await page.click('[data-testid="step"]');
    assert.equal(await cell(page, "deriv-1"), "48");
    await page.click('[data-testid="step-all"]');
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /row of J is \(0, 48, 0\)/);
    assert.equal(await page.locator('[data-testid="J-2-1"]').getAttribute("class"), "in-pass");
    await page.click('[data-testid="step-back"]');
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Step through/);
    await page.screenshot({ path: join(SHOTS, "pass-reverse.png"), fullPage: true });
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});
