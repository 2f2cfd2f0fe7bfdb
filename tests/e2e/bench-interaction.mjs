// Browser interaction benchmark (not a test): for every gallery example, drag the pad with
// real dispatched pointer events and time, to the J table's update (a MutationObserver
// sees it): from the event's dispatch to the page's scripts (a capture listener on window,
// which runs before the app's handler), and from the event's own timestamp (so time spent
// queued — the browser aligns pointer moves to frames, and earlier work delays them —
// counts too); and to the end of the next frame (the side panels, which follow once per
// frame, have drawn). Prints p50 / p95 / max per example. The digit classifier is painted
// instead: strokes through its 64 pixels in snake order, inking then erasing, so every move
// changes one pixel (J, the class scores and the saliency maps follow each). Then the
// bench-suite's 784 → 128 → 10 classifier (`randn` weights), opened by a link: dragging two
// its 28 × 28 image (150 pixels, inked then erased) redraws its 10 × 784 J as a picture.
import { execFileSync } from "node:child_process";
import { launch, serveDist, openApp, pick } from "./helpers.mjs";

const MOVES = Number(process.env.JP_BENCH_MOVES ?? 150);
const server = await serveDist();
const browser = await launch();
const page = await openApp(browser, server.url);
const ids = await page.$$eval('[data-testid="gallery"] option', (os) => os.map((o) => o.value).filter(Boolean));
const install = () => page.evaluate(() => {
  window.__lat = [];
  window.__t0 = null;
  // Capture phase on window: runs before the app's own handler.
  window.__frame = [];
  window.__queue = [];
  window.__handled = [];
  window.addEventListener("pointermove", (ev) => {
    window.__t0 = ev.timeStamp;
    window.__h0 = performance.now();
    // How long the event waited before any script saw it (input routing, earlier work).
    window.__queue.push(performance.now() - ev.timeStamp);
    // The frame after this move: rAF callbacks run in order, so the app's own per-frame
    // update (registered during the move) has run when this one's setTimeout fires.
    const t = ev.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__frame.push(performance.now() - t), 0));
  }, { capture: true });
  // Bubble phase on window: runs after the app's handler and the effects it queued (they
  // run as microtasks when the handler returns), so the move's whole work is done.
  window.__done = [];
  window.addEventListener("pointermove", () => window.__done.push(performance.now() - window.__h0));
  new MutationObserver(() => {
    if (window.__t0 !== null) {
      const now = performance.now();
      window.__lat.push(now - window.__t0);
      window.__handled.push(now - window.__h0);
      window.__t0 = null;
    }
  }).observe(document.querySelector('[data-testid="jacobian"]').parentElement, { subtree: true, childList: true, characterData: true, attributes: true });
});
await install();
const rows = [];
const ROOT = new URL("../..", import.meta.url).pathname;
const linked = JSON.parse(
  execFileSync("cargo", ["run", "--release", "--quiet", "--bin", "jacobian", "--", "bench-suite", "--families"], { cwd: ROOT, encoding: "utf8" }),
).filter((f) => f.name.startsWith("classifier"));
for (const id of [...ids, ...linked.map((f) => f.name)]) {
  const fam = linked.find((f) => f.name === id);
  if (fam) {
    await page.goto(`${server.url}?f=${encodeURIComponent(fam.source)}&at=${fam.at.join(",")}`);
    await page.waitForFunction(() => /^\d+ × \d+ Jacobian/.test(document.querySelector('[data-testid="j-caption"]')?.textContent));
    await install();
  } else {
    await pick(page, id);
  }
  // The digits' 8 × 8 image and the classifier's 28 × 28 are painted.
  const grid = id === "digits" ? 8 : fam ? 28 : 0;
  const painted = grid > 0;
  const target = painted ? "paint-pad" : "pad";
  if (id === "digits") await page.waitForFunction(() => document.querySelector('[data-testid="j-caption"]')?.textContent.startsWith("10 × 64"));
  await page.evaluate((target) => {
    document.querySelector(`[data-testid="${target}"]`).scrollIntoView();
    window.__lat = [];
    window.__frame = [];
    window.__queue = [];
    window.__handled = [];
    window.__done = [];
    window.__t0 = null;
  }, target);
  const box = await page.locator(`[data-testid="${target}"]`).boundingBox();
  if (painted) {
    await page.click('[data-testid="paint-clear"]');
    const cell = (k) => {
      const i = Math.floor(k / grid);
      const j = i % 2 ? grid - 1 - (k % grid) : k % grid;
      return [box.x + box.width * (j + 0.5) / grid, box.y + box.height * (i + 0.5) / grid];
    };
    for (const erase of [false, true]) {
      if (erase) await page.click('[data-testid="paint-erase"]');
      await page.mouse.move(...cell(0));
      await page.mouse.down();
      for (let k = 1; k < Math.min(grid * grid, MOVES); k++) await page.mouse.move(...cell(k));
      await page.mouse.up();
    }
    await page.click('[data-testid="paint-erase"]');
  } else {
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let k = 0; k < MOVES; k++) {
      const u = 0.3 + 0.4 * ((k * 37) % 100) / 100;
      const v = 0.3 + 0.4 * ((k * 61) % 100) / 100;
      await page.mouse.move(box.x + box.width * u, box.y + box.height * v);
    }
    await page.mouse.up();
  }
  await page.waitForTimeout(100);
  const lat = (await page.evaluate(() => window.__lat)).sort((a, b) => a - b);
  const frame = (await page.evaluate(() => window.__frame)).sort((a, b) => a - b);
  const queue = (await page.evaluate(() => window.__queue)).sort((a, b) => a - b);
  const handled = (await page.evaluate(() => window.__handled)).sort((a, b) => a - b);
  const done = (await page.evaluate(() => window.__done)).sort((a, b) => a - b);
  const q = (v, p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
  rows.push({ id, n: lat.length, p50: q(lat, 0.5), p95: q(lat, 0.95), max: lat[lat.length - 1], f50: q(frame, 0.5), f95: q(frame, 0.95), q50: q(queue, 0.5), q95: q(queue, 0.95), h50: q(handled, 0.5), h95: q(handled, 0.95), hmax: handled[handled.length - 1], d50: q(done, 0.5), d95: q(done, 0.95) });
}
console.log("                       dispatched → J updated     event time → J updated     next frame drawn   queued before dispatch   move's work done");
console.log("example        moves   p50 ms   p95 ms   max ms   p50 ms   p95 ms   max ms   p50 ms   p95 ms   p50 ms   p95 ms   p50 ms   p95 ms");
for (const r of rows) {
  const f = (v) => v.toFixed(2).padStart(8);
  console.log(`${r.id.slice(0, 14).padEnd(14)} ${String(r.n).padStart(5)} ${f(r.h50)} ${f(r.h95)} ${f(r.hmax)} ${f(r.p50)} ${f(r.p95)} ${f(r.max)} ${f(r.f50)} ${f(r.f95)} ${f(r.q50)} ${f(r.q95)} ${f(r.d50)} ${f(r.d95)}`);
}
const problems = await page.problems();
if (problems.length) console.error("page problems:", problems);
await browser.close();
await server.close();
