// Vectors and matrices in the page: a network in three lines, seeded weights with the same
// bits as natively (tests/tensors.rs holds the same numbers), shape errors at the operator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite } from "./helpers.mjs";

const ctx = suite();
// The first three numbers randn gives seed 1 (SplitMix64 and the polar method), as
// tests/tensors.rs's RANDN_SEED_1 has them natively.
const RANDN_SEED_1 = [0.42945220538400686, 1.5857725335739927, 0.4564552075888475];

test("randn's weights are the native ones, bit for bit", () =>
  ctx.withApp(async (page) => {
    await page.fill('[data-testid="source"]', "f(x) = randn(3, 1) * x");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("3 × 1"));
    await page.fill('[data-testid="coord-x"]', "1");
    await page.keyboard.press("Enter");
    for (let i = 0; i < 3; i++) {
      await page.waitForFunction(([i, want]) => Number(document.querySelector(`[data-testid="J-${i}-0"]`)?.title) === want, [i, RANDN_SEED_1[i]]);
    }
  }));

test("a network written with vectors and matrices: J with a column per input entry, columns summing to 0", () =>
  ctx.withApp(async (page) => {
    await page.selectOption('[data-testid="gallery"]', "mlp");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("3 × 4"));
    const headers = await page.locator('[data-testid="jacobian"] thead th').allTextContents();
    assert.deepEqual(headers.slice(1), ["∂/∂x[0]", "∂/∂x[1]", "∂/∂x[2]", "∂/∂x[3]"]);
    const rows = await page.locator('[data-testid="jacobian"] tbody th').allTextContents();
    assert.deepEqual(rows, ["net[0]", "net[1]", "net[2]"]);
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      let scale = 0;
      for (let i = 0; i < 3; i++) {
        const v = Number(await page.locator(`[data-testid="J-${i}-${j}"]`).getAttribute("title"));
        sum += v;
        scale = Math.max(scale, Math.abs(v));
      }
      assert.ok(scale > 1e-3 && Math.abs(sum) < 1e-15, `column ${j} sums to ${sum}`);
    }
    // A slider per entry of x, named by its index.
    assert.equal(await page.locator('[data-testid="coord-x[3]"]').count(), 1);
  }));

test("a shape error points at the operator and names both shapes", () =>
  ctx.withApp(async (page) => {
    const src = "W = [[1, 2, 3]]\nf(x[2]) = W @ x";
    await page.fill('[data-testid="source"]', src);
    const error = page.locator('[data-testid="error"]').first();
    await error.waitFor();
    assert.match(await error.textContent(), /W is a 1×3 matrix but x has 2 entries/);
    assert.equal(await error.getAttribute("data-line"), "2");
    assert.equal(await error.getAttribute("data-col"), String("f(x[2]) = W ".length + 1));
  }));
