// Big functions: J (and H, and the FD error maps) become pictures with a windowed table, the
// side views say when they are too large to follow the point, and the page stays small
// and answers clicks. Prints the longest animation frame and the DOM size per size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { bareTextareaLongest, openApp, slowdown, suite, pick } from "./helpers.mjs";

const ctx = suite();
const xs = (n) => Array.from({ length: n }, (_, i) => `x${i}`);
const chain = (n, m) => `f(${xs(n)}) = [${xs(m).map((x, i) => `${x}*x${(i + 1) % n}`).join(", ")}]`;
const SIZES = [
  ["500 inputs, 1 output", `f(${xs(500)}) = ${xs(500).map((x, i) => `${x}*x${(i + 1) % 500}`).join(" + ")}`, 1, 500],
  ["300 × 300", chain(300, 300), 300, 300],
  ["2 inputs, 2 000 outputs", `f(x, y) = [${Array.from({ length: 2000 }, (_, i) => `x*${i + 1} - y`).join(", ")}]`, 2000, 2],
  ["784 inputs, 10 outputs", `f(${xs(784)}) = [${Array.from({ length: 10 }, (_, k) => `tanh(${xs(784).filter((_, i) => i % 10 === k).map((x) => `0.1*${x}`).join(" + ")})`).join(", ")}]`, 10, 784],
  ["2 000 × 2 000", chain(2000, 2000), 2000, 2000],
];
const DOM_BUDGET = 20000;
const CLICK_BUDGET_MS = 100;
// The first render of a big function (compile, J, its picture and every view's first build)
// may take at most this long in any one animation frame beyond what the browser alone
// spends taking in the same text (a bare textarea given it the same way).
const FRAME_BUDGET_MS = 200;

test("big functions: J as a picture with a windowed table, a bounded DOM, clicks answered", () =>
  ctx.withApp(async (page) => {
    const report = [];
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: "long-animation-frame" });
    });
    const failures = [];
    // The function typed in (in a task of the page's own), J shown, and the page left to
    // settle: the longest frame of the first render.
    const enter = async (src, m, n) => {
      await page.evaluate(() => { window.__long = []; });
      await page.evaluate((s) => setTimeout(() => {
        const t = document.querySelector('[data-testid="source"]');
        t.value = s;
        t.dispatchEvent(new Event("input", { bubbles: true }));
      }, 0), src);
      await page.waitForFunction((c) => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith(c), `${m} × ${n} Jacobian`, { timeout: 30000 });
      await page.waitForTimeout(2500);
      return Math.max(0, ...(await page.evaluate(() => window.__long)));
    };
    const classic = async () => {
      await pick(page, "classic");
      await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("3 × 3"));
    };
    for (const [name, src, m, n] of SIZES) {
      let first = await enter(src, m, n);
      let frameNote = "";
      if (first > FRAME_BUDGET_MS) {
        // Over: up to twice more, the best counting, as for clicks (this machine is shared
        // and a garbage collection or a tier-up lands in one render now and then; a real
        // long frame repeats), beside what the browser alone spends on the text.
        // The budget is scaled by how slow the machine runs script just then (`slowdown`).
        const bare = await bareTextareaLongest(ctx.browser, src, "set");
        const slow = await slowdown(page);
        const allowed = FRAME_BUDGET_MS * slow + bare;
        const tries = [first];
        while (tries.length < 3 && Math.min(...tries) > allowed) {
          await classic();
          tries.push(await enter(src, m, n));
        }
        frameNote = ` (${tries.map((t) => t.toFixed(0)).join(" then ")} ms; a bare textarea alone ${bare.toFixed(0)} ms; script ${slow.toFixed(2)}× its quiet speed)`;
        first = Math.min(...tries);
        if (first > allowed) failures.push(`${name}: first render's longest frame ${first.toFixed(0)} ms, over ${allowed.toFixed(0)}`);
      }
      const dom = await page.evaluate(() => document.getElementsByTagName("*").length);
      assert.ok(dom < DOM_BUDGET, `${name}: ${dom} DOM nodes`);
      // A slider and a field per input up to 16; past that every value as one list and one
      // entry's slider and field (the pad's horizontal input).
      assert.equal(await page.locator(".coord").count(), n > 16 ? 1 : n, name);
      assert.equal(await page.locator('[data-testid="coords-window"]').isVisible(), n > 16, name);
      // Menus of inputs and outputs list at most ~100 of them (a window around the choice
      // at a few scales), not one option per input.
      for (const menu of ["axis-0", "axis-1", "pass-dir", "lin-out-0", "lin-out-1"]) {
        const options = await page.locator(`[data-testid="${menu}"] option`).count();
        assert.ok(options <= 100 && options >= Math.min(menu.startsWith("lin") ? m : n, 2), `${name}: ${menu} lists ${options}`);
      }
      if (n === 784) {
        // x700 is two picks away: the far jump to x686, then x700 from its window.
        assert.equal(await page.locator('[data-testid="axis-0"] option[value="700"]').count(), 0);
        await page.selectOption('[data-testid="axis-0"]', "686");
        await page.locator('[data-testid="coord-x686"]').waitFor();
        await page.selectOption('[data-testid="axis-0"]', "700");
        await page.locator('[data-testid="coord-x700"]').waitFor();
        assert.equal((await page.inputValue('[data-testid="coords-all"]')).split(", ").length, 784);
        // The pad's background can show any entry: "one entry of J", then its output and
        // its input from windowed menus.
        assert.equal(await page.locator('[data-testid="field-entry-1"]').isVisible(), false);
        await page.selectOption('[data-testid="field-kind"]', "J0.0");
        await page.selectOption('[data-testid="field-entry-1"]', "686");
        await page.selectOption('[data-testid="field-entry-1"]', "700");
        await page.selectOption('[data-testid="field-entry-0"]', "3");
        await page.waitForFunction(() => document.querySelector('[data-testid="field-kind"]').selectedOptions[0]?.textContent === "one entry of J: ∂f4/∂x700");
        assert.match(await page.locator('[data-testid="field-legend"]').textContent(), /this entry of J/);
      }
      // J is a picture; its table is a window of at most 8 × 8 entries.
      const picture = page.locator('[data-testid="J-picture"]');
      await picture.waitFor();
      assert.ok((await page.locator('[data-testid="jacobian"] td').count()) <= 64, name);
      // The arrow keys move the entry read out, and the table's cursor with it (one cell).
      const cursorCell = async () => {
        const ids = await page.locator('[data-testid="jacobian"] td.cursor').evaluateAll((tds) => tds.map((td) => td.dataset.testid));
        assert.equal(ids.length, 1, `${name}: one cursor cell, ${ids}`);
        return ids[0].split("-").slice(1).map(Number);
      };
      await picture.focus();
      const [i0, j0] = await cursorCell();
      await page.keyboard.press(j0 > 0 ? "ArrowLeft" : "ArrowRight");
      await page.keyboard.press("ArrowDown");
      assert.deepEqual(await cursorCell(), [Math.min(i0 + 1, m - 1), j0 > 0 ? j0 - 1 : 1], name);
      assert.match(await page.locator('[data-testid="J-readout"]').textContent(), /^∂\S+\/∂\S+ = /, name);
      // The picture marks the cursor's entry.
      const [ci, cj] = await cursorCell();
      const off = await page.evaluate(([i, j, m, n]) => {
        const c = document.querySelector('[data-testid="J-picture"]');
        const r = c.getBoundingClientRect();
        const k = c.parentElement.querySelector(".heat-mark").getBoundingClientRect();
        return [k.left + k.width / 2 - (r.left + r.width * (j + 0.5) / n), k.top + k.height / 2 - (r.top + r.height * (i + 0.5) / m)];
      }, [ci, cj, m, n]);
      assert.ok(Math.abs(off[0]) < 1.5 && Math.abs(off[1]) < 1.5, `${name}: the mark is ${off} px off its entry`);
      // A click on the picture is answered (the readout and the window follow) within budget:
      // the best of three, as this machine is shared.
      const clicks = [];
      for (let k = 0; k < 3; k++) {
        clicks.push(await page.evaluate(async (k) => {
          const c = document.querySelector('[data-testid="J-picture"]');
          const r = c.getBoundingClientRect();
          const out = document.querySelector('[data-testid="J-readout"]');
          const before = out.textContent;
          const t0 = performance.now();
          c.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: r.left + r.width * (0.3 + 0.2 * k), clientY: r.top + r.height * (0.9 - 0.3 * k) }));
          await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
          return out.textContent !== before ? performance.now() - t0 : Infinity;
        }, k));
      }
      const click = Math.min(...clicks);
      assert.ok(click < CLICK_BUDGET_MS, `${name}: a click took ${clicks.map((c) => c.toFixed(0))} ms`);
      report.push(`${name}: DOM ${dom} nodes, click answered in ${click.toFixed(0)} ms, first render's longest frame ${first.toFixed(0)} ms${frameNote}`);
      await classic();
    }
    console.log(report.join("\n"));
    assert.deepEqual(failures, [], `longest frames over ${FRAME_BUDGET_MS} ms beyond the browser's own`);
    // Small J is still the table it was.
    assert.equal(await page.locator('[data-testid="J-picture"]').isVisible(), false);
    assert.equal(await page.locator('[data-testid="J-2-1"]').textContent(), "48");
  }));

test("the Hessian of 500 inputs is a picture; each side view says when f is too large for it", () =>
  ctx.withApp(async (page) => {
    for (const [src, tooLarge] of [[SIZES[0][1], false], [SIZES[3][1], true]]) {
      await page.evaluate((s) => {
        const t = document.querySelector('[data-testid="source"]');
        t.value = s;
        t.dispatchEvent(new Event("input", { bubbles: true }));
      }, src);
      await page.waitForFunction(() => !document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("3 × 3"));
      if (!tooLarge) {
        await page.locator('[data-testid="H-picture"]').waitFor({ timeout: 20000 });
        assert.match(await page.locator('[data-testid="eigenvalues"]').textContent(), /not computed past 100 inputs/);
        assert.ok((await page.locator('[data-testid="hessian"] td').count()) <= 64);
        // Its FD sweep (45 evaluations of f per input) is over its budget: the view says so.
        await page.waitForFunction(() => [...document.querySelectorAll('.fd-panel [data-testid="too-large"]')].some((p) => !p.hidden && /500 inputs/.test(p.textContent)));
      } else {
        await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="too-large"]')].some((p) => !p.hidden && /784 inputs/.test(p.textContent)));
      }
    }
  }));

test("a link to a 1 000-input function opens with its point, its Hessian a picture, and the page answers", async () => {
  const n = 1000;
  const src = `f(${xs(n)}) = ${xs(n).map((x, i) => `${x}*x${(i + 1) % n}`).join(" + ")}`;
  const at = Array.from({ length: n }, (_, i) => (i % 7) / 10 + 0.5);
  // The compact form the page writes for long links: raw deflate of the payload, base64url.
  const fragment = deflateRawSync(Buffer.from(`f=${src}\0at=${at.join(",")}`)).toString("base64url");
  const started = Date.now();
  const page = await openApp(ctx.browser, `${ctx.server.url}#s=${fragment}`);
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("1 × 1000 Jacobian at (0.5, 0.6, 0.7"), null, { timeout: 30000 });
    const toJ = Date.now() - started;
    await page.locator('[data-testid="H-picture"]').waitFor({ timeout: 30000 });
    // ∂f/∂x1 = x0 + x2 = 0.5 + 0.7, read out from J's picture with the keyboard.
    await page.locator('[data-testid="J-picture"]').focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => /^∂\S+\/∂x1 = 1\.2$/.test(document.querySelector('[data-testid="J-readout"]')?.textContent ?? ""));
    const dom = await page.evaluate(() => document.getElementsByTagName("*").length);
    assert.ok(dom < DOM_BUDGET, `${dom} DOM nodes`);
    console.log(`1 000-input link: J shown ${toJ} ms after navigation, DOM ${dom} nodes`);
    assert.deepEqual(await page.problems(), [], "no console error, page error or CSP violation");
  } finally {
    await page.context().close();
  }
});
