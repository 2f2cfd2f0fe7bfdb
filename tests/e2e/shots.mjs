// Screenshots for looking at the page as a user would (not a test): node tests/e2e/shots.mjs [query] [tag]
// writes $JP_SCREENSHOTS/<tag>-<width>-<scheme>.png for 1280, 720x560 (embed) and 390 px.
import { launch, serveDist, SHOTS } from "./helpers.mjs";
const query = process.argv[2] ?? "";
const tag = process.argv[3] ?? "page";
const server = await serveDist();
const browser = await launch();
const sizes = [["1280", 1280, 900, ""], ["embed", 720, 560, "embed=1"], ["390", 390, 844, ""]];
for (const [name, width, height, extra] of sizes) {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
    const page = await context.newPage();
    const q = [query, extra].filter(Boolean).join("&");
    await page.goto(`${server.url}${q ? "?" + q : ""}`);
    await page.waitForSelector('[data-testid="jacobian"]');
    await page.waitForTimeout(700);
    const file = `${SHOTS}/${tag}-${name}-${scheme}.png`;
    await page.screenshot({ path: file, fullPage: name !== "embed" });
    // Each panel on its own too: a phone's full page is too tall to read shrunk.
    if (name === "390") for (const p of await page.locator("section.panel").all()) {
      const label = (await p.getAttribute("aria-label")).split(" ")[0].toLowerCase();
      if (await p.isVisible()) await p.screenshot({ path: `${SHOTS}/${tag}-${name}-${scheme}-${label}.png` });
    }
    const clip = await page.evaluate(() => [...document.querySelectorAll("table")].map((t) => {
      const p = t.parentElement; return `${t.className || t.dataset.testid}: ${t.scrollWidth}/${p.clientWidth}`;
    }).join("; "));
    console.log(file, clip);
    await context.close();
  }
}
await browser.close();
server.close();
