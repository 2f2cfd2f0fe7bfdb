// Quality gates: accessibility (axe-core, light and dark, with views in several states),
// first render time, no request leaving the origin, and robustness against huge or
// hostile input with no animation frame (task plus rendering) over 200 ms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST, bareTextareaLongest, cell, fValues, launch, openApp, pageDir, slowdown, suite, pick } from "./helpers.mjs";
import { startServer } from "../../scripts/server.mjs";

const ctx = suite();
const AXE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules/axe-core/axe.min.js"), "utf8");

/// Runs axe-core on the whole page (evaluated through the devtools protocol, so the
/// page's CSP needn't allow it) and returns the violations, summarised.
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    window.__axePasses = r.passes.length;
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
}

test("axe-core: no violations, light and dark, in several view states", () =>
  ctx.withApp(async (page) => {
    const states = [
      ["initial", async () => {}],
      ["forward pass mid-way", async () => { await page.click('[data-testid="step"]'); await page.click('[data-testid="step"]'); }],
      ["reverse pass done", async () => { await page.click('[data-testid="pass-reverse"]'); await page.click('[data-testid="step-all"]'); }],
      ["scalar with Hessian, FD step 1e-3, JAX export", async () => {
        await pick(page, "rosenbrock");
        await page.selectOption('[data-testid="fd-h"]', "3");
        await page.click('[data-testid="export-jax"]');
      }],
      ["J's formulas substituted, the chain rule open, the sparsity figure, Newton's path and table", async () => {
        await page.fill('[data-testid="source"]', "u = x*y\nv = sin(u) + x\nf(x, y) = [v*u, v]");
        await page.locator('[data-testid="chain"] summary').click();
        await page.locator('[data-testid="j-substitute"] summary').click();
        await page.fill('[data-testid="newton-target"]', "1, 1");
        await page.locator('[data-testid="newton-target"]').press("Enter");
        await page.waitForSelector('[data-testid="newton-table"]');
        await page.waitForSelector('[data-testid="sparsity-pattern"]');
      }],
      ["the digit classifier's paint pad, scores and saliency maps, its chain rule's pictures", async () => {
        await pick(page, "digits");
        await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("10 × 64"));
        await page.locator('[data-testid="chain"] summary').click();
        await page.waitForSelector('[data-testid="chain-factors"] image', { state: "attached" });
      }],
      ["an error in the source", async () => { await page.fill('[data-testid="source"]', "f(x) = x +* 2"); }],
      ["Share dialog open", async () => {
        await page.click('[data-testid="share"]');
        await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value !== "");
      }],
      ["Embed dialog with its preview", async () => {
        await page.click('[data-testid="embed"]');
        await page.frameLocator('[data-testid="embed-preview"]').locator('[data-testid="J-2-1"]').waitFor();
      }],
      ["embed mode", async () => {
        await page.goto(`${ctx.server.url}?embed=1`);
        await page.waitForSelector('[data-testid="J-2-1"]');
      }],
      ["embed mode with finite differences opened", async () => { await page.click('[data-testid="view-fd"]'); }],
    ];
    let checked = 0;
    for (const [name, enter] of states) {
      await enter();
      for (const scheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme: scheme });
        assert.deepEqual(await axeViolations(page), [], `${name}, ${scheme}`);
        checked += await page.evaluate(() => window.__axePasses);
      }
    }
    console.log(`axe-core: 0 violations in ${states.length} states × 2 themes (${checked} rule passes)`);
  }));

// From navigation to the first paint of J's cells (Element Timing: when the frame that
// shows them was presented, not when they entered the DOM), median of 7 loads, served as a
// plain static host serves it. (The other tests' server adds cross-origin isolation
// headers for fine benchmark timers; that costs every navigation a process swap, ~50 ms
// here, which no real host of this page imposes.) A first visit paints the prerendered
// first screen (scripts/prerender.mjs) and must do so within 300 ms (JP_RENDER_BUDGET_MS).
// This machine is a shared 2-core VM whose speed varies from minute to minute: a blank page
// with one module script and one paragraph, timed in turn with the app, first-paints in
// 76–144 ms. The budget holds when it is quiet (blank page ≤ 100 ms); in a slower run the
// budget is scaled by the blank page's slowdown, and printed. (An allowance added instead of
// scaled was too little: in one loaded CI run the blank page took 112 ms, 1.2×, and the
// first visit 1.4× its quiet median.) A miss is measured again over 7 fresh rounds, which
// then decide, with their own floor: a burst of load on the machine should not, but a page
// slow in two sets of loads fails. Visits from a link take the app's own path (no copy):
// reported, and held to JP_LINK_RENDER_BUDGET_MS (default 600, scaled alike) as a
// regression gate.
test("first meaningful render: within 300 ms on a first visit, measured from a link too", async () => {
  const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  const blankDir = pageDir({
    "index.html": '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>blank</title><script type="module" src="b.js"></script></head><body><p>J</p></body></html>',
    "b.js": "window.__b = 1;",
  });
  // One page at a time, each in a fresh context: a second renderer starting alongside
  // (an idle extra page) costs the measured load ~150 ms on this machine. The blank page,
  // a first visit and a visit from a link take turns, so the machine's load falls on all.
  const blankPaint = async (page) => {
    await page.waitForFunction(() => performance.getEntriesByType("paint").some((e) => e.name === "first-contentful-paint"));
    return page.evaluate(() => performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint").startTime);
  };
  const timings = async (page) => {
    await page.waitForFunction(() => window.__firstJ);
    return page.evaluate(() => ({ pre: window.__preJ, app: window.__appJ, dom: window.__jDom }));
  };
  // A browser of its own, as a visitor's is: the suite's shared one has run every test
  // before this one (in one CI run its process still used half a core, and every figure
  // here came out ~90 ms slower).
  const browser = await launch();
  const blankServer = await startServer(blankDir, { isolate: false });
  const server = await startServer(DIST, { isolate: false });
  const blank = [], first = [], linked = [];
  const rounds = async (n) => {
    for (let k = 0; k < n; k++) {
      // A first visit to the plain address paints the prerendered copy; a link (or saved
      // work) waits for the app.
      for (const [url, measure, out] of [[blankServer.url, blankPaint, blank], [server.url, timings, first], [server.url + "?at=3,4,5", timings, linked]]) {
        const page = await openApp(browser, url, { waitFor: null });
        try {
          out.push(await measure(page));
        } finally {
          await page.context().close();
        }
      }
    }
  };
  const fmt = (v) => v.map((t) => t.toFixed(0)).join(", ");
  const budget = Number(process.env.JP_RENDER_BUDGET_MS ?? 300);
  const linkGate = Number(process.env.JP_LINK_RENDER_BUDGET_MS ?? 600);
  const paintedOf = (runs) => median(runs.map((r) => Math.min(r.pre ?? Infinity, r.app)));
  // A quiet run's blank page first-paints within this; a slower one scales the budgets.
  const quietFloor = 100;
  const blankSlowdown = (floor) => Math.max(1, floor / quietFloor);
  const allowedFor = (floor) => budget * blankSlowdown(floor);
  let painted, floor, decide = 0, again = "";
  try {
    await rounds(7);
    painted = paintedOf(first);
    floor = median([...blank]);
    if (painted > allowedFor(floor)) {
      again = ` (first 7: median ${painted.toFixed(0)} against ${allowedFor(floor).toFixed(0)} allowed, blank page ${floor.toFixed(0)}: measured again, and the next 7 decide)`;
      await rounds(7);
      decide = 7;
      painted = paintedOf(first.slice(decide));
      floor = median(blank.slice(decide));
    }
  } finally {
    await browser.close();
    await blankServer.close();
    await server.close();
  }
  const allowed = allowedFor(floor);
  const fromLink = median(linked.slice(decide).map((r) => r.app));
  const linkAllowed = linkGate * blankSlowdown(floor);
  console.log(
    `first render (navigation → J painted), ${again ? "the last 7" : "7"} first visits: median ${painted.toFixed(0)} ms${again} ` +
      `(the prerendered copy painted at ${fmt(first.map((r) => r.pre ?? NaN))}; the app's own J then at median ${median(first.map((r) => r.app)).toFixed(0)}, ` +
      `in the DOM at ${median(first.map((r) => r.dom)).toFixed(0)}); ${linked.length} visits from a link (no copy): median${decide ? " of the last 7" : ""} ${fromLink.toFixed(0)} ms ` +
      `(${fmt(linked.map((r) => r.app))}); a blank page's first paint, taking turns with them: median ${floor.toFixed(0)} ms ` +
      `(${fmt(blank)}). Budget ${budget} ms${allowed > budget ? ` (${allowed.toFixed(0)} allowed: the blank page was ${blankSlowdown(floor).toFixed(2)}× its quiet ${quietFloor} ms)` : ""}: ` +
      `${painted <= allowed ? "met" : "NOT met"}; link gate ${linkGate} ms (${linkAllowed.toFixed(0)} allowed): ${fromLink <= linkAllowed ? "met" : "NOT met"}`,
  );
  assert.ok(first.every((r) => r.pre !== undefined), "a first visit to the plain address paints the prerendered copy");
  assert.ok(linked.every((r) => r.pre === undefined), "a visit from a link never paints the default example's copy");
  assert.ok(painted <= allowed, `median first render ${painted.toFixed(0)} ms, over the ${allowed.toFixed(0)} ms budget`);
  assert.ok(fromLink <= linkAllowed, `median first render from a link ${fromLink.toFixed(0)} ms, over the ${linkAllowed.toFixed(0)} ms gate`);
});

test("no request leaves the page's origin", async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const foreign = [];
  const origin = new URL(ctx.server.url).origin;
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")) foreign.push(u);
  });
  try {
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="J-2-1"]');
    for (const id of ["polar", "network", "rosenbrock", "cancellation"]) await pick(page, id);
    await page.click('[data-testid="export-pytorch"]');
    await page.click('[data-testid="play"]');
    await page.waitForTimeout(500);
    assert.deepEqual(foreign, []);
  } finally {
    await context.close();
  }
});

const deep = (n) => "f(x) = " + "(".repeat(n) + "x" + ")".repeat(n);
const chain = (n) => "f(x) = " + "x+".repeat(n) + "x";
const mixed = (n) => "f(x, y) = " + Array.from({ length: n }, (_, k) => ["sin(x)*y", "x/(1+y^2)", "exp(-x)*y"][k % 3]).join(" + ");
const lcg = (n, f) => {
  let x = 12345;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return f(x);
  });
};
// Random bytes as a paste of a binary file arrives: decoded as UTF-8, bad sequences as U+FFFD.
const bytes = () => new TextDecoder().decode(Uint8Array.from(lcg(20000, (x) => x >> 16 & 255)));
// Random characters from the whole Basic Multilingual Plane: a worst case for the browser's
// own text layout (thousands of scripts, most with no font here).
const chars = () => String.fromCharCode(...lcg(20000, (x) => 1 + (x % 0xd7ff)));

// Each case goes in twice: pasted as a user pastes (the text on the clipboard, Ctrl+A,
// Ctrl+V: a trusted paste event, the page's own paste handling, then the app's work) and by
// setting the value and sending an input event, as a script or an input method would. The
// longest animation frame (a task plus the rendering it causes) must stay within 200 ms
// both ways, beyond what the browser alone spends on
// the same text in a bare textarea (measured whenever the page goes over). (Playwright's fill, which runs the browser's insertText editing command, is not how
// 20 000 random characters arrive in a textarea; it alone takes ~2 s for them here.)
const LONG_TASK_BUDGET = 200;
test("huge and hostile sources: a message or a result, and the page never freezes", () =>
  ctx.withApp(async (page) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.evaluate(() => {
      window.__long = [];
      // Long animation frames: a task and the style, layout and paint it causes, which is
      // what the user waits through (the longtask entries leave the rendering out: a 1 MB
      // value's 300 ms of textarea layout shows only there).
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: "long-animation-frame" });
    });
    // [name, source, what the errors say (null: it compiles), refused when pasted]
    const cases = [
      ["100 000-deep nesting", deep(100000), /128 KiB/, true],
      ["60 000-deep nesting", deep(60000), /nested more than/, false],
      ["100 000-node program", chain(50000), null, false],
      ["10 000-term program (117 KB)", mixed(10000), null, false],
      ["1 MB line", chain(500000), /128 KiB/, true],
      ["random bytes", bytes(), /./, false],
      ["random BMP characters", chars(), /./, false],
    ];
    const failures = [];
    // One entry of `src` the given way; checks what the page shows, returns the longest frame,
    // and loads the classic example again (the page still answers).
    const once = async (name, src, errorPattern, refused, how) => {
      await page.evaluate(() => { window.__long = []; });
      const before = await page.inputValue('[data-testid="source"]');
      if (how === "pasted") {
        await page.evaluate((s) => navigator.clipboard.writeText(s), src);
        await page.evaluate(() => { window.__long = []; });
        await page.click('[data-testid="source"]');
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Control+V");
      } else {
        // In a task of the page's own (work inside page.evaluate is not reported as a long task).
        await page.evaluate((s) => setTimeout(() => {
          const t = document.querySelector('[data-testid="source"]');
          t.value = s;
          t.dispatchEvent(new Event("input", { bubbles: true }));
        }, 0), src);
      }
      await page.waitForTimeout(2500);
      const value = await page.inputValue('[data-testid="source"]');
      if (how === "pasted" && refused) {
        assert.match(await page.locator('[data-testid="paste-note"]').textContent(), /128 KiB/, name);
        assert.equal(value, before, `${name}: refused, the function in the editor is kept`);
      } else {
        const errors = await page.locator('[data-testid="errors"]').textContent();
        if (errorPattern) assert.match(errors, errorPattern, name);
        else assert.equal(errors.trim(), "", `${name}: compiles`);
        assert.equal(value.length, src.replace(/\r\n?/g, "\n").length, `${name} (${how}): all of it is in the editor`);
      }
      const longest = Math.max(0, ...(await page.evaluate(() => window.__long)));
      await pick(page, "classic");
      assert.equal(await cell(page, "J-2-1"), "48");
      return longest;
    };
    for (const [name, src, errorPattern, refused] of cases) {
      const worst = [];
      const notes = [];
      for (const how of ["pasted", "set"]) {
        let longest = await once(name, src, errorPattern, refused, how);
        // Over the budget: measured up to twice more and the best counts, as the sizes test
        // does (this machine is shared: a garbage collection or tier-up lands in one run now
        // and then; a real freeze repeats), and the same text is put in a bare textarea the
        // same way. What the browser alone spends there (random BMP characters pasted: ~2 s of
        // font fallback for thousands of scripts, most with no font here) is allowed; the app
        // may add at most the budget.
        // The budget is scaled by how slow the machine runs script just then (`slowdown`).
        let allowed = LONG_TASK_BUDGET;
        if (longest > allowed) {
          const bare = await bareTextareaLongest(ctx.browser, src, how);
          const slow = await slowdown(page);
          allowed = LONG_TASK_BUDGET * slow + bare;
          const tries = [longest];
          while (tries.length < 3 && Math.min(...tries) > allowed) tries.push(await once(name, src, errorPattern, refused, how));
          notes.push(`${how}: ${tries.map((t) => t.toFixed(0)).join(" then ")} ms; a bare textarea alone ${bare.toFixed(0)} ms; script ${slow.toFixed(2)}× its quiet speed`);
          longest = Math.min(...tries);
        }
        worst.push(longest);
        if (longest > allowed) failures.push(`${name} (${how}): ${longest.toFixed(0)} ms, over ${allowed.toFixed(0)}`);
      }
      console.log(`${name}: longest frame ${worst[0].toFixed(0)} ms pasted, ${worst[1].toFixed(0)} ms set${notes.length ? ` (${notes.join("; ")})` : ""}`);
    }
    assert.deepEqual(failures, [], `longest frames over ${LONG_TASK_BUDGET} ms`);
  }));

test("an error far along a huge line is shown where it is", () =>
  ctx.withApp(async (page) => {
    await page.fill('[data-testid="source"]', chain(500000));
    const error = page.locator('[data-testid="error"]').first();
    assert.equal(await error.getAttribute("data-line"), "1");
    assert.equal(await error.getAttribute("data-col"), String(128 * 1024 + 1));
    // The shown part of the line is a window around the limit, not the line's start.
    const shown = await error.locator(".error-line").textContent();
    assert.ok(shown.startsWith("…") && shown.length < 300, shown);
    assert.equal(await page.locator('[data-testid="error-mark"]').first().textContent(), "x+".repeat(65536)[128 * 1024 - 7] ?? "+");
    assert.equal(await cell(page, "J-2-1"), "48", "J still shows the last function that compiled");
  }));

test("where f is undefined the page says NaN, and recovers when the point comes back", () =>
  ctx.withApp(async (page) => {
    await page.fill('[data-testid="source"]', "f(x, y) = [log(x), 1/y]");
    await page.fill('[data-testid="coord-x"]', "-1");
    await page.fill('[data-testid="coord-y"]', "0");
    await page.waitForFunction(() => document.querySelector('[data-testid="fvals"]').textContent.trim() === "f(x) = (NaN, ∞)");
    assert.equal(await cell(page, "J-0-0"), "−1", "d log(x)/dx = 1/x is still defined");
    assert.equal(await cell(page, "J-1-1"), "−∞");
    await page.fill('[data-testid="coord-x"]', "2");
    await page.fill('[data-testid="coord-y"]', "4");
    assert.equal(await cell(page, "J-1-1"), "−0.0625");
    assert.equal((await fValues(page))[0], "0.693147");
  }));

test("a polite live region says the point and J once the point is still", () =>
  ctx.withApp(async (page) => {
    const region = page.locator('[data-testid="announce"]');
    assert.equal(await region.getAttribute("aria-live"), "polite");
    await page.waitForFunction(() => document.querySelector('[data-testid="announce"]').textContent.startsWith("At (3, 4, 5)"));
    await page.fill('[data-testid="coord-x1"]', "7");
    await page.waitForFunction(() => document.querySelector('[data-testid="announce"]').textContent.includes("At (7, 4, 5)"), null, { timeout: 5000 });
    assert.match(await region.textContent(), /row f2: 5, 0, 7/);
  }));
