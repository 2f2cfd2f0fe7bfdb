// Static hosting: the release build works from a sub-path of any static server, and
// keeps working offline (server gone) after the first visit, links included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DIST, SHOTS, cell, launch } from "./helpers.mjs";
import { startServer } from "../../scripts/server.mjs";

test("served from /playground/, then offline after the first visit", async () => {
  const browser = await launch();
  let server = await startServer(DIST, { prefix: "/playground/" });
  const port = new URL(server.url).port;
  try {
    assert.match(server.url, /\/playground\/$/);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="J-2-1"]');
    assert.equal(await cell(page, "J-2-1"), "48");
    // Every request stayed under the sub-path.
    const outside = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => !p.startsWith("/playground/")),
    );
    assert.deepEqual(outside, []);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.match(scope, /\/playground\/$/);
    // A link under the sub-path.
    const q = "f=" + encodeURIComponent("f(r, t) = [r*cos(t), r*sin(t)]") + "&at=2,0";
    await page.goto(`${server.url}?${q}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="det"]')?.textContent.includes("= 2"));

    // The cache holds the app's files, not one entry per link visited.
    const keys = () => page.evaluate(async () => (await (await caches.open("jacobian-playground")).keys()).length);
    const before = await keys();
    for (let k = 0; k < 10; k++) {
      await page.goto(`${server.url}?f=${encodeURIComponent(`f(x) = x^${k + 2}`)}&at=1`);
      await page.waitForSelector('[data-testid="J-0-0"]');
    }
    await page.waitForTimeout(300);
    assert.equal(await keys(), before, "ten more links visited");

    // The server goes away: the page still loads, from the service worker's cache.
    await server.close();
    for (const url of [`http://127.0.0.1:${port}/playground/`, `http://127.0.0.1:${port}/playground/?${q}`]) {
      await page.goto(url);
      await page.waitForSelector('[data-testid="J-1-1"]', { timeout: 20000 });
    }
    assert.equal(await cell(page, "det"), "det J = 2");
    await page.locator('[data-testid="coord-r"]').fill("5");
    await page.waitForFunction(() => document.querySelector('[data-testid="det"]').textContent.includes("= 5"));
    await page.screenshot({ path: join(SHOTS, "offline.png") });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close().catch(() => {});
    await browser.close();
  }
});
