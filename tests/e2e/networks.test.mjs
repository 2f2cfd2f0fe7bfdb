// Networks in the page: the digit classifier (its weights fetched with the example, not the
// page) painted with real pointer events and the keyboard, its class scores and saliency
// maps following every stroke.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cell, suite, SHOTS, pick } from "./helpers.mjs";

const ctx = suite();

/// The class scores as numbers, in output order: in full from each score's tooltip, and
/// each shown as that number rounded (to 3 significant digits, 2 in scientific form).
const scores = (page) =>
  page.$$eval('[data-testid^="score-"]:not([hidden])', (els) => els.map((e) => {
    const [full, shown] = [e.title, e.textContent.trim()].map((t) => Number(t.split(" ").pop().replace("−", "-")));
    if (!(Math.abs(shown - full) <= 0.05 * Math.abs(full))) throw new Error(`score ${e.textContent} shown for ${e.title}`);
    return full;
  }));
/// The saliency sheet's pixels, as a string to compare.
const sheet = (page) =>
  page.evaluate(() => {
    const c = document.querySelector('[data-testid="saliency"]');
    return c.width ? Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data).join(",") : "";
  });

/// The red channel of the paint pad's pixels in a `w × h` rectangle from (x, y), row by row
/// (ink 1 is 0, blank is 255).
const ink = (page, x, y, w, h) =>
  page.evaluate(([x, y, w, h]) => {
    const d = document.querySelector('[data-testid="paint-pad"]').getContext("2d").getImageData(x, y, w, h).data;
    return Array.from({ length: w * h }, (_, i) => d[i * 4]);
  }, [x, y, w, h]);

async function openDigits(page) {
  await pick(page, "digits");
  await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("10 × 64"));
  await page.locator('[data-testid="paint-pad"]').waitFor({ state: "visible" });
}

test("the digit classifier opens on a painted 3, reads it as a 3, and its note gives the accuracy", () =>
  ctx.withApp(async (page) => {
    await openDigits(page);
    assert.match(await page.locator('[data-testid="note"]').textContent(), /97\.6 % of 450 held-out/);
    const s = await scores(page);
    assert.equal(s.length, 10);
    assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) - 1) < 1e-6, `scores sum to 1: ${s}`);
    assert.equal(s.indexOf(Math.max(...s)), 3, `a 3: ${s}`);
    assert.match(await page.locator('[data-testid="score-3"]').getAttribute("class"), /best/);
    // The 2-D pad and the 64 sliders give way to the paint pad.
    assert.equal(await page.locator('[data-testid="pad"]').isVisible(), false);
    assert.equal(await page.locator('[data-testid="coord-img[0, 0]"]').isVisible(), false);
    for (const [w, h, name] of [[1280, 900, "1280"], [720, 560, "embed"], [390, 844, "phone"]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.locator('[data-testid="paint-pad"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `networks-digits-${name}.png`) });
    }
  }));

test("painting with the pointer changes the scores and the saliency maps; clear and presets set the image", () =>
  ctx.withApp(async (page) => {
    await openDigits(page);
    const pad = page.locator('[data-testid="paint-pad"]');
    const [s0, m0] = [await scores(page), await sheet(page)];
    assert.ok(m0.length > 0, "the maps are drawn");
    // A stroke down the middle column with real pointer events (mouse: pointerdown, moves, up).
    const box = await pad.boundingBox();
    const x = box.x + box.width * (4.5 / 8);
    await page.mouse.move(x, box.y + box.height * (0.5 / 8));
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height * (7.5 / 8), { steps: 4 });
    await page.mouse.up();
    // Every pixel of column 4 is ink, including those the pointer skipped between events.
    assert.deepEqual(await ink(page, 4, 0, 1, 8), [0, 0, 0, 0, 0, 0, 0, 0], "column 4 painted black");
    await page.waitForFunction((before) => {
      const s = Array.from(document.querySelectorAll('[data-testid^="score-"]'), (e) => e.textContent).join();
      return s !== before;
    }, s0.join());
    assert.notEqual(await sheet(page), m0, "the saliency maps follow the stroke");
    await page.locator('[data-testid="saliency"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "networks-digits-painted.png") });
    // Clear: a blank image; then the preset 1 reads as a 1.
    await page.click('[data-testid="paint-clear"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="paint-readout"]').textContent.endsWith("= 0"));
    await page.selectOption('[data-testid="paint-preset"]', "1");
    await page.waitForFunction(() => document.querySelector('[data-testid="score-1"]').classList.contains("best"));
  }));

test("the keyboard paints and erases at the cursor", () =>
  ctx.withApp(async (page) => {
    await openDigits(page);
    await page.click('[data-testid="paint-clear"]');
    const pad = page.locator('[data-testid="paint-pad"]');
    await pad.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Space");
    const readout = page.locator('[data-testid="paint-readout"]');
    assert.equal(await readout.textContent(), "img[1, 2] = 1");
    await page.keyboard.press("Delete");
    assert.equal(await readout.textContent(), "img[1, 2] = 0");
    await page.click('[data-testid="paint-erase"]');
    assert.equal(await page.locator('[data-testid="paint-erase"]').getAttribute("aria-pressed"), "true");
  }));

test("a short link opens the digit classifier on its painted image, and the page's address stays short", () =>
  ctx.withApp(async (page) => {
    await openDigits(page);
    // Paint, then read the address the page wrote: it names the example, not its weights.
    await page.click('[data-testid="paint-clear"]');
    const pad = page.locator('[data-testid="paint-pad"]');
    await pad.focus();
    await page.keyboard.press("Space");
    await page.waitForFunction(() => location.search.startsWith("?example=digits&at=1%2C0%2C0"));
    const url = page.url();
    assert.ok(url.length < 600, url);
    // Opened in a new tab (its saved work is this same image), the link restores the example and the image.
    const fresh = await page.context().newPage();
    await fresh.goto(url);
    await fresh.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("10 × 64"));
    assert.equal(await fresh.locator('[data-testid="gallery"]').inputValue(), "digits");
    assert.match(await fresh.locator('[data-testid="note"]').textContent(), /97\.6 %/);
    assert.deepEqual(await ink(fresh, 0, 0, 2, 1), [0, 255], "pixel (0, 0) painted, (0, 1) blank");
    // A link that names the example and carries another function opens that function, and
    // the example's note does not describe it.
    await fresh.goto(`${ctx.server.url}?example=digits&f=${encodeURIComponent("f(x) = x^2")}&at=3`);
    await fresh.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("1 × 1"));
    assert.equal(await cell(fresh, "J-0-0"), "6");
    assert.doesNotMatch(await fresh.locator('[data-testid="note"]').textContent(), /97\.6 %/);
    await fresh.close();
  }));

test("the decoder's 32-vector is editable on a 360 px phone: every value as a list, one entry with its slider", () =>
  ctx.withApp(async (page) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await pick(page, "decoder");
    const caption = () => page.locator('[data-testid="j-caption"]').textContent();
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("64 × 32"));
    assert.match(await page.locator('[data-testid="note"]').textContent(), /about 1e−8.*about 1e−11/);
    // The note's figures are the cost table's, as this browser computes them.
    const error = (s) => page.locator(`[data-testid="cost-${s}"] td:nth-child(5)`).textContent().then((t) => Number(t.replace("−", "-")));
    await page.waitForFunction(() => document.querySelector('[data-testid="cost-fd_central"] td:nth-child(5)')?.textContent);
    const [fwd, central] = [await error("fd_forward"), await error("fd_central")];
    assert.ok(fwd > 5e-9 && fwd < 3e-8 && central > 5e-12 && central < 3e-11, `FD errors ${fwd}, ${central}`);
    const list = page.locator('[data-testid="coords-all"]');
    assert.ok(await list.isVisible());
    const shown = (await list.inputValue()).split(", ");
    assert.equal(shown.length, 32);
    assert.deepEqual(shown.slice(0, 3), ["0.8", "-0.4", "1.1"]);
    // One entry's slider and field, not 32 (nor the first 16).
    assert.equal(await page.locator(".coord").count(), 1);
    assert.ok(await page.locator('[data-testid="slider-z[0]"]').isVisible());
    const before = await page.locator('[data-testid="J-0-0"]').getAttribute("title");

    // A NumPy array as it prints, pasted whole; applied when the field is left.
    const values = Array.from({ length: 32 }, (_, k) => ((k % 7) - 3) / 10);
    await list.fill(`[[${values.slice(0, 16).join("  ")}]\n [${values.slice(16).join("  ")}]]`);
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]').textContent.includes("at (−0.3, −0.2, −0.1, 0, 0.1"));
    assert.notEqual(await page.locator('[data-testid="J-0-0"]').getAttribute("title"), before, "J follows the pasted point");
    assert.equal(await list.inputValue(), values.map(String).join(", "));
    assert.equal(await page.inputValue('[data-testid="coord-z[0]"]'), "-0.3");

    // A list of the wrong length, or with a bad number, is said and changes nothing.
    const alert = page.locator("[data-testid=\"coords-window\"] .coord-problem");
    await list.fill("1, 2, 3");
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => document.querySelector("[data-testid=\"coords-window\"] .coord-problem").textContent === "3 values for 32 inputs");
    await list.fill(values.map((v, k) => (k === 4 ? "nan" : v)).join(" "));
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => /coordinate 5 \('nan'\)/.test(document.querySelector("[data-testid=\"coords-window\"] .coord-problem").textContent));
    assert.match(await caption(), /at \(−0\.3, −0\.2, −0\.1, 0, 0\.1/);
    assert.equal(await alert.getAttribute("role"), "alert");

    // The entry is the pad's horizontal input: pick z[5], then type a value into its field.
    await page.selectOption('[data-testid="axis-0"]', "5");
    await page.locator('[data-testid="coord-z[5]"]').waitFor();
    assert.equal(await page.locator(".coord").count(), 1);
    await page.fill('[data-testid="coord-z[5]"]', "1.5");
    await page.waitForFunction(() => document.querySelector('[data-testid="coords-all"]').value.split(", ")[5] === "1.5");
    assert.equal(await alert.textContent(), "", "the message about the replaced text went with it");
    assert.match(await caption(), /at \(−0\.3, −0\.2, −0\.1, 0, 0\.1, 1\.5,/);

    // Nothing wider than the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), "no sideways scrolling");
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "networks-decoder-360.png") });
  }, "views=analysis"));
