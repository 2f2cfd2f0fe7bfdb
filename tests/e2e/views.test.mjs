// The linearisation view, the Jacobian field behind the pad, playing a pass, the chosen
// finite-difference step and the µs measured per strategy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, suite, pick } from "./helpers.mjs";

const ctx = suite();
// A number as a cell shows it: "−" for minus; a timing may carry "≈" or its spread "±N%".
const num = (s) => Number(s.replace(/−/g, "-").replace(/^≈/, "").replace(/ ±\d+%$/, ""));

/// Non-white, non-transparent pixels on a canvas.
const inked = (page, testid) =>
  page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < d.length; k += 4) if (d[k + 3] > 0 && (d[k] < 230 || d[k + 1] < 230 || d[k + 2] < 230)) n++;
    return n;
  }, testid);

/// RGBA of the field canvas at a fraction (u, v) of the pad, v up.
const fieldPixel = (page, u, v) =>
  page.evaluate(([u, v]) => {
    const c = document.querySelector('[data-testid="field"]');
    const x = Math.min(c.width - 1, Math.floor(u * c.width));
    const y = Math.min(c.height - 1, Math.floor((1 - v) * c.height));
    return Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data);
  }, [u, v]);

test("linearisation: the block of J, its det and singular values, grid and ellipse drawn", () =>
  ctx.withApp(async (page) => {
    // Classic at (3, 4, 5), inputs (x1, x2), outputs (f1, f2): block [[1, 1], [5, 0]].
    assert.match(await cell(page, "lin-block"), /\[1, 1; 5, 0\]\. det of this block = −5 \(orientation flips\)/);
    const sv = (await cell(page, "lin-block")).match(/singular values ([\d.]+), ([\d.]+)/);
    assert.ok(Math.abs(num(sv[1]) * num(sv[2]) - 5) < 1e-4, sv[0]);
    // Full J: σ₁σ₂σ₃ = |det J| = 144.
    const full = (await cell(page, "lin-singular")).match(/J: ([\d.]+), ([\d.]+), ([\d.]+)/);
    assert.ok(Math.abs(num(full[1]) * num(full[2]) * num(full[3]) - 144) < 1e-2, full[0]);
    await page.locator('[data-testid="lin-output"]').scrollIntoViewIfNeeded();
    assert.ok((await inked(page, "lin-input")) > 500);
    assert.ok((await inked(page, "lin-output")) > 500);
    // Outputs (f1, f3): x2³ bends the grid, and the bend grows with the radius.
    await page.selectOption('[data-testid="lin-out-1"]', "2");
    await page.selectOption('[data-testid="lin-radius"]', "0");
    const gap = async () => num((await cell(page, "lin-gap")).match(/up to ([\d.e−]+) × r/)[1]);
    const tiny = await gap();
    await page.selectOption('[data-testid="lin-radius"]', "3");
    const large = await gap();
    assert.ok(large > 10 * tiny && tiny > 0, `gap ${tiny} (tiny) vs ${large} (large)`);
    assert.match(await cell(page, "lin-block"), /\[1, 1; 0, 48\]/);
    await page.locator(".linear-panel").screenshot({ path: join(SHOTS, "linearisation.png") });
  }));

test("the Jacobian field behind the pad: det J, an entry, none", () =>
  ctx.withApp(async (page) => {
    // Classic: det J = −3·x1·x2² over x1 ∈ [0, 6], x2 ∈ [0, 8]: blue, fading to white at the axes.
    assert.equal(await page.inputValue('[data-testid="field-kind"]'), "det");
    assert.ok(Number(await page.getAttribute('[data-testid="field"]', "data-jacobians")) >= 256);
    const [r, g, b] = await fieldPixel(page, 0.95, 0.95);
    assert.ok(b > r + 60, `top right is blue: ${[r, g, b]}`);
    const low = await fieldPixel(page, 0.02, 0.02);
    assert.ok(low[0] > 230 && low[2] > 230, `near x1 = x2 = 0, det ≈ 0 is white: ${low}`);
    // ∂f2/∂x3 = x1 > 0: red, stronger to the right.
    await page.selectOption('[data-testid="field-kind"]', "J1.2");
    const left = await fieldPixel(page, 0.1, 0.5);
    const right = await fieldPixel(page, 0.9, 0.5);
    assert.ok(right[0] > right[2] + 60 && right[1] < left[1], `left ${left}, right ${right}`);
    assert.match(await cell(page, "field-legend"), /red > 0/);
    await page.locator(".point-panel").screenshot({ path: join(SHOTS, "field.png") });
    await page.selectOption('[data-testid="field-kind"]', "off");
    assert.equal(await page.locator('[data-testid="field"]').isHidden(), true);
  }));

test("Play steps through a pass on its own until the column is filled in", () =>
  ctx.withApp(async (page) => {
    await page.click('[data-testid="play"]');
    assert.equal(await cell(page, "play"), "Pause");
    await page.waitForFunction(() => /^Done/.test(document.querySelector('[data-testid="pass-result"]').textContent), null, { timeout: 15000 });
    assert.match(await cell(page, "pass-result"), /column of J is \(1, 5, 0\)/);
    assert.equal(await cell(page, "play"), "Play");
  }));

test("a chosen step h sets the heat maps: x2³ at x2 = 4 with h = 0.4", () =>
  ctx.withApp(async (page) => {
    await page.selectOption('[data-testid="fd-h"]', "1"); // h = 1e-1, scaled by max(1, |x|) = 4
    // Forward: 3·x·h + h² = 4.96; central: h² = 0.16.
    assert.ok(Math.abs(num(await cell(page, "fd-f-2-1")) - 4.96) < 1e-9, await cell(page, "fd-f-2-1"));
    assert.ok(Math.abs(num(await cell(page, "fd-c-2-1")) - 0.16) < 1e-9, await cell(page, "fd-c-2-1"));
    assert.match(await cell(page, "fd-best"), /best forward h/);
  }));

test("the cost panel measures µs per strategy in this browser", () =>
  ctx.withApp(async (page) => {
    await page.waitForFunction(() => !document.querySelector('[data-testid="micros-complex_step"]').textContent.includes("…"), null, { timeout: 15000 });
    for (const s of ["forward", "reverse", "batched_forward", "sparse", "fd_central", "complex_step"]) {
      const us = num(await cell(page, `micros-${s}`));
      assert.ok(us > 0 && us < 1e4, `${s}: ${us} µs`);
    }
    assert.match(await page.locator('[data-testid="cost"] caption').textContent(), /f takes ≈?[\d.]+( ±\d+%)? µs/);
  }));

test("the sparsity view of the banded chain: its colours, its sweeps and the compressed J", () =>
  ctx.withApp(async (page) => {
    await pick(page, "banded");
    await page.waitForFunction(() => document.querySelector('[data-testid="sparsity"]')?.textContent.includes("3 compressed sweeps instead of 8"));
    const figure = page.locator('[data-testid="sparsity"]');
    for (const line of ["Sweep 1 seeds x1 + x4 + x7.", "Sweep 2 seeds x2 + x5 + x8.", "Sweep 3 seeds x3 + x6."]) assert.ok((await figure.textContent()).includes(line), line);
    // SVG in its namespace; 22 coloured cells in each drawing, in three colours.
    assert.equal(await page.$eval('[data-testid="sparsity-pattern"]', (s) => s.namespaceURI), "http://www.w3.org/2000/svg");
    const cells = (id) => page.$$eval(`[data-testid="${id}"] .cell`, (gs) => gs.map((g) => [g.querySelector("rect").getAttribute("fill"), g.textContent]));
    const pattern = await cells("sparsity-pattern");
    assert.equal(pattern.length, 22);
    assert.equal(new Set(pattern.map((c) => c[0])).size, 3);
    // Row f4 of J: x3, x4, x5 in sweeps 3, 1, 2; the compressed row f4 names where each goes.
    assert.deepEqual(pattern.slice(8, 11).map((c) => c[1].slice(-1)), ["3", "1", "2"]);
    const compressed = await cells("sparsity-compressed");
    assert.deepEqual(compressed.slice(8, 11).map((c) => c[1].replace(/^.*(x\d)$/, "$1")), ["x4", "x5", "x3"]);
    // Hovering a compressed entry says which sweep gives which entry of J.
    assert.equal(await page.$eval('[data-testid="sparsity-compressed"] .cell:nth-of-type(9) title', (t) => t.textContent), "sweep 1 gives ∂f4/∂x4");
    await figure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "sparsity-banded.png") });
  }, "views=analysis"));

test("Newton's method on the pad: the polar example reaches its target in at most 6 steps, drawn", () =>
  ctx.withApp(async (page) => {
    await pick(page, "polar");
    await page.waitForFunction(() => document.querySelector('[data-testid="coord-theta"]'));
    await page.fill('[data-testid="newton-target"]', "1, 1");
    await page.locator('[data-testid="newton-target"]').press("Enter");
    const summary = page.locator('[data-testid="newton-summary"]');
    await summary.waitFor();
    const said = await summary.textContent();
    const steps = Number(said.match(/converged in (\d+) steps/)[1]);
    assert.ok(steps <= 6, said);
    // The table: a row per iterate, the last at r = √2, θ = π/4 with f(x) − y* at 0.
    const rows = await page.$$eval('[data-testid="newton-table"] tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
    assert.equal(rows.length, steps + 1);
    assert.deepEqual(rows[0].slice(0, 2), ["0", "(2, 0.6)"]);
    assert.equal(rows[steps][1], "(1.41421, 0.785398)");
    // The path on the pad starts at the marker and has a dot per step.
    const path = page.locator('[data-testid="newton-path"]');
    assert.equal(await path.evaluate((p) => p.namespaceURI), "http://www.w3.org/2000/svg");
    const points = (await path.getAttribute("points")).split(" ");
    assert.equal(points.length, steps + 1);
    const marker = await page.locator('[data-testid="pad-marker"]').evaluate((c) => [c.getAttribute("cx"), c.getAttribute("cy")].map(Number));
    const start = points[0].split(",").map(Number);
    assert.ok(Math.abs(start[0] - marker[0]) < 0.1 && Math.abs(start[1] - marker[1]) < 0.1, `${start} vs ${marker}`);
    assert.equal(await page.locator('[data-testid="pad"] circle.newton-x').count(), steps);
    // Under it, the curves r·cos θ = 1 and r·sin θ = 1 and each step's linear model of
    // them: two dashed lines a step, crossing at the next dot.
    assert.ok((await page.locator('[data-testid="pad"] polyline.newton-curve-1').count()) > 40);
    assert.ok((await page.locator('[data-testid="pad"] polyline.newton-curve-2').count()) > 40);
    assert.equal(await page.locator('[data-testid="pad"] polyline.newton-model-2').count(), steps);
    assert.match(await page.textContent('[data-testid="newton"]'), /On the pad: the curves where each output meets its target \(f1 orange, f2 blue\)/);
    await page.locator('[data-testid="pad"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "newton-polar.png") });
    // From r = 0, where J is singular, it says so and takes no step.
    await page.fill('[data-testid="coord-r"]', "0");
    await page.waitForFunction(() => document.querySelector('[data-testid="newton-summary"]')?.textContent.includes("singular"));
    // An empty target clears the path and the table.
    await page.fill('[data-testid="newton-target"]', "");
    await page.locator('[data-testid="newton-target"]').press("Enter");
    await page.waitForFunction(() => !document.querySelector('[data-testid="newton-path"]'));
  }));

test("Newton's target travels in links and saved work", () =>
  ctx.withApp(async (page) => {
    const summary = page.locator('[data-testid="newton-summary"]');
    await summary.waitFor();
    assert.match(await summary.textContent(), /towards y\* = \(1, 1\): converged/);
    assert.equal(await page.inputValue('[data-testid="newton-target"]'), "1,1");
    assert.ok((await page.locator('[data-testid="pad"] polyline.newton-model-1').count()) > 0);
    // A new target is kept: the page reopens on it.
    await page.fill('[data-testid="newton-target"]', "0.5, 1.5");
    await page.locator('[data-testid="newton-target"]').press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="newton-summary"]')?.textContent.includes("(0.5, 1.5)"));
    await page.waitForFunction(() => decodeURIComponent(location.href.replaceAll("+", " ")).includes("y=0.5, 1.5") || location.hash.startsWith("#s="));
    await page.waitForTimeout(400);
    await page.reload();
    await page.locator('[data-testid="newton-summary"]').waitFor();
    assert.equal(await page.inputValue('[data-testid="newton-target"]'), "0.5, 1.5");
    assert.match(await page.textContent('[data-testid="newton-summary"]'), /towards y\* = \(0.5, 1.5\)/);
    // Another example starts without one: the target was typed for this function.
    await pick(page, "lorenz");
    await page.waitForFunction(() => !document.querySelector('[data-testid="newton-summary"]'));
    assert.equal(await page.inputValue('[data-testid="newton-target"]'), "");
  }, "f=" + encodeURIComponent("f(r, theta) = [r*cos(theta), r*sin(theta)]") + "&at=2%2C0.6&y=1%2C1"));
