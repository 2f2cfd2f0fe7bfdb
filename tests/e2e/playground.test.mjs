// The live playground: gallery, pad dragging with real pointer events, keyboard control,
// sliders, the parenthesised echo, second order and the cost table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, jacobianText, openApp, suite, pick } from "./helpers.mjs";

const ctx = suite();
const withApp = (fn, query) => ctx.withApp(fn, query);

const num = (s) => Number(s.replace("−", "-"));

/// Drags the pad marker to the fraction (u, v) of the pad (v up) with real mouse events.
async function dragPadTo(page, u, v, steps = 8) {
  const box = await page.locator('[data-testid="pad"]').boundingBox();
  const marker = await page.locator('[data-testid="pad-marker"]').boundingBox();
  await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + u * box.width, box.y + (1 - v) * box.height, { steps });
  await page.mouse.up();
}

test("dragging the pad moves (x1, x2) and J follows at several points", () =>
  withApp(async (page) => {
    // x1 range is 3 ± 3 = [0, 6], x2 range is 4 ± 4 = [0, 8].
    for (const [u, v] of [
      [0.5, 0.75],
      [0.25, 0.5],
      [0.9, 0.1],
    ]) {
      await dragPadTo(page, u, v);
      const x1 = Number(await page.inputValue('[data-testid="coord-x1"]'));
      const x2 = Number(await page.inputValue('[data-testid="coord-x2"]'));
      assert.ok(Math.abs(x1 - 6 * u) < 0.1, `x1 = ${x1} near ${6 * u}`);
      assert.ok(Math.abs(x2 - 8 * v) < 0.15, `x2 = ${x2} near ${8 * v}`);
      const J = await jacobianText(page);
      // J = [[1, 1, 0], [x3, 0, x1], [0, 3·x2², 0]] with x3 = 5.
      assert.deepEqual(J[0], ["1", "1", "0"]);
      assert.equal(num(J[1][2]), x1);
      assert.ok(Math.abs(num(J[2][1]) - 3 * x2 * x2) <= 1e-5 * Math.max(1, 3 * x2 * x2), `${J[2][1]} vs ${3 * x2 * x2}`);
    }
    await page.screenshot({ path: join(SHOTS, "playground-dragged.png"), fullPage: true });
  }));

test("a pointer drag doesn't select text or scroll the page", () =>
  withApp(async (page) => {
    const before = await page.evaluate(() => window.scrollY);
    await dragPadTo(page, 0.2, 0.2, 20);
    assert.equal(await page.evaluate(() => String(window.getSelection())), "");
    assert.equal(await page.evaluate(() => window.scrollY), before);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="pad"]')).touchAction), "none");
  }));

test("keyboard: arrows move the focused point, Shift for fine steps, Home resets", () =>
  withApp(async (page) => {
    await page.locator('[data-testid="pad"]').focus();
    await page.keyboard.press("ArrowRight"); // x1 += 6/50
    await page.keyboard.press("ArrowUp"); // x2 += 8/50
    assert.equal(await page.inputValue('[data-testid="coord-x1"]'), "3.12");
    assert.equal(await page.inputValue('[data-testid="coord-x2"]'), "4.16");
    await page.keyboard.press("Shift+ArrowLeft"); // x1 -= 6/500
    assert.ok(Math.abs(Number(await page.inputValue('[data-testid="coord-x1"]')) - 3.108) < 1e-9);
    assert.equal(await cell(page, "J-1-2"), "3.108");
    await page.keyboard.press("Home");
    assert.equal(await page.inputValue('[data-testid="coord-x1"]'), "3");
    assert.equal(await cell(page, "J-2-1"), "48");
    assert.match(await page.locator('[data-testid="readout"]').textContent(), /x1 = 3, x2 = 4/);
  }));

test("the axis pickers put other inputs on the pad", () =>
  withApp(async (page) => {
    await page.selectOption('[data-testid="axis-1"]', "2");
    await page.locator('[data-testid="pad"]').focus();
    await page.keyboard.press("ArrowUp"); // now x3: range 5 ± 5, step 0.2
    assert.equal(await page.inputValue('[data-testid="coord-x3"]'), "5.2");
    assert.equal(await cell(page, "J-1-0"), "5.2");
  }));

test("every gallery example loads, with its note, and has finite J", () =>
  withApp(async (page) => {
    const ids = await page.$$eval('[data-testid="gallery"] option', (os) => os.map((o) => o.value));
    assert.ok(ids.length >= 12, `${ids.length} examples`);
    for (const id of ids) {
      await pick(page, id);
      const note = await page.locator('[data-testid="note"]').textContent();
      assert.ok(note.length > 20, `${id} has a note`);
      const J = await jacobianText(page);
      assert.ok(J.length >= 1, `${id} shows J`);
      for (const row of J) for (const v of row) assert.ok(!/NaN|∞/.test(v), `${id}: ${v}`);
    }
    await pick(page, "unused");
    assert.match(await page.locator('[data-testid="zero-columns"]').textContent(), /No output depends on z/);
    await pick(page, "polar");
    assert.equal(await cell(page, "det"), "det J = 2");
    await pick(page, "lorenz");
    assert.match(await page.locator('[data-testid="divergence"]').textContent(), /−13\.6667/);
  }));

test("Rosenbrock shows its exact Hessian, eigenvalues and Laplacian", () =>
  withApp(async (page) => {
    await pick(page, "rosenbrock");
    // H = [[1200x² − 400y + 2, −400x], [−400x, 200]] at (−1.2, 1).
    assert.equal(await cell(page, "H-0-0"), "1330");
    assert.equal(await cell(page, "H-0-1"), "480");
    assert.equal(await cell(page, "H-1-1"), "200");
    assert.match(await page.locator('[data-testid="laplacian"]').textContent(), /1530/);
    assert.match(await page.locator('[data-testid="recommendation"]').textContent(), /reverse/);
    await page.screenshot({ path: join(SHOTS, "playground-rosenbrock.png"), fullPage: true });
  }));

test("the parsed echo makes every parenthesis explicit", () =>
  withApp(async (page) => {
    await page.fill('[data-testid="source"]', "f(x) = -x^2 + 2^3^2");
    await page.check('[data-testid="show-parsed"]');
    // Written by the worker: it arrives a moment later.
    await page.waitForFunction(() => document.querySelector('[data-testid="parsed"]').textContent.trim() !== "");
    assert.equal((await page.locator('[data-testid="parsed"]').textContent()).trim(), "f(x) = ((-(x ^ 2)) + (2 ^ (3 ^ 2)))");
  }));

test("the cost table lists every strategy with passes and errors", () =>
  withApp(async (page) => {
    const rows = await page.$$eval('[data-testid="cost"] tbody tr', (trs) => trs.map((tr) => tr.innerText));
    assert.equal(rows.length, 8);
    // Counted one way everywhere: derivative passes (or perturbed evaluations) + the primal.
    const expected = ["forward by columns\\s+3 \\+ 1 primal", "reverse by rows\\s+3 \\+ 1 primal", "batched forward\\s+1 \\+ 1 primal",
      "batched reverse\\s+1 \\+ 1 primal", "sparse colouring\\s+1 \\+ 1 primal", "forward differences\\s+3 \\+ 1 primal",
      "central differences\\s+6 \\+ 1 primal", "complex step\\s+3\\s"];
    expected.forEach((re, k) => assert.match(rows[k], new RegExp(re), rows[k]));
    assert.match(rows.join("\n"), /exact/);
    // J is sparse, but too small for the compressed sweep to pay: the recommendation says both.
    assert.match(await page.locator('[data-testid="recommendation"]').textContent(), /batched forward — n = 3 ≤ m = 3: forward mode, 3 tangent directions in one sweep; too small for 2 sparse directions to pay/);
    // Speeds are medians of batches; a noisy one carries its spread, too few batches "≈".
    await page.waitForFunction(() => !document.querySelector('[data-testid="cost"]').innerText.includes("…"), null, { timeout: 20000 });
    for (const s of ["forward", "reverse", "fd_central", "complex_step"]) {
      const text = await page.locator(`[data-testid="micros-${s}"]`).textContent();
      assert.match(text, /^≈?[\d.]+(e−\d+)?( ±\d+%)?$/, `${s}: ${text}`);
    }
  }));

test("a function whose batched buffer outgrows the cache is timed once, not at every move", () =>
  withApp(
    async (page) => {
      const rec = page.locator('[data-testid="recommendation"]');
      const first = await rec.textContent();
      // The rivals' times, measured in this browser: each a number, fastest first.
      assert.match(first, /measured here, fastest first: (reverse by rows|forward by columns|batched forward|batched reverse) [\d.]+ (µs|ms), /);
      const times = [...first.matchAll(/ ([\d.]+) (µs|ms)/g)].map((m) => Number(m[1]) * (m[2] === "ms" ? 1000 : 1));
      assert.equal(times.length, 4, first);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), first);
      // Moving the point keeps what was measured for this function (a new measurement
      // would print other times).
      const all = page.locator('[data-testid="coords-all"]');
      const before = await all.inputValue();
      assert.match(before, /^-0\.5, -0\.5/);
      await page.locator('[data-testid="pad"]').focus();
      for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowRight");
      await page.waitForFunction((b) => document.querySelector('[data-testid="coords-all"]').value !== b, before);
      await page.waitForFunction(() => document.querySelector('[data-testid="J-1-1"]') !== null);
      assert.notEqual(await all.inputValue(), before);
      assert.equal(await rec.textContent(), first);
    },
    `f=${encodeURIComponent("W = randn(256, 256, 1) / 16\nf(x[256]) = tanh(W @ x)\n")}&at=${Array(256).fill(-0.5).join(",")}&views=analysis`,
  ));

test("a slider moves its input, and a screen reader hears the coordinate, not the slider's position", () =>
  withApp(async (page) => {
    const slider = page.locator('[data-testid="slider-x2"]');
    assert.equal(await slider.getAttribute("aria-valuetext"), "x2 = 4");
    await slider.focus();
    await page.keyboard.press("End");
    assert.equal(await page.inputValue('[data-testid="coord-x2"]'), "8");
    assert.equal(await cell(page, "J-2-1"), "192");
    assert.equal(await slider.getAttribute("aria-valuetext"), "x2 = 8");
    const tree = await page.locator('[data-testid="slider-x2"]').ariaSnapshot();
    assert.match(tree, /slider "x2 slider"/);
    const heard = await page.evaluate(async () => document.querySelector('[data-testid="slider-x2"]').getAttribute("aria-valuetext"));
    assert.equal(heard, "x2 = 8");
  }));

test("after an edit the gallery says which example the function was edited from", () =>
  withApp(async (page) => {
    await pick(page, "polar");
    const note = await cell(page, "note");
    assert.notEqual(note, "");
    await page.fill('[data-testid="source"]', "f(r, theta) = [r*cos(theta), r*sin(theta), r]");
    await page.waitForFunction(() => document.querySelector('[data-testid="note"]').textContent === "Edited from “Polar → Cartesian”.");
    assert.equal(await page.inputValue('[data-testid="gallery"]'), "", "the menu shows “Your function”");
    assert.equal(await page.locator('[data-testid="gallery"] option:checked').textContent(), "Your function");
    // Choosing the example again brings it back, note and all.
    await pick(page, "polar");
    assert.equal(await cell(page, "note"), note);
    assert.equal(await page.inputValue('[data-testid="gallery"]'), "polar");
    // So does editing back to its exact text.
    const original = await page.inputValue('[data-testid="source"]');
    await page.fill('[data-testid="source"]', original + "# a comment\n");
    await page.waitForFunction(() => document.querySelector('[data-testid="note"]').textContent.startsWith("Edited from"));
    await page.fill('[data-testid="source"]', original);
    await page.waitForFunction((n) => document.querySelector('[data-testid="note"]').textContent === n, note);
    assert.equal(await page.inputValue('[data-testid="gallery"]'), "polar");
  }));

test("the seed article's Python, a lambda, maths typography and a hand-typed + in a link all read", async () => {
  await withApp(async (page) => {
    for (const [src, cellId, want] of [
      ["def f(x1, x2, x3): return (x1 + x2, x3*x1, x2**3)", "J-2-1", "48"],
      ["lambda x1, x2, x3: (x1 + x2, x3*x1, x2**3)", "J-1-0", "5"],
      ["f(x1, x2, x3) = [x1 × x2, √x3, x2² − π]", "J-2-1", "8"],
      // NumPy's and PyTorch's: a module's name, .T, a method.
      ["W = [[1, 2], [3, 4]]\nf(x[2]) = torch.tanh(W.T @ x) * 0 + W.T @ x + x.sum() * 0", "J-1-0", "2"],
    ]) {
      await page.fill('[data-testid="source"]', src);
      await page.waitForFunction(([id, v]) => document.querySelector(`[data-testid="${id}"]`)?.textContent.trim() === v, [cellId, want]);
      assert.equal(await page.locator('[data-testid="errors"] .error').count(), 0, src);
    }
    // A suggestion where the habit has no reading.
    await page.fill('[data-testid="source"]', "f(x) = |x|");
    await page.waitForFunction(() => document.querySelector('[data-testid="errors"]').textContent.includes("write abs(x) for |x|"));
  });
  await withApp(async (page) => {
    assert.equal(await page.inputValue('[data-testid="source"]'), "f(x,y)=[x+y,x*y]");
    assert.equal(await cell(page, "J-1-0"), "2");
    assert.match(await page.locator('[data-testid="link-problems"]').textContent(), /\+ signs were read as plus.*%2B/);
  }, "f=f(x,y)=[x+y,x*y]&at=1,2");
});

test("the pad's view follows the point you type and zooms with keys, the wheel and a pinch", async () => {
  const width = (text) => {
    const [lo, hi] = text.match(/x ∈ \[([^\]]+)\]/)[1].split(", ").map((s) => Number(s.replace(/−/g, "-")));
    return { lo, hi, w: hi - lo };
  };
  const range = (page) => page.locator('[data-testid="pad-range"]').textContent();
  await withApp(async (page) => {
    await page.fill('[data-testid="source"]', "f(x, y) = [x^2 - y, x*y]");
    await page.locator('[data-testid="coord-x"]').fill("3");
    await page.locator('[data-testid="coord-y"]').fill("4");
    await page.waitForFunction(() => document.querySelector('[data-testid="readout"]').textContent === "x = 3, y = 4");
    const pad = await page.locator('[data-testid="pad"]').boundingBox();
    const marker = await page.locator('[data-testid="pad-marker"]').boundingBox();
    const u = (marker.x + marker.width / 2 - pad.x) / pad.width, v = (marker.y + marker.height / 2 - pad.y) / pad.height;
    assert.ok(u > 0.05 && u < 0.95 && v > 0.05 && v < 0.95, `the point is inside the pad, not in its corner (${u.toFixed(2)}, ${v.toFixed(2)})`);
    const start = width(await range(page));
    assert.ok(start.lo < 3 && start.hi > 3, await range(page));
    // Dragged to the right edge, x goes past 3 (the example's range stopped at 2.985).
    await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width - 1, marker.y + marker.height / 2, { steps: 5 });
    await page.mouse.up();
    const x = Number((await page.inputValue('[data-testid="coord-x"]')));
    assert.ok(x > 3.5, `dragged to x = ${x}`);
    // Keys: − zooms out, + in, 0 gives the first view back.
    await page.locator('[data-testid="pad"]').focus();
    await page.keyboard.press("-");
    assert.ok(Math.abs(width(await range(page)).w / start.w - 1.25) < 0.01, await range(page));
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    assert.ok(width(await range(page)).w < start.w, await range(page));
    await page.keyboard.press("0");
    const reset = width(await range(page));
    assert.ok(reset.w === start.w && reset.lo < x && reset.hi > x, `0: the first width, around x = ${x}: ${await range(page)}`);
    // The wheel over the pad zooms in (and does not scroll the page).
    const scrolled = await page.evaluate(() => scrollY);
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((w) => {
      const m = document.querySelector('[data-testid="pad-range"]').textContent.match(/x ∈ \[([^\]]+)\]/)[1].split(", ").map((s) => Number(s.replace(/−/g, "-")));
      return m[1] - m[0] < w * 0.9;
    }, start.w);
    assert.equal(await page.evaluate(() => scrollY), scrolled);
    // A coordinate typed off the view brings the view with it.
    await page.locator('[data-testid="coord-x"]').fill("250");
    await page.waitForFunction(() => /x ∈ \[[^\]]*\]/.test(document.querySelector('[data-testid="pad-range"]').textContent));
    const far = width(await range(page));
    assert.ok(far.lo < 250 && far.hi > 250, await range(page));
  });
  // Pinch (touch): two fingers moving apart zoom in.
  const context = await ctx.browser.newContext({ viewport: { width: 800, height: 900 }, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="pad-marker"]');
    const before = width((await range(page)).replace("x1", "x"));
    const pad = await page.locator('[data-testid="pad"]').boundingBox();
    const cdp = await context.newCDPSession(page);
    const [cx, cy] = [pad.x + pad.width / 2, pad.y + pad.height / 2];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: cx - 20, y: cy, id: 1 }, { x: cx + 20, y: cy, id: 2 }] });
    for (let k = 1; k <= 5; k++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: cx - 20 - 10 * k, y: cy, id: 1 }, { x: cx + 20 + 10 * k, y: cy, id: 2 }] });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    const after = width((await range(page)).replace("x1", "x"));
    assert.ok(after.w < before.w * 0.6, `pinched from ${before.w} to ${after.w}`);
  } finally {
    await context.close();
  }
});
