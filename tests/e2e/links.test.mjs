// Readable share links: opening one restores the function and point; the address bar
// follows edits; hostile links give a message and a working page, never run anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cell, DIST, jacobianText, openApp, settled, suite, pick } from "./helpers.mjs";
import { startServer } from "../../scripts/server.mjs";

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

test("a link with a function and no point opens at the function's own defaults", () =>
  withApp(async (page) => {
    // The page starts on the classic example at (3, 4, 5): none of that is this function's.
    assert.deepEqual(await jacobianText(page), [["1", "1"], ["1", "2"]]);
    assert.equal(await page.inputValue('[data-testid="coord-a"]'), "1");
    assert.equal(await page.inputValue('[data-testid="coord-b"]'), "1");
  }, "f=" + encodeURIComponent("f(a, b) = [a*b, a + 2*b]")));

test("a link may name any gallery example: its program, point and note, or the link's point", () =>
  withApp(async (page) => {
    await page.waitForFunction(() => document.querySelector('[data-testid="coord-r"]')?.value === "2");
    assert.equal(await page.inputValue('[data-testid="coord-theta"]'), "0.6");
    assert.equal(await page.inputValue('[data-testid="gallery"]'), "polar");
    assert.match(await page.locator('[data-testid="note"]').textContent(), /^det J = r/);
    await page.goto(`${ctx.server.url}?example=polar&at=1,0`);
    await page.waitForFunction(() => document.querySelector('[data-testid="coord-r"]')?.value === "1");
    assert.deepEqual(await jacobianText(page), [["1", "0"], ["0", "1"]]);
    // Softmax's outputs are named softmax1 … softmax4: each row's name on one line.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${ctx.server.url}?example=softmax`);
    await page.waitForFunction(() => document.querySelector('[data-testid="note"]')?.textContent.startsWith("J = diag(p)"));
    const lines = await page.$$eval('[data-testid="jacobian"] tbody th', (ths) =>
      ths.map((th) => {
        const r = document.createRange();
        r.selectNodeContents(th);
        return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
      }));
    assert.deepEqual(lines, [1, 1, 1, 1]);
  }, "example=polar"));

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
  "f=" + "x".repeat(450000),
  "f=%%%%%&at=%%",
  "f=&at=",
  "f=f(x)%3D1e999",
  "f=" + encodeURIComponent("f(x) = log(x)") + "&at=-1",
  "at=1e400,2,3",
  "at=" + "1,".repeat(2000) + "1",
  "at=0x10,1,1",
  "at=%E2%80%AE1,2,3",
  "at=%00",
  "f=" + encodeURIComponent("f(x) = [" + "x,".repeat(5000) + "x]"),
  "f=" + encodeURIComponent("f(x) = " + "sin(".repeat(20000) + "x" + ")".repeat(20000)),
  "f=%C0%AF%ED%A0%80",
  "f=f(x)%3Dx&f=g(y)%3Dy%3C%2Fscript%3E",
  "%3Cscript%3E=1&f=f(x)%3Dx",
  "f=" + encodeURIComponent("</textarea><script>alert(1)</script>"),
  "embed=1&f=%3Csvg%20onload%3Dalert(1)%3E",
  "f=" + encodeURIComponent("f(x) = x") + "&at=" + "9".repeat(400),
  "f=%u0041%uD800",
  "f=%E2%81%A6%E2%81%A9%E2%80%8F" + encodeURIComponent("f(x) = x"),
  // The compact form: damaged, oversized, a decompression bomb, markup.
  "#s=%%%",
  "#s=<script>alert(1)</script>",
  "#s=AAAA",
  "#s=" + "A".repeat(300000),
  "#s=" + "_-".repeat(500),
  "#s=8wAA",
  "axes=9,9&out=7,7&dir=99&field=J9.9&f=" + encodeURIComponent("f(x, y) = [x, y]"),
  "views=passes,<img>&pass=sideways&h=0.3&radius=huge&step=-1",
];
assert.ok(HOSTILE.length >= 30);

test("hostile links: a message and a working page, nothing executed or injected", async () => {
  // One tab follows every link in turn, as a reader clicking one after another would; the
  // page's storage is cleared before each, so each opens as on a first visit.
  const page = await openApp(ctx.browser, ctx.server.url);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    for (const q of HOSTILE) {
      await page.evaluate(() => localStorage.clear());
      await page.goto("about:blank");
      await page.goto(ctx.server.url + (q.startsWith("#") ? q : `?${q}`));
      await settled(page);
      assert.equal(await page.locator("img").count(), 0, `${q.slice(0, 60)}: no injected image`);
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute("src")));
      assert.deepEqual(scripts, ["pre.js", "boot.js"], `${q.slice(0, 60)}: only the page's own scripts`);
      assert.equal(await page.locator('[data-testid="jacobian"]').count(), 1, "the page works");
      // Still usable: load an example (embedded: type it) and read its J.
      if (q.startsWith("embed=1")) {
        await page.locator('[data-testid="source"]').fill("f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]");
      } else {
        await pick(page, "classic");
      }
      // Typed over the link's function, the classic keeps that function's point, every
      // input at 1 (3·x2² = 3); picked from the gallery, it comes with its own (48).
      assert.equal(await cell(page, "J-2-1"), q.startsWith("embed=1") ? "3" : "48", q.slice(0, 60));
      assert.deepEqual(dialogs, [], q.slice(0, 60));
      assert.deepEqual(await page.problems(), [], q.slice(0, 60));
    }
  } finally {
    await page.context().close();
  }
});

test("a program near the size limit is saved and comes back on reload", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    // 120 KB whose every "+" is percent-encoded: a 180 KB address, saved work the same.
    const big = "f(x) = " + "x+".repeat(60000) + "x";
    await page.fill('[data-testid="source"]', big);
    await page.waitForFunction(() => location.hash.startsWith("#s=") && location.search === "", null, { timeout: 10000 });
    await page.waitForTimeout(300);
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal((await page.inputValue('[data-testid="source"]')).length, big.length);
    assert.equal(await cell(page, "J-0-0"), "60001");
    // Over the limit: a message, and neither the address nor the saved work change. (The
    // restored program's address is written first, compressed: wait for it.)
    await page.waitForFunction(() => location.hash.startsWith("#s="), null, { timeout: 10000 });
    const before = await page.evaluate(() => location.href.length);
    await page.fill('[data-testid="source"]', "f(x) = " + "x+".repeat(70000) + "x");
    await page.waitForTimeout(600);
    assert.match(await page.locator('[data-testid="errors"]').textContent(), /128 KiB/);
    assert.equal(await page.evaluate(() => location.href.length), before);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("a long program's address survives a reload on a server that refuses request lines over 8 KB", async () => {
  const server = await startServer(DIST, { maxRequestLine: 8192 });
  const page = await openApp(ctx.browser, server.url);
  try {
    // 40 KB of program: its readable query would be ~75 KB.
    const terms = Array.from({ length: 3000 }, (_, k) => `sin(x*${k % 97}.5)*y`);
    const big = `f(x, y) = [${terms.join(" + ")}, x*y]`;
    assert.ok(big.length > 40000);
    await page.fill('[data-testid="source"]', big);
    await page.fill('[data-testid="coord-x"]', "0.25");
    await page.waitForFunction(() => location.hash.startsWith("#s=") && location.search === "" && location.href.length < 40000, null, { timeout: 10000 });
    const j = await jacobianText(page);
    await page.waitForTimeout(300);
    const response = await page.reload();
    assert.equal(response.status(), 200, "the reload's request line is short");
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await page.inputValue('[data-testid="source"]'), big);
    assert.equal(await page.inputValue('[data-testid="coord-x"]'), "0.25");
    assert.deepEqual(await jacobianText(page), j);
    // A short program is a readable link again.
    await page.fill('[data-testid="source"]', "f(x, y) = [x*y, x]");
    await page.waitForFunction(() => location.search.startsWith("?f=") && location.hash === "");
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
    await server.close();
  }
});

test("a coordinate field follows the links' and the CLI's rule: finite numbers only", () =>
  withApp(async (page) => {
    const field = page.locator('[data-testid="coord-r"]');
    for (const typed of ["nan", "inf", "1e999"]) {
      await field.fill(typed);
      await page.waitForFunction(() => /not a finite number/.test(document.querySelector(".coord .coord-problem").textContent));
      assert.equal(await cell(page, "J-1-1"), "2", `${typed}: the point keeps its last finite value`);
    }
    await field.fill("3");
    await page.waitForFunction(() => document.querySelector(".coord .coord-problem").textContent === "");
  }, "f=" + encodeURIComponent("f(r, t) = [r*cos(t), r*sin(t)]") + "&at=2,0"));

test("a bad coordinate in a link is reported in words", async () => {
  const page = await openApp(ctx.browser, `${ctx.server.url}?at=1,NaN,3`);
  try {
    assert.match(await page.locator('[data-testid="link-problems"]').textContent(), /coordinate 2 \(.NaN.\) is not a finite number/);
    assert.equal(await cell(page, "J-2-1"), "48", "the default point stays");
  } finally {
    await page.context().close();
  }
});

test("your own function comes back on reload, and a link never overwrites it", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    const own = "f(x, y) = [x*y, x - y]";
    await page.fill('[data-testid="source"]', own);
    await page.fill('[data-testid="coord-x"]', "2");
    await page.waitForFunction(() => location.search.includes("at=2%2C"));
    await page.waitForTimeout(300);
    // Reload without the query: the work comes back from localStorage.
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await page.inputValue('[data-testid="source"]'), own);
    assert.equal(await cell(page, "J-0-1"), "2", "∂(xy)/∂y = x = 2");
    assert.equal(await page.locator('[data-testid="own-work"]').isHidden(), true);
    // A shared link opens its own function, with the way back offered.
    const q = "f=" + encodeURIComponent("f(r, t) = [r*cos(t), r*sin(t)]") + "&at=2,0";
    await page.goto(`${ctx.server.url}?${q}`);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await cell(page, "det"), "det J = 2");
    assert.equal(await page.locator('[data-testid="own-work"]').isVisible(), true);
    // Moving the link's point doesn't save over the user's function.
    await page.fill('[data-testid="coord-r"]', "3");
    await page.waitForTimeout(400);
    await page.click('[data-testid="back-to-own"]');
    assert.equal(await page.inputValue('[data-testid="source"]'), own);
    assert.equal(await cell(page, "J-0-1"), "2");
    assert.equal(await page.locator('[data-testid="own-work"]').isHidden(), true);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("the untouched page keeps the plain address and saves nothing, so a reload paints the prerendered copy", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    const saved = () => page.evaluate(() => localStorage.getItem("jacobian-playground.work"));
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => location.search), "");
    assert.equal(await saved(), null);
    await page.reload();
    await page.waitForFunction(() => window.__firstJ);
    assert.ok(await page.evaluate(() => window.__preJ), "the reload painted the prerendered first screen");
    // A change is linked and saved; undoing it makes the page untouched again.
    await page.fill('[data-testid="coord-x1"]', "2");
    await page.waitForFunction(() => location.search.includes("at=2%2C"));
    await page.waitForTimeout(300);
    assert.match(await saved(), /at=2%2C/);
    await page.fill('[data-testid="coord-x1"]', "3");
    await page.waitForFunction(() => location.search === "");
    await page.waitForTimeout(300);
    assert.equal(await saved(), null);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("a new function is a new history entry; Back brings the old one back", () =>
  withApp(async (page) => {
    await page.waitForTimeout(400);
    const before = await page.evaluate(() => history.length);
    await pick(page, "polar");
    await page.waitForFunction((n) => history.length === n + 1, before);
    assert.match(await page.evaluate(() => decodeURIComponent(location.search)), /r\*cos\(theta\)/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[data-testid="J-2-1"]')?.textContent.trim() === "48");
    assert.match(await page.inputValue('[data-testid="source"]'), /x2\^3/);
  }));
