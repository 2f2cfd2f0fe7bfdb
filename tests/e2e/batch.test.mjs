// The Batch view: points added from the pad or typed, every point's J as a tile and in
// numbers, each entry over the batch as a sparkline, the three ways of the PyTorch threads timed in
// this browser, the vmap(jacrev) code; and a link carrying a batch and parameters restores
// both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { suite, SHOTS } from "./helpers.mjs";

const ctx = suite();
const text = (page) => page.inputValue('[data-testid="batch-text"]');
const waitText = (page, part) =>
  page.waitForFunction((p) => document.querySelector('[data-testid="batch-text"]').value.includes(p), part);
const readout = (page) => page.textContent('[data-testid="batch-readout"]');

test("the batch panel shows a J per point and times the three ways", () =>
  ctx.withApp(async (page) => {
    await waitText(page, "No points yet");
    assert.equal(await page.isVisible('[data-testid="batch-mosaic"]'), false);
    await page.click('[data-testid="batch-add"]');
    // The classic example at (3, 4, 5).
    await waitText(page, "1 point: J is 3 × 3 at each (a 1 × 3 × 3 batch).");
    await page.click('[data-testid="batch-grid"]');
    await waitText(page, "17 points: J is 3 × 3 at each");
    await page.click('[data-testid="batch-line"]');
    await waitText(page, "25 points: J is 3 × 3 at each");
    // The line runs across the pad's view of x1 (0 … 6: 3 ± 3), each point in the middle
    // of its eighth; x2 and x3 stay at the point.
    const lines = (await page.inputValue('[data-testid="batch-points"]')).split("\n");
    assert.deepEqual(lines.slice(17), [0.375, 1.125, 1.875, 2.625, 3.375, 4.125, 4.875, 5.625].map((v) => `${v}, 4, 5`));
    // Shift-click on the pad adds the point clicked.
    const pad = page.locator('[data-testid="pad"]');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    await page.keyboard.down("Shift");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.up("Shift");
    await waitText(page, "26 points: J is 3 × 3 at each");
    await page.fill('[data-testid="batch-points"]', "3, 4, 5\n1 2 3");
    await page.locator('[data-testid="batch-points"]').blur();
    await waitText(page, "2 points: J is 3 × 3 at each");
    const t = await text(page);
    assert.ok(t.includes("at (3, 4, 5)\n  [  1   1   0 ]\n  [  5   0   3 ]\n  [  0  48   0 ]\n"), t);
    // J at (1, 2, 3): [[1, 1, 0], [3, 0, 1], [0, 12, 0]].
    assert.ok(t.includes("at (1, 2, 3)\n  [  1   1   0 ]\n  [  3   0   1 ]\n  [  0  12   0 ]\n"), t);
    assert.match(t, /timed here \(median of \d+ rounds/);
    assert.match(t, /a loop of per-point Jacobians +2 forward passes \+ 6 reverse passes: [\d.]+ (µs|ms), [\d.]+ (bytes|KB) of memory/);
    assert.match(t, /repeat each input m times, backprop an identity +6 forward passes held at once \+ 6 reverse passes/);
    assert.match(t, /one batched sweep per point \(vmap\(jacrev\)\) +2 forward passes \+ 2 reverse sweeps of 3 adjoints/);
    assert.ok(t.includes("X = [[3.0, 4.0, 5.0], [1.0, 2.0, 3.0]]"), t);
    assert.ok(t.includes("Js = torch.func.vmap(torch.func.jacrev(f))"), t);
    // The tiles: the pointer over tile 2's entry (2, 1) reads out J at (1, 2, 3) there.
    assert.equal(await page.textContent('[data-testid="batch-legend"]'), "2 tiles, one a point, in the list's order, on one scale: blue −48 … white 0 … red +48; grey: NaN.");
    const mosaic = page.locator('[data-testid="batch-mosaic"]');
    await mosaic.scrollIntoViewIfNeeded();
    const m = await mosaic.boundingBox();
    // Two 3 × 3 tiles in a row, a pixel between: 7 pixels across, 3 down.
    const at = (x, y) => [m.x + (x / 7) * m.width, m.y + (y / 3) * m.height];
    await page.mouse.move(...at(4 + 1.5, 2.5));
    assert.equal(await readout(page), "Point 2 at (1, 2, 3): ∂f3/∂x2 = 12");
    // The keyboard moves on from there: the same entry of point 1, then right along row 3
    // and on into point 2's tile, its cursor drawn on the picture in black.
    await mosaic.focus();
    await page.keyboard.press("PageUp");
    assert.equal(await readout(page), "Point 1 at (3, 4, 5): ∂f3/∂x2 = 48");
    await page.keyboard.press("ArrowRight");
    assert.equal(await readout(page), "Point 1 at (3, 4, 5): ∂f3/∂x3 = 0");
    await page.keyboard.press("ArrowRight");
    assert.equal(await readout(page), "Point 2 at (1, 2, 3): ∂f3/∂x1 = 0");
    const pixel = (x, y) => mosaic.evaluate((c, [x, y]) => [...c.getContext("2d").getImageData(x, y, 1, 1).data], [x, y]);
    await page.waitForFunction(() => document.querySelector('[data-testid="batch-mosaic"]').getContext("2d").getImageData(4, 2, 1, 1).data[0] === 0);
    assert.deepEqual(await pixel(4, 2), [0, 0, 0, 255]);
    assert.deepEqual(await pixel(6, 2), [255, 255, 255, 255]);
    // Each entry over the batch, point by point: ∂f3/∂x2 is 48 then 12.
    assert.ok(t.includes("Each entry over the batch, point by point; ▁ its lowest … █ its highest:\n"), t);
    assert.ok(t.includes("  ∂f3/∂x2  █▁  12 … 48\n"), t);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, "batch.png") });
    // A line that is not a point says which.
    await page.fill('[data-testid="batch-points"]', "1, 2");
    await page.locator('[data-testid="batch-points"]').blur();
    await waitText(page, "The points were not read: line 1: 2 coordinates where f has 3.");
    assert.equal(await page.isVisible('[data-testid="batch-mosaic"]'), false);
  }));

test("a link with parameters and a batch restores both", () =>
  ctx.withApp(async (page) => {
    const src = encodeURIComponent("f(x, y; a = 1, b = 0.5) = [a*x^2 - y, x*y + b]");
    await page.goto(`${ctx.server.url}?f=${src}&at=2%2C3&p=3%2C0.5&batch=1%2C1%0A2%2C0`);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await page.inputValue('[data-testid="coord-a"]'), "3");
    // ∂f1/∂x = 2·a·x = 12 at x = 2, a = 3.
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 12);
    await waitText(page, "2 points: J is 2 × 2 at each");
    const t = await text(page);
    // At (1, 1) with a = 3: [[6, -1], [1, 1]]; at (2, 0): [[12, -1], [0, 2]].
    assert.ok(t.includes("at (1, 1)\n  [  6  −1 ]\n  [  1   1 ]\n"), t);
    assert.ok(t.includes("at (2, 0)\n  [ 12  −1 ]\n  [  0   2 ]\n"), t);
    assert.equal(await page.inputValue('[data-testid="batch-points"]'), "1,1\n2,0");
    // ∂f1/∂x = 2·a·x over the batch, point by point (x and y both vary).
    assert.ok(t.includes("  ∂f1/∂x  ▁█  6 … 12\n"), t);
  }));
