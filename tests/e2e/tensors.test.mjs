// Vectors and matrices in the page: a network in three lines, seeded weights with the same
// bits as natively (tests/tensors.rs holds the same numbers), shape errors at the operator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { suite, pick, SHOTS } from "./helpers.mjs";

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
      await page.waitForFunction(([i, want]) => parseFloat(document.querySelector(`[data-testid="J-${i}-0"]`)?.title) === want, [i, RANDN_SEED_1[i]]);
    }
  }));

test("a network written with vectors and matrices: J with a column per input entry, columns summing to 0", () =>
  ctx.withApp(async (page) => {
    await pick(page, "mlp");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("3 × 4"));
    const headers = await page.locator('[data-testid="jacobian"] thead th').allTextContents();
    assert.deepEqual(headers.slice(1), ["∂/∂x[0]", "∂/∂x[1]", "∂/∂x[2]", "∂/∂x[3]"]);
    const rows = await page.locator('[data-testid="jacobian"] tbody th').allTextContents();
    assert.deepEqual(rows, ["net[0]", "net[1]", "net[2]"]);
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      let scale = 0;
      for (let i = 0; i < 3; i++) {
        const v = parseFloat(await page.locator(`[data-testid="J-${i}-${j}"]`).getAttribute("title"));
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

test("a wide J zooms: its picture widens in a box that scrolls, a pixel per entry, the cursor kept in view", () =>
  ctx.withApp(async (page) => {
    // J = W, 10 × 600: unzoomed, a pixel shows two columns.
    await page.fill('[data-testid="source"]', "W = randn(10, 600, 1)\nf(x[600]) = W @ x");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("10 × 600"));
    const pic = page.locator('[data-testid="J-picture"]');
    await pic.scrollIntoViewIfNeeded();
    const width = () => page.evaluate(() => document.querySelector('[data-testid="J-picture"]').width);
    await page.waitForFunction(() => document.querySelector('[data-testid="J-picture"]').width === 300);
    assert.equal(await page.textContent('[data-testid="J-zoom"]'), "×1");
    // Zoom in with the button, then with the keyboard: ×4, every column its own pixel.
    await page.click('[data-testid="J-zoom-in"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="J-picture"]').width === 600);
    await pic.focus();
    await page.keyboard.press("+");
    assert.equal(await page.textContent('[data-testid="J-zoom"]'), "×4");
    const box = await page.evaluate(() => {
      const s = document.querySelector('[data-testid="J-picture"]').closest(".heatzoom");
      return { scroll: s.scrollWidth, client: s.clientWidth };
    });
    assert.ok(Math.abs(box.scroll / box.client - 4) < 0.05, JSON.stringify(box));
    assert.equal(await width(), 600);
    // A click in the visible part picks the entry under it; ArrowRight moves on, and once
    // the entry nears the box's edge the box scrolls to bring it back to the middle.
    const r = await pic.boundingBox();
    // Column 120's middle (at 4× each column is about 2.3 px wide).
    const col = 120;
    await page.mouse.click(r.x + ((col + 0.5) / 600) * r.width, r.y + r.height * 0.05);
    assert.match(await page.textContent('[data-testid="J-readout"]'), new RegExp(`^∂f\\[0\\]/∂x\\[${col}\\] = `));
    for (let k = 0; k < 30; k++) await page.keyboard.press("ArrowRight");
    assert.match(await page.textContent('[data-testid="J-readout"]'), new RegExp(`^∂f\\[0\\]/∂x\\[${col + 30}\\] = `));
    const view = await page.evaluate(() => {
      const s = document.querySelector('[data-testid="J-picture"]').closest(".heatzoom");
      const mark = s.querySelector(".heat-mark").getBoundingClientRect();
      const b = s.getBoundingClientRect();
      return { left: s.scrollLeft, mark: mark.left + mark.width / 2 - b.left, width: b.width };
    });
    assert.ok(view.left > 0 && view.mark > 0.1 * view.width && view.mark < 0.9 * view.width, JSON.stringify(view));
    // Zooming out returns the square picture.
    await page.click('[data-testid="J-zoom-out"]');
    await page.click('[data-testid="J-zoom-out"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="J-picture"]').width === 300);
  }));

test("a wide J's entries each stay on one line, the longest negative ones too", () =>
  ctx.withApp(
    async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("12 × 12"));
      await page.setViewportSize({ width: 1280, height: 900 });
      const cells = await page.$$eval('[data-testid="jacobian"] tbody td', (tds) =>
        tds.map((td) => {
          const r = document.createRange();
          r.selectNodeContents(td);
          // Line boxes of the entry's text: one per line it takes.
          const lines = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
          return [td.textContent, lines.size];
        }),
      );
      assert.ok(cells.length >= 12, `${cells.length} cells`);
      // −0.00873731-like entries (11 characters) are among them.
      assert.ok(cells.some(([t]) => t.startsWith("−0.00") && t.length >= 11), cells.map(([t]) => t).join(" "));
      const wrapped = cells.filter(([, n]) => n !== 1);
      assert.deepEqual(wrapped, [], "entries broken over lines");
    },
    `f=${encodeURIComponent("W = randn(12, 12, 1) / 40\nf(x[12]) = tanh(W @ x) * 0.3\n")}&at=${Array(12).fill(-0.5).join(",")}`,
  ));

test("max and norm of a vector are one node each: tied largest entries share max's derivative evenly, and the pass steps through the node", () =>
  ctx.withApp(
    async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("2 × 3"));
      const title = async (id) => parseFloat(await page.locator(`[data-testid="${id}"]`).getAttribute("title"));
      // At (2, 2, 1): max's two equal entries get ½ each (PyTorch's amax), the norm x/‖x‖.
      assert.deepEqual([await title("J-0-0"), await title("J-0-1"), await title("J-0-2")], [0.5, 0.5, 0]);
      // (The norm is hypot's fold: 3 to within the page's hypot's last bit.)
      const norm = [await title("J-1-0"), await title("J-1-1"), await title("J-1-2")];
      [2 / 3, 2 / 3, 1 / 3].forEach((want, j) => assert.ok(Math.abs(norm[j] - want) < 4e-16, `${norm}`));
      // The reverse pass of row 0: the node is one step, its operands' adjoints ½, ½, 0.
      await page.click('[data-testid="pass-reverse"]');
      const ops = await page.locator('[data-testid^="trace-"] .op-cell').allTextContents();
      assert.ok(ops.includes("max x[0]…x[2]") && ops.includes("norm x[0]…x[2]"), ops.join(" | "));
      await page.click('[data-testid="step-all"]');
      assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Done: this row of J is \(0\.5, 0\.5, 0\)/);
      await page.screenshot({ path: join(SHOTS, "reduce-pass.png"), fullPage: true });
      assert.deepEqual(await page.problems(), []);
    },
    `f=${encodeURIComponent("f(x[3]) = [max(x), norm(x)]")}&at=2,2,1`,
  ));

test("a product of two variable matrices is one node: J reads A's row and B's column, and the reverse pass steps through it", () =>
  ctx.withApp(
    async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("2 × 6"));
      const title = async (id) => parseFloat(await page.locator(`[data-testid="${id}"]`).getAttribute("title"));
      // ∂(Ax)ᵢ/∂A[i, k] = x[k], ∂(Ax)ᵢ/∂x[k] = A[i, k], and 0 for the other row of A.
      const rows = [];
      for (const i of [0, 1]) rows.push(await Promise.all([0, 1, 2, 3, 4, 5].map((j) => title(`J-${i}-${j}`))));
      assert.deepEqual(rows, [[5, 6, 0, 0, 1, 2], [0, 0, 5, 6, 3, 4]]);
      await page.click('[data-testid="pass-reverse"]');
      const ops = await page.locator('[data-testid^="trace-"] .op-cell').allTextContents();
      assert.ok(ops.some((o) => o.startsWith("row 0 of matmul 2×2 @ 2×1")), ops.join(" | "));
      await page.click('[data-testid="step-all"]');
      assert.match(await page.locator('[data-testid="pass-result"]').textContent(), /Done: this row of J is \(5, 6, 0, 0, 1, 2\)/);
      assert.deepEqual(await page.problems(), []);
    },
    `f=${encodeURIComponent("f(A[2, 2], x[2]) = A @ x")}&at=1,2,3,4,5,6`,
  ));

test("PyTorch's own lines read as written: keepdim=, torch.cat of a tuple, a reversing slice", () =>
  ctx.withApp(
    async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("8 × 6"));
      const title = async (id) => parseFloat(await page.locator(`[data-testid="${id}"]`).getAttribute("title"));
      // Rows 0–5: exp(X − rowmax) at X = [[1, 2, 3], [4, 5, 9]]; row 0 is exp(1 − 3), whose
      // derivative is e⁻² along X[0, 0] and −e⁻² along the row's maximum X[0, 2].
      const near = (got, want) => assert.ok(Math.abs(got - want) <= 2e-16 * Math.abs(want), `${got} against ${want}`);
      near(await title("J-0-0"), Math.exp(-2));
      near(await title("J-0-2"), -Math.exp(-2));
      assert.equal(await title("J-0-1"), 0);
      // Rows 6–7: X[1, ::-1][:2] = (X[1, 2], X[1, 1]).
      assert.deepEqual([await title("J-6-5"), await title("J-6-4"), await title("J-7-4"), await title("J-7-5")], [1, 0, 1, 0]);
      await page.check('[data-testid="show-parsed"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="parsed"]')?.textContent.includes("unsqueeze"));
      assert.match(await page.locator('[data-testid="parsed"]').textContent(), /concat\(flatten\(exp\(\(X - unsqueeze\(amax\(X, 1\), 1\)\)\)\), X\[1, ::\(-1\)\]\[:2\]\)/);
      assert.deepEqual(await page.problems(), []);
    },
    `f=${encodeURIComponent("f(X[2, 3]) = torch.cat((exp(X - X.max(dim=1, keepdim=True)).flatten(), X[1, ::-1][:2]))")}&at=1,2,3,4,5,9`,
  ));

test("a batch of two 28×28 images takes its 1 568 coordinates from a link: f as natively, and no warning", () =>
  ctx.withApp(
    async (page) => {
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("6 × 1568 Jacobian at (−0.5, −0.441176,"));
      // The same f as `jacobian --at …` prints natively for this link's point.
      const native = [-0.3853063802379767, -0.14706622115672888, 0.30608505934161495, -0.10726105230594075, -0.4188258333667503, 0.15503200439094736];
      const shown = (await page.locator('[data-testid="fvals"]').getAttribute("title")).match(/−?[0-9.e−-]+/g).map((s) => parseFloat(s.replaceAll("−", "-")));
      assert.equal(shown.length, 6, `${shown}`);
      shown.forEach((v, i) => assert.ok(Math.abs(v - native[i]) <= 1e-15, `f[${i}] = ${v} against ${native[i]}`));
      const notes = (await page.locator('[role="status"]').allTextContents()).join(" ");
      assert.ok(!notes.includes("point was ignored"), notes);
      assert.deepEqual(await page.problems(), []);
    },
    `f=${encodeURIComponent("W = randn(3, 784, 1) / 28\nf(X[2, 784]) = tanh(X @ W.T)")}&at=${Array.from({ length: 1568 }, (_, k) => (k % 17) / 17 - 0.5).join(",")}`,
  ));
