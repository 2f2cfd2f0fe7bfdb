// Saved work is never lost without a word: links without a function, damaged saved
// values, a full storage quota, two tabs; and compact links read by the browser's own
// bounded inflate (their messages, a decompression bomb, a byte-order mark).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cell, openApp, suite } from "./helpers.mjs";

const ctx = suite();
const KEY = "jacobian-playground.work";
const OWN = "f(x, y, z) = [x*y, y - z]";

const problems = (page) => page.locator('[data-testid="link-problems"]').innerText().catch(() => "");
const saved = (page, key = KEY) => page.evaluate((k) => localStorage.getItem(k), key);

// A page whose saved work is OWN at (2, 3, 4), saved.
async function withOwnWork() {
  const page = await openApp(ctx.browser, ctx.server.url);
  await page.fill('[data-testid="source"]', OWN);
  await page.fill('[data-testid="coord-x"]', "2");
  await page.waitForFunction((k) => localStorage.getItem(k)?.includes("at=2%2C"), KEY);
  return page;
}

test("a link without a function applies to your own and never overwrites it", async () => {
  const page = await withOwnWork();
  try {
    for (const q of ["at=7,8,9", "views=none&pass=reverse", "axes=9,9"]) {
      await page.goto(`${ctx.server.url}?${q}`);
      await page.waitForSelector('[data-testid="jacobian"]');
      assert.equal(await page.inputValue('[data-testid="source"]'), OWN, q);
      assert.match(await problems(page), /The link has no function, so it was applied to your own\./, q);
      if (q.startsWith("at=")) assert.equal(await cell(page, "J-0-0"), "8", "∂(xy)/∂x = y = 8 at the link's point");
      if (q.startsWith("axes=")) assert.match(await problems(page), /pad axes does not fit this function \(3 inputs, 2 outputs\)/);
      await page.waitForTimeout(400);
      assert.equal(new URLSearchParams(await saved(page)).get("f"), OWN, `${q}: saved work keeps the function`);
    }
    // And a plain visit brings it back.
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await page.inputValue('[data-testid="source"]'), OWN);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("a link's point of the wrong length and a bad embed value are named", async () => {
  const page = await openApp(ctx.browser, `${ctx.server.url}?f=${encodeURIComponent(OWN)}&at=1,2&embed=%3Cb%3E`);
  try {
    const text = await problems(page);
    assert.match(text, /The link's point has 2 coordinates but the function has 3 inputs \(x, y, z\): z starts at 1\./);
    assert.match(text, /The link's 'embed' value '<b>' is not one this page knows/);
    assert.equal(await page.inputValue('[data-testid="coord-z"]'), "1");
    await page.goto(`${ctx.server.url}?f=${encodeURIComponent(OWN)}&at=1,2,3,4,5`);
    await page.waitForSelector('[data-testid="jacobian"]');
    assert.match(await problems(page), /has 5 coordinates but the function has 3 inputs \(x, y, z\): the last 2 were ignored\./);
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});

test("damaged saved work is said and kept aside, not dropped", async () => {
  for (const damaged of ["garbage", "f=" + encodeURIComponent(OWN) + "&at=1,nan,3"]) {
    // Stored before the app starts (an app page open meanwhile could save over it).
    const context = await ctx.browser.newContext();
    try {
      await context.addInitScript(([k, v]) => localStorage.setItem(k, v), [KEY, damaged]);
      const page = await context.newPage();
      const errors = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(ctx.server.url);
      await page.waitForSelector('[data-testid="jacobian"]');
      assert.match(await problems(page), /Your saved work could not be read back whole; a copy is kept in this browser's storage under 'jacobian-playground\.work\.damaged'\./, damaged);
      assert.equal(await saved(page, KEY + ".damaged"), damaged);
      // What could be read is used: the function of the second one.
      if (damaged !== "garbage") assert.equal(await page.inputValue('[data-testid="source"]'), OWN);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("a storage that refuses to save says so", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await page.reload();
    await page.waitForSelector('[data-testid="jacobian"]');
    await page.fill('[data-testid="source"]', OWN);
    await page.waitForFunction(() => document.querySelector('[data-testid="note"]').textContent.includes("refused to save"));
    assert.match(await page.innerText('[data-testid="note"]'), /This browser refused to save your work \(its storage is full or blocked\): copy the link to keep it\./);
  } finally {
    await page.context().close();
  }
});

test("two tabs: work another tab saves over this one's is offered, not lost", async () => {
  const a = await withOwnWork();
  try {
    const b = await a.context().newPage();
    await b.goto(ctx.server.url);
    await b.waitForSelector('[data-testid="jacobian"]');
    assert.equal(await b.inputValue('[data-testid="source"]'), OWN, "the second tab opens the saved work");
    const other = "f(u) = [u^3]";
    await b.fill('[data-testid="source"]', other);
    await b.waitForFunction((k) => localStorage.getItem(k)?.includes("u%5E3"), KEY);
    // Tab A keeps its own function and is told, with the way to the other tab's work.
    await a.waitForSelector('[data-testid="own-work"]:not([hidden])');
    assert.match(await a.innerText('[data-testid="own-work"]'), /Another tab saved different work; this tab's stays here/);
    assert.equal(await a.inputValue('[data-testid="source"]'), OWN);
    assert.equal(await b.locator('[data-testid="own-work"]').isHidden(), true, "the writer is not told about itself");
    await a.click('[data-testid="back-to-own"]');
    assert.equal(await a.inputValue('[data-testid="source"]'), other);
    assert.equal(await a.locator('[data-testid="own-work"]').isHidden(), true);
    assert.deepEqual(await a.problems(), []);
  } finally {
    await a.context().close();
  }
});

test("compact links are inflated by the browser, bounded, and a byte-order mark is read past", async () => {
  const page = await openApp(ctx.browser, ctx.server.url);
  try {
    // Made by the page's own Share path: deflate-raw + base64url.
    const pack = (text, bytes) => page.evaluate(async ([t, n]) => {
      const input = n ? new Uint8Array(n) : new TextEncoder().encode(t);
      const z = await jpDeflateRaw(input);
      return btoa(String.fromCharCode(...z)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }, [text, bytes]);
    const good = await pack("f=f(x, y) = [x*y]\0at=3,4");
    const bomb = await pack("", 5_000_000);
    const cases = [
      [`#s=${good}`, null],
      [`#%EF%BB%BFs=${good}`, null],
      [`#s=${bomb}`, /expands to more than \d+ KB, so it was ignored/],
      ["#s=AAAA", /compact part \(after #s=\) is damaged/],
      [`#s=${good.slice(0, -4)}`, /compact part \(after #s=\) is damaged/],
    ];
    for (const [k, [hash, message]] of cases.entries()) {
      // A query of its own each time: a change of fragment alone would not load the page.
      await page.goto(`${ctx.server.url}?embed=1&case=${k}${hash}`);
      await page.waitForSelector('[data-testid="jacobian"]');
      if (message) {
        assert.match(await problems(page), message, hash.slice(0, 40));
      } else {
        assert.equal(await page.inputValue('[data-testid="source"]'), "f(x, y) = [x*y]", hash.slice(0, 40));
        assert.equal(await cell(page, "J-0-0"), "4");
      }
    }
    assert.deepEqual(await page.problems(), []);
  } finally {
    await page.context().close();
  }
});
