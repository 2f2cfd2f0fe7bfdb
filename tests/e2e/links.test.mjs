// Readable share links: opening one restores the function and point; the address bar
// follows edits; hostile links give a message and a working page, never run anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cell, jacobianText, openApp, suite } from "./helpers.mjs";

const ctx = suite();
const withApp = (fn, query) => ctx.withApp(fn, query);

test("a readable link opens its function at its point, and the URL follows edits", async () => {
  const q = "f=" + encodeURIComponent("f(r, t) = [r*cos(t), r*sin(t)]") + "&at=2,0";
  const page = await openApp(ctx.browser, `${ctx.server.url}?${q}`);
  try {
    assert.deepEqual(await jacobianText(page), [["1", "0"], ["0", "2"]]);
    assert.equal(await cell(page, "det"), "det J = 2");
    const field = page.locator('[data-testid="coord-r"]');
    await field.fill("3");
    await page.waitForFunction(() => location.search.includes("at=3%2C0"));
    const historyLength = await page.evaluate(() => history.length);
    await field.fill("4");
    await page.waitForFunction(() => location.search.includes("at=4%2C0"));
    assert.equal(await page.evaluate(() => history.length), historyLength, "replaceState: no entry per change");
    // Reopening the URL restores the state.
    const url = page.url();
    const again = await openApp(ctx.browser, url);
    assert.equal(await cell(again, "J-1-1"), "4");
    await again.context().close();
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

const HOSTILE = [
  "f=%E0%A4%A&at=1",
  "f=%FF%FE%FD",
  "at=1,NaN,3",
  "at=Infinity,1,1",
  "at=1,2",
  "at=1,2,3,4,5,6",
  "at=%3Cscript%3Ealert(1)%3C/script%3E",
  "at=javascript:alert(1)",
  "f=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "f=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
  "f=javascript:alert(document.cookie)",
  "f=f(x)%3Dx%E2%80%AE%2B1",
  "f=f(x)%3Dx%00%2B1",
  "f=" + "(".repeat(5000) + "&at=1",
  "f=" + "x".repeat(300000),
  "f=%%%%%&at=%%",
  "f=&at=",
  "f=f(x)%3D1e999",
  "f=" + encodeURIComponent("f(x) = log(x)") + "&at=-1",
  "at=1e400,2,3",
];

test("hostile links: a message and a working page, nothing executed or injected", async () => {
  for (const q of HOSTILE) {
    const page = await openApp(ctx.browser, `${ctx.server.url}?${q}`);
    try {
      const dialogs = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss();
      });
      assert.equal(await page.locator("img").count(), 0, `${q.slice(0, 60)}: no injected image`);
      assert.equal(await page.locator("script").count(), 1, `${q.slice(0, 60)}: only boot.js`);
      assert.equal(await page.locator('[data-testid="jacobian"]').count(), 1, "the page works");
      // Still usable: load an example and read its J.
      await page.selectOption('[data-testid="gallery"]', "classic");
      assert.equal(await cell(page, "J-2-1"), "48");
      assert.deepEqual(dialogs, []);
      assert.deepEqual(await page.problems(), [], q.slice(0, 60));
    } finally {
      await page.context().close();
    }
  }
});

test("a bad coordinate in a link is reported in words", async () => {
  const page = await openApp(ctx.browser, `${ctx.server.url}?at=1,NaN,3`);
  try {
    assert.match(await page.locator('[data-testid="link-problems"]').textContent(), /not finite/);
    assert.equal(await cell(page, "J-2-1"), "48", "the default point stays");
  } finally {
    await page.context().close();
  }
});
