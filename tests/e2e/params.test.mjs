// Parameters: a slider per number parameter that moves J live, the choice of J's columns
// (inputs, parameters, both) with the pass view following it, and links that restore the
// parameters' values and the choice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { suite, SHOTS } from "./helpers.mjs";

const ctx = suite();
const SOURCE = "f(x, y; a = 1, b = 0.5) = [a*x^2 - y, x*y + b]";
const title = (page, id) => page.locator(`[data-testid="${id}"]`).getAttribute("title").then(parseFloat);
const caption = (page, start) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith(s), start);

async function open(page) {
  await page.fill('[data-testid="source"]', SOURCE);
  await page.fill('[data-testid="coord-x"]', "2");
  await page.fill('[data-testid="coord-y"]', "3");
  await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 4);
}

test("a parameter's slider moves J like the point does", () =>
  ctx.withApp(async (page) => {
    await open(page);
    // ∂f1/∂x = 2·a·x: 4 at a = 1.
    assert.equal(await title(page, "J-0-0"), 4);
    await page.fill('[data-testid="coord-a"]', "3");
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 12);
    // The slider, by keyboard: each step moves a, and J with it.
    const before = await title(page, "J-0-0");
    await page.focus('[data-testid="slider-a"]');
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((b) => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) !== b, before);
    const a = Number(await page.inputValue('[data-testid="coord-a"]'));
    assert.ok(Math.abs((await title(page, "J-0-0")) - 4 * a) < 1e-12, `J = 4a at a = ${a}`);
    assert.match(await page.locator(".params").textContent(), /Held fixed \(constants of the tape, not columns of J\): a, b\./);
    // Its range and step are typed: the slider's right end is then a = 10 (∂f1/∂x = 2·a·x
    // = 40), and one key press moves a by the step, 0.5.
    await page.fill('[data-testid="range-a"]', "0 … 10 step 0.5");
    await page.locator('[data-testid="range-a"]').blur();
    await page.focus('[data-testid="slider-a"]');
    await page.keyboard.press("End");
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 40);
    await page.keyboard.press("ArrowLeft");
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 38);
    assert.equal(await page.inputValue('[data-testid="coord-a"]'), "9.5");
    assert.equal(await page.inputValue('[data-testid="range-a"]'), "0 … 10 step 0.5");
    await page.screenshot({ path: join(SHOTS, "params.png"), fullPage: true });
  }));

test("J by the parameters, then by both: the right columns, and the pass view follows", () =>
  ctx.withApp(async (page) => {
    await open(page);
    await page.selectOption('[data-testid="wrt"]', "1");
    await caption(page, "2 × 2");
    const headers = await page.locator('[data-testid="jacobian"] thead th').allTextContents();
    assert.deepEqual(headers.slice(1), ["∂/∂a", "∂/∂b"]);
    assert.equal(await page.locator(".matrix-panel h2").textContent(), "Jacobian J = ∂f/∂p");
    // ∂f1/∂a = x² = 4, ∂f1/∂b = 0, ∂f2/∂a = 0, ∂f2/∂b = 1.
    assert.deepEqual([await title(page, "J-0-0"), await title(page, "J-0-1"), await title(page, "J-1-0"), await title(page, "J-1-1")], [4, 0, 0, 1]);
    // x is held fixed now, with its own slider: moving it changes ∂f1/∂a = x².
    assert.match(await page.locator(".params").textContent(), /Held fixed[^:]*: x, y\./);
    await page.fill('[data-testid="coord-x"]', "3");
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid="J-0-0"]')?.title) === 9);
    await page.selectOption('[data-testid="wrt"]', "2");
    await caption(page, "2 × 4");
    assert.deepEqual((await page.locator('[data-testid="jacobian"] thead th').allTextContents()).slice(1), ["∂/∂x", "∂/∂y", "∂/∂a", "∂/∂b"]);
  }));

test("a link restores the parameters' values and the choice of columns", () =>
  ctx.withApp(async (page) => {
    await open(page);
    await page.fill('[data-testid="coord-a"]', "2.5");
    await page.selectOption('[data-testid="wrt"]', "1");
    await caption(page, "2 × 2");
    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-readable"]')?.value.includes("wrt=params"));
    const url = await page.inputValue('[data-testid="share-readable"]');
    assert.match(url, /&at=2%2C3&p=2\.5%2C0\.5&wrt=params/);
    const again = await page.context().newPage();
    await again.goto(url);
    await again.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("2 × 2"));
    assert.equal(await again.inputValue('[data-testid="wrt"]'), "1");
    assert.equal(await again.inputValue('[data-testid="coord-a"]'), "2.5");
    assert.equal(await again.inputValue('[data-testid="coord-x"]'), "2");
    // ∂f1/∂a = x² = 4 at x = 2.
    assert.equal(await title(again, "J-0-0"), 4);
    await again.close();
  }));

test("J by a weight matrix: each output's row is shown reshaped to the weight", () =>
  ctx.withApp(async (page) => {
    await page.fill('[data-testid="source"]', "net(x[3]; W[4, 3] = randn(4, 3, 1)) = tanh(W @ x)");
    await caption(page, "4 × 3");
    await page.selectOption('[data-testid="wrt"]', "1");
    await caption(page, "4 × 12");
    // The weight is the point now: painted as an image, with a map per output beside it;
    // ∂net[i]/∂W[k, j] is zero unless k = i.
    await page.waitForSelector('[data-testid="saliency"]');
    assert.equal(await title(page, "J-1-0"), 0);
    assert.ok((await title(page, "J-1-3")) !== 0);
    assert.equal((await page.locator('[data-testid="jacobian"] thead th').allTextContents())[4], "∂/∂W[1, 0]");
    // Weights are not ink: drawn blue < 0 < red, with no preset digits; the inputs' image
    // would keep them.
    assert.equal(await page.isVisible('[data-testid="paint-weights"]'), true);
    assert.equal(await page.isVisible('[data-testid="paint-preset"]'), false);
    const pixel = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="paint-pad"]');
      return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data);
    });
    // Some entry is blue (a negative weight) and some red: randn's weights have both signs.
    const px = [];
    for (let k = 0; k < pixel.length; k += 4) px.push(pixel.slice(k, k + 3));
    assert.ok(px.some(([r, , b]) => b > r + 40) && px.some(([r, , b]) => r > b + 40), JSON.stringify(px));
  }));

test("a matrix parameter held fixed is edited as a list, and its entries travel in links", () =>
  ctx.withApp(async (page) => {
    const j01 = (v) => page.waitForFunction((v) => parseFloat(document.querySelector('[data-testid="J-0-1"]')?.title) === v, v);
    await j01(2);
    const list = page.locator('[data-testid="fixed-lists"]');
    assert.equal(await list.inputValue(), "W = 1, 2, 3, 4");
    // Row by row, pasted as NumPy prints it: W[0, 1] becomes 7, so J's row 0 is (1, 7).
    await list.fill("W = [[1, 7], [3, 4]]");
    await list.blur();
    await j01(7);
    assert.equal(await list.inputValue(), "W = 1, 7, 3, 4");
    // A wrong count is said and changes nothing.
    await list.fill("W = 1, 2");
    await list.blur();
    await page.waitForFunction(() => [...document.querySelectorAll(".params .coord-problem")].some((p) => p.textContent === "W: 2 values for 4 entries"));
    assert.equal(parseFloat(await page.locator('[data-testid="J-0-1"]').getAttribute("title")), 7);
    // The edited entry is in the link: the page reopens on it.
    await page.waitForFunction(() => {
      const u = decodeURIComponent(location.href.replaceAll("+", " "));
      return (u.includes("pe=W[0, 1]=7") && !u.includes("W[0, 0]")) || location.hash.startsWith("#s=");
    });
    await page.waitForTimeout(400);
    await page.reload();
    await j01(7);
    assert.equal(await page.locator('[data-testid="fixed-lists"]').inputValue(), "W = 1, 7, 3, 4");
  }, "f=" + encodeURIComponent("f(x[2]; W[2, 2] = [[1, 2], [3, 4]]) = W @ x") + "&at=1%2C2"));
