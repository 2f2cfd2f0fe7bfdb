// Stepping through a forward pass fills in a column of J; a reverse pass, a row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, openApp, suite, pick } from "./helpers.mjs";

const ctx = suite();
const withApp = (fn, query) => ctx.withApp(fn, query);

test("forward pass for x1 fills in column 1 of J step by step", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    assert.match(await page.locator('[data-testid="pass-explain"]').textContent(), /seeds ẋ = e_1 \(x1 moves alone\) and gives x1's column of J\. The full J needs n = 3 such passes/);
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
    assert.match(await page.locator('[data-testid="pass-explain"]').textContent(), /seeds ȳ = e_3 \(on f3 alone\) and gives f3's row of J — one torch\.autograd\.grad call\. The full J needs m = 3 such passes .* one batched sweep with 3 seeds: 168 bytes of adjoints instead of 56 bytes\./);
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

test("a reverse pass fills its row of J entry by entry, each step saying the product it added; Step ends disabled", () =>
  withApp(async (page) => {
    await page.click('[data-testid="pass-reverse"]');
    await page.selectOption('[data-testid="pass-dir"]', "1");
    const row = async () => [await cell(page, "J-1-0"), await cell(page, "J-1-1"), await cell(page, "J-1-2")];
    assert.deepEqual(await row(), ["5", "0", "3"], "before stepping, J is whole");
    assert.equal(await page.locator('[data-testid="step-back"]').isDisabled(), true);
    // Steps go v5 (x2^3, adjoint 0 here), v4 = x1*x3, v3 = x1 + x2.
    await page.click('[data-testid="step"]');
    assert.deepEqual(await row(), ["…", "…", "…"], "no input's adjoint is final yet");
    assert.match(await page.locator('[data-testid="J-1-0"]').getAttribute("class"), /pending/);
    await page.click('[data-testid="step"]');
    assert.equal(await cell(page, "pass-last"), "x̄1 += v̄4 · ∂v4/∂x1 = 1 · 5 = 5; x̄3 += v̄4 · ∂v4/∂x3 = 1 · 3 = 3");
    assert.deepEqual(await row(), ["…", "…", "3"], "∂f2/∂x3 is final once v4 has pushed to x3");
    await page.click('[data-testid="step"]');
    assert.deepEqual(await row(), ["5", "0", "3"]);
    assert.match(await cell(page, "pass-last"), /^x̄1 \+= v̄3 · ∂v3\/∂x1 = 0 · 1 = 0; x̄2 \+= v̄3 · ∂v3\/∂x2 = 0 · 1 = 0$/);
    assert.equal(await page.locator('[data-testid="step"]').isDisabled(), true, "nothing left to step");
    assert.equal(await page.locator('[data-testid="step-all"]').isDisabled(), true);
    // Forward: the column fills as each output's tangent is computed.
    await page.click('[data-testid="pass-forward"]');
    await page.click('[data-testid="step"]');
    assert.deepEqual([await cell(page, "J-0-0"), await cell(page, "J-1-0"), await cell(page, "J-2-0")], ["…", "…", "…"]);
    for (let k = 0; k < 3; k++) await page.click('[data-testid="step"]');
    assert.deepEqual([await cell(page, "J-0-0"), await cell(page, "J-1-0"), await cell(page, "J-2-0")], ["1", "…", "…"], "v3 = f1 is computed");
    assert.match(await cell(page, "pass-last"), /= 1 · 1 \+ 1 · 0 = 1$/);
    await page.screenshot({ path: join(SHOTS, "pass-fill.png"), fullPage: true });
  }));

test("a network's reverse pass steps through its layers: each operation's adjoints arrive as a strip, and the row of J fills in", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    await pick(page, "decoder");
    await page.click('[data-testid="pass-reverse"]');
    await page.selectOption('[data-testid="pass-dir"]', "5");
    assert.equal(await cell(page, "step-count"), "step 0 of 4", "sigmoid, the second layer, tanh, the first layer");
    assert.equal(await page.locator('[data-testid^="trace-"]').count(), 6, "five operations and the window note");
    assert.equal(await page.locator('[data-testid="trace-0"] th').textContent(), "z[0]…z[31]");
    assert.equal(await page.locator('[data-testid="trace-1"] .op-cell').textContent(), "dense 64×32");
    assert.equal(await page.locator('[data-testid="trace-4"] .op-cell').textContent(), "sigmoid ×64");
    assert.equal(await page.locator('[data-testid="graph"]').count(), 0, "no graph of 288 nodes");
    await page.click('[data-testid="step"]');
    assert.equal(await cell(page, "step-count"), "step 1 of 4");
    // The adjoint has reached the second layer: a strip, and its largest entry.
    const strip = await page.locator('[data-testid="deriv-3"] .strip').getAttribute("style");
    assert.match(strip, /linear-gradient\(90deg, rgb\(/);
    assert.notEqual(await cell(page, "deriv-3"), "0");
    assert.equal(await cell(page, "deriv-2"), "0", "tanh's adjoint is not there yet");
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Step through/);
    await page.screenshot({ path: join(SHOTS, "pass-layers.png"), fullPage: true });
    await page.click('[data-testid="step-all"]');
    assert.equal(await cell(page, "step-count"), "step 4 of 4");
    assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Done: this row of J is \(−?\d/);
    assert.match(await page.locator('[data-testid="deriv-0"] .strip').getAttribute("style"), /gradient/, "J's row itself");
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});
