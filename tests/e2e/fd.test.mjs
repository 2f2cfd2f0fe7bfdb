// The finite-difference view: error heat maps with numbers, and the error-vs-h plot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, cell, suite, pick } from "./helpers.mjs";

const ctx = suite();

test("the FD plot is drawn and its best steps are where theory puts them", () =>
  ctx.withApp(async (page) => {
    // Exact entries stay exact: x1 + x2 has no FD error in column 0.
    assert.equal(await cell(page, "fd-f-0-0"), "0");
    // A transcendental map, where truncation and round-off both show.
    await pick(page, "polar");
    const plot = page.locator('[data-testid="fd-plot"]');
    await plot.scrollIntoViewIfNeeded();
    const inked = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="fd-plot"]');
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < d.length; k += 4) if (d[k] < 200 || d[k + 1] < 200 || d[k + 2] < 200) n++;
      return n;
    });
    assert.ok(inked > 2000, `${inked} non-white pixels`);
    const text = await page.locator('[data-testid="fd-best"]').textContent();
    const m = text.match(/best forward h = ([\d.e+-]+).*best central h = ([\d.e+-]+)/);
    assert.ok(m, text);
    const [hf, hc] = [Number(m[1]), Number(m[2])];
    assert.ok(hf >= 1e-10 && hf <= 1e-6, `best forward h ${hf}`);
    assert.ok(hc >= 1e-7 && hc <= 1e-3, `best central h ${hc}`);
    await page.screenshot({ path: join(SHOTS, "fd-view.png"), fullPage: true });
  }));

test("where the program cancels, AD is exact for it (complex step agrees) and says so; the stable rewrite gives the true derivative", () =>
  ctx.withApp(async (page) => {
    await pick(page, "cancellation");
    // f1 = (1 - cos x)/x^2 as float64 computes it, f2 = 2 sin(x/2)^2/x^2: the same function.
    const [f1, f2] = [await cell(page, "J-0-0"), await cell(page, "J-1-0")];
    assert.equal(f1, "4.41080e−5", "AD of the cancelling program: rounding noise");
    assert.equal(f2, "−8.33333e−6", "the stable rewrite: the true derivative −x/12 + …");
    assert.match(await cell(page, "note"), /AD is exact for the float64 program.*rounding noise.*−8\.33e−6/);
    const fwd = Number((await cell(page, "fd-f-0-0")).replace("−", "-"));
    assert.ok(fwd > 1e-6, `forward FD error ${fwd} on (1 − cos x)/x² at 1e-4`);
    const cs = await cell(page, "complex-err");
    assert.match(cs, /max error (0|[\d.]+e−1[3-9]|[\d.]+e−[2-9]\d)/, cs);
  }));

test("where f is undefined (log of a negative number), complex step's row is NaN and the view says why", () =>
  ctx.withApp(async (page) => {
    await page.waitForFunction(() => /f1 is not defined at this point in real arithmetic/.test(document.querySelector('[data-testid="undefined-note"]')?.textContent ?? ""));
    assert.match(await cell(page, "undefined-note"), /complex step's J is NaN there/);
    // Where every output is defined the note is empty.
    await pick(page, "classic");
    await page.waitForFunction(() => document.querySelector('[data-testid="undefined-note"]')?.textContent === "");
  }, `f=${encodeURIComponent("f(x, y) = [log(x), x*y]")}&at=-1,2`));

test("the digits check marks the entries the program's rounding spoiled, and says what is true", () =>
  ctx.withApp(async (page) => {
    // The classic example: nothing lost.
    await page.waitForFunction(() => /every value of f and entry of J keeps at least 1[3-6] of 16/.test(document.querySelector('[data-testid="trust"]')?.textContent));
    assert.equal(await page.locator('[data-testid="jacobian"] td.lost').count(), 0);
    // Hovering an entry gives it to full precision and its formula (the worker sends the
    // formulas with the check).
    await page.waitForFunction(() => document.querySelector('[data-testid="J-2-1"]').title.includes("formula"));
    assert.equal(await page.locator('[data-testid="J-2-1"]').getAttribute("title"), "48\nformula: 3·x2²");
    assert.equal(await page.locator('[data-testid="J-1-0"]').getAttribute("title"), "5\nformula: x3");
    await pick(page, "cancellation");
    await page.waitForFunction(() => document.querySelector('[data-testid="trust"]')?.textContent.startsWith("⚠"));
    const summary = await page.locator('[data-testid="trust"]').textContent();
    assert.match(summary, /∂f1\/∂x keeps 0/);
    assert.match(summary, /∂f2\/∂x keeps 7/);
    const cell = page.locator('[data-testid="J-0-0"]');
    assert.match(await cell.getAttribute("class"), /\blost\b/);
    const hover = await cell.getAttribute("title");
    assert.match(hover, /^float64: 4\.41080e−5 · true: −8\.3333333/, hover);
    assert.match(hover, /0 of 16 digits right/);
    // The program's formula for it: what AD differentiates exactly, cancellation and all.
    assert.match(hover, /\nformula: /);
    // The stable rewrite's value keeps its digits; its AD derivative keeps 7.
    assert.match(await page.locator('[data-testid="J-1-0"]').getAttribute("title"), /7 of 16 digits right/);
    assert.equal(await page.locator('[data-testid="J-2-0"]').getAttribute("class").then((c) => /\blost\b/.test(c)), false);
  }));

test("J as MathML: the worked example's formulas, then the point substituted, following the point", () =>
  ctx.withApp(async (page) => {
    const cells = (id) =>
      page.$$eval(`[data-testid="${id}"] mtr`, (rows) => rows.map((r) => [...r.children].map((td) => td.textContent)));
    await page.waitForSelector('[data-testid="j-symbolic"]');
    // MathML elements, built in their namespace (not unknown HTML elements).
    assert.equal(await page.$eval('[data-testid="j-symbolic"]', (m) => m.namespaceURI), "http://www.w3.org/1998/Math/MathML");
    // x3 is x with a subscript 3; 3·x2² is a power of that.
    assert.deepEqual(await cells("j-symbolic"), [["1", "1", "0"], ["x3", "0", "x1"], ["0", "3·x22", "0"]]);
    assert.equal(await page.$eval('[data-testid="j-symbolic"] mtr:nth-child(3) mtd:nth-child(2) msup', (e) => [...e.children].map((c) => c.localName).join()), "msub,mn");
    // The numbers wait behind "Substitute the point", and are J's own entries.
    const substitute = page.locator('[data-testid="j-substitute"] summary');
    assert.equal(await substitute.textContent(), "Substitute the point (3, 4, 5)");
    assert.equal(await page.isVisible('[data-testid="j-numeric"]'), false);
    await substitute.click();
    assert.deepEqual(await cells("j-numeric"), [["1", "1", "0"], ["5", "0", "3"], ["0", "48", "0"]]);
    // They follow the point, and the step stays open while they do.
    await page.fill('[data-testid="coord-x2"]', "2");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-numeric"] mtr:nth-child(3)')?.textContent === "0120");
    assert.equal(await page.isVisible('[data-testid="j-numeric"]'), true);
    assert.equal(await substitute.textContent(), "Substitute the point (3, 2, 5)");
    // A program without formulas says why, and still gives J as MathML.
    await page.fill('[data-testid="source"]', "f(x[70]) = [sum(x * x)]");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-formulas"] p')?.textContent.startsWith("No formulas:"));
    assert.equal(await page.locator('[data-testid="j-symbolic"]').count(), 0);
    assert.equal(await page.locator('[data-testid="j-numeric"] mtd').count(), 70);
    // A small vector program has them, in its entries' names.
    await page.fill('[data-testid="source"]', "f(x[3]) = [sum(x * x)]");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-symbolic"]')?.textContent.includes("x[0]"));
  }));

test("the chain rule: a 3-layer program's J as three factors, multiplied from each end, with the two costs", () =>
  ctx.withApp(async (page) => {
    await page.fill('[data-testid="source"]', "u = x*y\nv = sin(u) + x\nf(x, y) = [v*u, v]");
    const chain = page.locator('[data-testid="chain"]');
    await chain.locator("summary").waitFor();
    assert.equal(await chain.locator("summary").textContent(), "The chain rule: J = J3 · J2 · J1");
    await chain.locator("summary").click();
    await page.fill('[data-testid="coord-x"]', "1");
    await page.fill('[data-testid="coord-y"]', "2");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chain-factors"] mtable')].pop()?.textContent === "1021");
    // Three factors, each a 2 × 2 matrix of numbers, J1 = [[1, 0], [y, x]] at (1, 2).
    assert.equal(await page.locator('[data-testid="chain-factors"] mtable').count(), 3);

    // Forward: J2·J1, then J3·J2·J1; reverse: J3·J2, then J3·J2·J1: both end at J.
    assert.equal(await page.locator('[data-testid="chain-forward"] .step').count(), 2);
    assert.equal(await page.locator('[data-testid="chain-reverse"] .step').count(), 2);
    const last = (id) => page.$eval(`[data-testid="${id}"] .step:last-child mtable`, (t) => t.textContent);
    assert.equal(await last("chain-forward"), await last("chain-reverse"));
    assert.match(await page.textContent('[data-testid="chain-costs"]'), /from the right \(forward\) 16, from the left \(reverse\) 16/);
    // It follows the point, staying open.
    await page.fill('[data-testid="coord-y"]', "3");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chain-factors"] mtable')].pop()?.textContent === "1031");
    assert.equal(await chain.evaluate((d) => d.open), true);
    await chain.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "chain-rule.png") });
    // Rebuilt while open, its steps stay put; closed and opened again, they play again.
    assert.equal(await chain.evaluate((d) => d.classList.contains("kept")), true);
    await chain.locator("summary").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="chain"]').classList.contains("kept"));
    await chain.locator("summary").click();
    assert.ok(await page.evaluate(() => document.getAnimations().some((a) => a.animationName === "step-in")));
  }));

test("a network's chain rule: one factor per operation, big factors drawn as pictures the page decodes", () =>
  ctx.withApp(async (page) => {
    await pick(page, "decoder");
    const chain = page.locator('[data-testid="chain"]');
    await chain.locator("summary").waitFor();
    assert.equal(await chain.locator("summary").textContent(), "The chain rule: J = J4 · J3 · J2 · J1");
    await chain.locator("summary").click();
    const captions = await page.$$eval('[data-testid="chain-factors"] > div', (ds) => ds.map((d) => d.innerText.replace(/\s+/g, " ")));
    assert.deepEqual(captions, ["J4 of sigmoid(·) 64 × 64", "J3 of W2 @ · 64 × 64", "J2 of tanh(·) 64 × 64", "J1 of W1 @ z 64 × 32"]);
    // Each factor's picture is a PNG Chromium decodes, an entry a pixel; tanh's factor is
    // diagonal: coloured on the diagonal, white off it.
    const decoded = await page.$$eval('[data-testid="chain-factors"] image', (images) =>
      Promise.all(
        images.map(async (im) => {
          const img = new Image();
          img.src = im.getAttribute("href");
          await img.decode();
          const c = document.createElement("canvas");
          [c.width, c.height] = [img.width, img.height];
          const g = c.getContext("2d");
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, c.width, c.height).data;
          let onWhite = 0, offInk = 0;
          for (let i = 0; i < c.height; i++)
            for (let j = 0; j < c.width; j++) {
              const white = d[4 * (i * c.width + j)] === 255 && d[4 * (i * c.width + j) + 1] === 255;
              if (i === j && white) onWhite++;
              if (i !== j && !white) offInk++;
            }
          return [img.width, img.height, onWhite, offInk];
        }),
      ),
    );
    assert.deepEqual(decoded.map((d) => d.slice(0, 2)), [[64, 64], [64, 64], [64, 64], [32, 64]]);
    assert.deepEqual(decoded[2].slice(2), [0, 0], "tanh's factor is diagonal");
    assert.ok(decoded[1][3] > 3000, "W2 is full");
    // Forward from the right carries 32 columns through three products, reverse 64 rows.
    assert.equal(await page.locator('[data-testid="chain-forward"] .step image').count(), 3);
    assert.match(await page.textContent('[data-testid="chain-costs"]'), /from the right \(forward\) 393216, from the left \(reverse\) 655360: from the right \(forward\) is cheaper/);
    await chain.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState === "finished"));
    await page.screenshot({ path: join(SHOTS, "chain-network.png") });
    // The builder keeps a picture's PNG data and refuses every other link and handler.
    const built = await page.evaluate(() => {
      const d = document.createElement("div");
      const t = ["<svg", "<image", "@href=javascript:alert(1)", "@onload=alert(1)", ">", "<image", "@href=data:image/png;base64,AAAA", ">", "<image", "@href=data:text/html;base64,AAAA", ">", ">", "<script", "=alert(1)", ">"];
      globalThis.jpBuild(d, t.join("\x1f"));
      return [...d.querySelectorAll("*")].map((e) => [e.localName, ...[...e.attributes].map((a) => a.name + "=" + a.value)].join(" "));
    });
    assert.deepEqual(built, ["svg", "image", "image href=data:image/png;base64,AAAA", "image"]);
  }));
