// Layout: no sideways scrolling on a 360 px phone, and nothing on the page moves while the
// point is dragged (numbers change in place; tables keep their shape).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SHOTS, openApp, suite } from "./helpers.mjs";

const ctx = suite();

test("a 360 px phone: no horizontal page scroll, every panel inside the screen", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    for (const example of ["classic", "network", "wide", "tall"]) {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.selectOption('[data-testid="gallery"]', example);
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
      await page.selectOption('[data-testid="gallery"]', example);
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
