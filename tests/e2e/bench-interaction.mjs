// Browser interaction benchmark (not a test): for every gallery example, drag the pad with
// real dispatched pointer events and time pointer move → DOM updated (a MutationObserver
// sees the change), in headless Chromium. Prints p50 / p95 / max per example.
import { launch, serveDist, openApp } from "./helpers.mjs";

const MOVES = Number(process.env.JP_BENCH_MOVES ?? 150);
const server = await serveDist();
const browser = await launch();
const page = await openApp(browser, server.url);
const ids = await page.$$eval('[data-testid="gallery"] option', (os) => os.map((o) => o.value));
await page.evaluate(() => {
  window.__lat = [];
  window.__t0 = null;
  // Capture phase on window: runs before the app's own handler.
  window.addEventListener("pointermove", () => { window.__t0 = performance.now(); }, { capture: true });
  new MutationObserver(() => {
    if (window.__t0 !== null) {
      window.__lat.push(performance.now() - window.__t0);
      window.__t0 = null;
    }
  }).observe(document.querySelector("main"), { subtree: true, childList: true, characterData: true, attributes: true });
});
const rows = [];
for (const id of ids) {
  await page.selectOption('[data-testid="gallery"]', id);
  await page.evaluate(() => {
    document.querySelector('[data-testid="pad"]').scrollIntoView();
    window.__lat = [];
    window.__t0 = null;
  });
  const box = await page.locator('[data-testid="pad"]').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let k = 0; k < MOVES; k++) {
    const u = 0.3 + 0.4 * ((k * 37) % 100) / 100;
    const v = 0.3 + 0.4 * ((k * 61) % 100) / 100;
    await page.mouse.move(box.x + box.width * u, box.y + box.height * v);
  }
  await page.mouse.up();
  const lat = (await page.evaluate(() => window.__lat)).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  rows.push({ id, n: lat.length, p50: q(0.5), p95: q(0.95), max: lat[lat.length - 1] });
}
console.log("example        moves   p50 ms   p95 ms   max ms");
for (const r of rows) {
  console.log(`${r.id.padEnd(14)} ${String(r.n).padStart(5)} ${r.p50.toFixed(3).padStart(8)} ${r.p95.toFixed(3).padStart(8)} ${r.max.toFixed(3).padStart(8)}`);
}
const problems = await page.problems();
if (problems.length) console.error("page problems:", problems);
await browser.close();
await server.close();
