// Layout: no sideways scrolling on a 360 px phone, and nothing on the page moves while the
// point is dragged (numbers change in place; tables keep their shape).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, openApp, suite, pick } from "./helpers.mjs";

const ctx = suite();

test("a 360 px phone: no horizontal page scroll, every panel inside the screen", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    for (const example of ["classic", "network", "wide", "tall"]) {
      await page.setViewportSize({ width: 360, height: 740 });
      await pick(page, example);
      await page.waitForTimeout(300);
      const { scroll, client, wide } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll(".panel, .toolbar, .top")]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((el) => el.className),
      }));
      assert.ok(scroll <= client, `${example}: page is ${scroll} px wide in a ${client} px screen`);
      assert.deepEqual(wide, [], example);
    }
    await page.screenshot({ path: join(SHOTS, "phone-360.png"), fullPage: true });
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("dragging the point shifts no layout", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    for (const example of ["classic", "network", "lorenz", "cancellation"]) {
      await pick(page, example);
      await page.waitForTimeout(400);
      await page.evaluate(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          // As the Cumulative Layout Shift metric counts them: a shift right after a
          // discrete input (the pointer's release) is expected and excluded; pointer
          // moves are not discrete input, so any shift while dragging counts.
          for (const e of list.getEntries()) {
            if (!e.hadRecentInput) window.__shifts.push({ value: e.value, nodes: e.sources.map((s) => s.node?.nodeName + "." + (s.node?.className ?? "")) });
          }
        }).observe({ type: "layout-shift" });
      });
      const panels = () => page.evaluate(() => [...document.querySelectorAll("section.panel, nav")].map((e) => {
        const r = e.getBoundingClientRect();
        return `${e.className} ${r.x},${r.y + scrollY}`;
      }));
      const before = await panels();
      const box = await page.locator('[data-testid="pad"]').boundingBox();
      const marker = await page.locator('[data-testid="pad-marker"]').boundingBox();
      await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
      await page.mouse.down();
      for (let k = 0; k <= 30; k++) {
        const t = k / 30;
        await page.mouse.move(box.x + box.width * (0.15 + 0.7 * t), box.y + box.height * (0.8 - 0.6 * t * t));
      }
      const during = await panels();
      await page.mouse.up();
      await page.waitForTimeout(300);
      // Below the fold too: no panel moved.
      assert.deepEqual(during, before, example);
      const shifts = await page.evaluate(() => window.__shifts);
      const total = shifts.reduce((s, e) => s + e.value, 0);
      assert.equal(total, 0, `${example}: layout shift ${total.toFixed(4)} from ${JSON.stringify(shifts.slice(0, 3))}`);
    }
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

/// Where each named table sits against the box that shows it: the widest right edge of its
/// cells beyond the scroll box (clipped), whether the scroll box scrolls, and the cue.
function tableFit(page, selector) {
  return page.evaluate((sel) => {
    const t = document.querySelector(sel);
    if (!t || !t.offsetParent) return null;
    let box = t.parentElement;
    while (box && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
    const view = document.documentElement.clientWidth;
    const right = Math.min(box.getBoundingClientRect().right, view);
    const cells = [...t.querySelectorAll("td, th")].filter((c) => c.getClientRects().length);
    const beyond = Math.max(0, ...cells.map((c) => c.getBoundingClientRect().right - right));
    return { beyond, scrolls: box.scrollWidth > box.clientWidth + 1, cue: getComputedStyle(box).backgroundImage.includes("gradient") };
  }, selector);
}

test("J, the trace and the cost table are whole at 360, 390, 720 and 1280 px, no entry wraps; a 20-column J is a picture whose 8-column window scrolls with a cue", async () => {
  const six = "f(a, b, c, d, u, g) = [a*b - c/7, d/u + g^2, sin(a)*exp(g), a^-3, log(d) - u, b*c*d]";
  const twenty = `f(${Array.from({ length: 20 }, (_, k) => `x${k}`).join(", ")}) = [${Array.from({ length: 20 }, (_, k) => `x${k}/3`).join(" + ")}, x0*x19]`;
  const cases = [["polar", "f=" + encodeURIComponent("f(r, theta) = [r*cos(theta), r*sin(theta)]") + "&at=2,0.3", 2],
    ["classic", "", 3], ["cancellation", "f=" + encodeURIComponent("f(x) = [(1 - cos(x))/x^2, 2*sin(x/2)^2/x^2, exp(x)*1e8]") + "&at=1e-4", 1],
    ["six", "f=" + encodeURIComponent(six) + "&at=0.3,-1.7,2.9,4.1,0.13,-0.77", 6]];
  // Each function opened once in the full page, then the window resized through the widths
  // (as a phone turned, or a window dragged narrower), and once embedded.
  const sizes = [[360, 740, false], [390, 844, false], [720, 900, false], [1280, 900, false], [720, 560, true]];
  for (const [name, query, n] of cases) {
    for (const embed of [false, true]) {
      const q = [query, embed ? "embed=1" : ""].filter(Boolean).join("&");
      const page = await openApp(ctx.browser, ctx.server.url + (q ? `?${q}` : ""));
      try {
        for (const [width, height] of sizes.filter((s) => s[2] === embed)) {
          await page.setViewportSize({ width, height });
          await page.waitForTimeout(250);
          const at = `${name} at ${width} px${embed ? " (embed)" : ""}`;
          assert.equal(await page.locator('[data-testid^="J-0-"]').count(), n, `${at}: J has ${n} columns`);
          const j = await tableFit(page, '[data-testid="jacobian"]');
          assert.ok(j.beyond <= 0.5 && !j.scrolls, `${at}: J reaches ${j.beyond.toFixed(0)} px past its panel (scrolls: ${j.scrolls})`);
          // Each entry on one line: "−8.33333e−" over "6" is clipped J too.
          const wrapped = await page.locator('[data-testid="jacobian"] td').evaluateAll((tds) => tds.filter((td) => {
            const r = document.createRange();
            r.selectNodeContents(td);
            return r.getClientRects().length > 1;
          }).map((td) => td.textContent));
          assert.deepEqual(wrapped, [], `${at}: entries of J wrap onto a second line`);
          if (!embed) {
            await page.click('[data-testid="pass-reverse"]');
            for (const sel of ['[data-testid="trace"]', '[data-testid="cost"]']) {
              const fit = await tableFit(page, sel);
              assert.ok(fit.beyond <= 0.5 && !fit.scrolls, `${at}: ${sel} reaches ${fit.beyond.toFixed(0)} px past its panel`);
            }
          }
          if (name === "six" && width === 360) await page.screenshot({ path: join(SHOTS, "j-six-360.png"), fullPage: true });
        }
        assert.deepEqual(await page.problems(), []);
      } finally {
        await page.context().close();
      }
    }
  }
  const page = await openApp(ctx.browser, `${ctx.server.url}?f=${encodeURIComponent(twenty)}`);
  try {
    // Past 12 columns J is a picture, and its table the window of 8 columns around the
    // entry read out (tests/e2e/sizes.test.mjs).
    assert.ok(await page.locator('[data-testid="J-picture"]').isVisible());
    assert.equal(await page.locator('[data-testid^="J-0-"]').count(), 8);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(250);
    const j = await tableFit(page, '[data-testid="jacobian"]');
    assert.ok(j.scrolls && j.cue, `20 columns: J's window scrolls (${j.scrolls}) inside a box with a cue (${j.cue})`);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});
