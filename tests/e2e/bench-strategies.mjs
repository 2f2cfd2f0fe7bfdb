// Browser strategy benchmark (not a test): the bench-suite families' J by every strategy,
// timed by the release page itself (its cost table: medians of batches in this browser,
// the table measured JP_BENCH_ROUNDS times, 3 by default, and each figure the median of
// its rounds), so the core is measured as it runs in wasm. Families whose J is over the cost table's
// budget say so. Prints µs per strategy, f's µs and the fastest exact strategy, then the
// scalar-written vs W @ x layers side by side.
import { execFileSync } from "node:child_process";
import { launch, serveDist, openApp } from "./helpers.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const ROUNDS = Number(process.env.JP_BENCH_ROUNDS ?? 3);
const ONLY = process.env.JP_BENCH_FAMILIES ? new RegExp(process.env.JP_BENCH_FAMILIES) : null;
const families = JSON.parse(
  execFileSync("cargo", ["run", "--release", "--quiet", "--bin", "jacobian", "--", "bench-suite", "--families"], { cwd: ROOT, encoding: "utf8" }),
).filter((f) => !ONLY || ONLY.test(f.name));
const STRATEGIES = ["forward", "reverse", "batched_forward", "batched_reverse", "sparse", "fd_forward", "fd_central", "complex_step"];
const EXACT = STRATEGIES.slice(0, 5);
const server = await serveDist();
const browser = await launch();
const micros = (text) => {
  const m = /([\d.]+)(e−(\d+))?/.exec(text ?? "");
  return m ? Number(m[1]) * (m[3] ? 10 ** -Number(m[3]) : 1) : NaN;
};
const lines = [`${"family".padEnd(24)} ${"f µs".padStart(9)} | ${STRATEGIES.map((s) => s.padStart(s.length)).join(" ")} | fastest exact`];
const best = {};
// The page's own pick (its recommendation) against the fastest exact strategy, as
// bench-suite reports natively: #17 asks for within 10 % on every family.
const picks = [];
for (const fam of families) {
  const link = `${server.url}?f=${encodeURIComponent(fam.source)}&at=${fam.at.join(",")}&views=analysis`;
  const page = await openApp(browser, link);
  const table = page.locator('[data-testid="cost"]');
  await table.scrollIntoViewIfNeeded();
  // The table measures each strategy in turn, so a pause on this shared machine lands on
  // one of them: the table is measured ROUNDS times ("Measure again") and each figure is
  // the median of its rounds.
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) await page.click('[data-testid="measure"]');
    const measured = await page
      .waitForFunction(() => {
        const caption = document.querySelector('[data-testid="cost"] caption')?.textContent ?? "";
        const cells = [...document.querySelectorAll('[data-testid^="micros-"]')];
        return caption.includes("f takes") && cells.every((c) => !c.textContent.includes("…")) ? caption : false;
      }, null, { timeout: 60000 })
      .then((h) => h.jsonValue())
      .catch(() => null);
    if (!measured || (await page.locator('[data-testid="micros-forward"]').textContent()) === "—") break;
    const t = { f: micros(measured.split("f takes")[1]) };
    for (const s of STRATEGIES) t[s] = micros(await page.locator(`[data-testid="micros-${s}"]`).textContent());
    rounds.push(t);
  }
  if (rounds.length === 0) {
    lines.push(`${fam.name.padEnd(24)} not measured: over the cost table's budget in the page`);
    await page.context().close();
    continue;
  }
  const median = (k) => rounds.map((t) => t[k]).sort((a, b) => a - b)[(rounds.length - 1) >> 1];
  const f = median("f");
  const t = {};
  for (const s of STRATEGIES) t[s] = median(s);
  const fastest = EXACT.filter((s) => t[s] > 0).sort((a, b) => t[a] - t[b])[0];
  best[fam.name] = t[fastest];
  // The recommendation names its strategy as the table's row does.
  const rec = (await page.locator('[data-testid="recommendation"]').textContent()) ?? "";
  const labels = await Promise.all(EXACT.map((s) => page.locator(`[data-testid="cost-${s}"] th`).textContent()));
  const pick = EXACT.find((_, k) => rec.startsWith(`Recommended: ${labels[k]} —`));
  const ratio = pick ? t[pick] / t[fastest] : NaN;
  picks.push({ name: fam.name, pick, ratio });
  lines.push(`${fam.name.padEnd(24)} ${f.toPrecision(3).padStart(9)} | ${STRATEGIES.map((s) => t[s].toPrecision(3).padStart(s.length)).join(" ")} | ${fastest} ${t[fastest].toPrecision(3)} µs | auto ${pick ?? "?"} ${ratio.toFixed(2)}`);
  await page.context().close();
}
console.log(lines.join("\n"));
const within = picks.filter((p) => p.ratio <= 1.1);
const worst = picks.reduce((w, p) => (!(p.ratio <= w.ratio) ? p : w), { ratio: 0 });
console.log(`the page's auto within 10 % of the fastest exact strategy on ${within.length} of ${picks.length} families (worst: ${worst.name}, ${worst.ratio.toFixed(2)})`);
for (const name of Object.keys(best)) {
  const width = /^layer (\d+) scalar$/.exec(name)?.[1];
  const tensor = best[`layer ${width} tensor`];
  if (width && tensor) console.log(`layer ${width}: scalar form's J ${best[name].toPrecision(3)} µs, tensor form's ${tensor.toPrecision(3)} µs in this browser`);
}
await browser.close();
await server.close();
