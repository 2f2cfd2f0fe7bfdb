// Export: the classic example as PyTorch, JAX, LaTeX (with J's formulas), CSV, JSON and
// formulas, and the copy button.
import { test } from "node:test";
import assert from "node:assert/strict";
import { suite } from "./helpers.mjs";

const ctx = suite();
const box = '[data-testid="export-text"]';
/// The export text once the worker has written one that starts with `start` (the box
/// starts empty, and the previous format's text stays until the new one arrives).
async function text(page, start = "") {
  await page.waitForFunction((s) => { const t = document.querySelector('[data-testid="export-text"]').value; return t.length > 0 && t.startsWith(s); }, start);
  return page.inputValue(box);
}

/// Runs `fn` on the app in a context allowed to use the clipboard.
async function withClipboard(fn) {
  const context = await ctx.browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  try {
    const page = await context.newPage();
    await page.goto(ctx.server.url);
    await page.waitForSelector('[data-testid="jacobian"]');
    await fn(page);
  } finally {
    await context.close();
  }
}

/// Clicks Copy and returns what the page then says ("Copied.", or that the text is selected).
async function copy(page) {
  await page.click('[data-testid="export-copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="export-status"]').textContent.length > 0);
  return page.locator('[data-testid="export-status"]').textContent();
}

test("the classic example exports to PyTorch, JAX, LaTeX, CSV and JSON", () =>
  ctx.withApp(async (page) => {
    const torch = await text(page, "import torch");
    assert.match(torch, /from torch\.func import jacfwd, jacrev/);
    assert.ok(torch.includes("J = jacfwd(f)(x)"), torch);
    assert.ok(torch.includes("return torch.stack([_t(v) for v in ((x1 + x2), (x1 * x3), (x2 ** 3),)])"), torch);
    assert.ok(torch.includes("x = torch.tensor([3.0, 4.0, 5.0], dtype=torch.float64)"), torch);
    assert.ok(torch.includes("#  [0.0, 48.0, 0.0]]"), torch);
    await page.click('[data-testid="export-jax"]');
    assert.ok((await text(page, "import jax")).includes("J = jax.jacfwd(f)(x)"));
    await page.click('[data-testid="export-latex"]');
    // The formulas, then the point substituted: the article's two steps.
    assert.equal(await text(page, "J(x) = "), "J(x) = \\begin{bmatrix}\n  1 & 1 & 0 \\\\\n  x_{3} & 0 & x_{1} \\\\\n  0 & 3 x_{2}^{2} & 0\n\\end{bmatrix}\n\nJ = \\begin{bmatrix}\n  1 & 1 & 0 \\\\\n  5 & 0 & 3 \\\\\n  0 & 48 & 0\n\\end{bmatrix}\n");
    await page.click('[data-testid="export-formulas"]');
    const formulas = await text(page, "J by its formulas");
    assert.ok(formulas.includes("f3  [ 0      3·x2²  0     ]\n"), formulas);
    assert.ok(formulas.includes("With the point substituted (x1 = 3, x2 = 4, x3 = 5):"), formulas);
    assert.ok(formulas.includes("f3  [ 0      48     0     ]\n"), formulas);
    await page.click('[data-testid="export-csv"]');
    assert.equal(await text(page, "output,"), "output,d/dx1,d/dx2,d/dx3\nf1,1,1,0\nf2,5,0,3\nf3,0,48,0\n");
    await page.click('[data-testid="export-json"]');
    const j = JSON.parse(await text(page, "{"));
    assert.deepEqual(j.jacobian, [[1, 1, 0], [5, 0, 3], [0, 48, 0]]);
    assert.deepEqual(j.at, [3, 4, 5]);
    // The export follows the point.
    await page.fill('[data-testid="coord-x1"]', "7");
    await page.waitForFunction(() => document.querySelector('[data-testid="export-text"]').value.includes('"at": [7, 4, 5]'));
  }));

test("Copy puts the text on the clipboard", () =>
  withClipboard(async (page) => {
    await page.click('[data-testid="export-csv"]');
    await text(page, "output,");
    const status = await copy(page);
    if (status === "Copied.") {
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await text(page));
    } else {
      // Where the browser refuses, the text is selected for Ctrl+C.
      assert.match(status, /Selected/);
      assert.equal(await page.evaluate(() => document.getSelection().toString() || document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd)), await text(page));
    }
  }));

test("a long export: the box shows its first 32 KB and says so, Copy copies all of it", () =>
  withClipboard(async (page) => {
    // 20 001 terms: ~70 KB of Python.
    await page.fill('[data-testid="source"]', "f(x) = " + "x+".repeat(20000) + "x");
    await page.waitForFunction(() => document.querySelector('[data-testid="export-text"]').value.includes("not shown here"));
    const shown = await text(page);
    const note = shown.slice(shown.lastIndexOf("\n") + 1);
    const total = Number(note.match(/Copy copies all (\d+) KB\./)[1]);
    assert.ok(shown.length <= 32 * 1024 + note.length && total > 60, `${shown.length} shown, ${note}`);
    assert.match(shown.slice(0, 200), /import torch/, "the program's start");
    if ((await copy(page)) === "Copied.") {
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(Math.ceil(new TextEncoder().encode(copied).length / 1024), total);
      assert.ok(copied.startsWith(shown.slice(0, shown.length - note.length)), "the box shows the copy's start");
    }
  }));
